import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArgs } from '../../core/graphql/connection';
import { OrgUnitKind } from './org-unit.entity';

@InputType({ description: 'Filters for org units; all given conditions must hold.' })
export class OrgUnitFilter {
  @Field(() => [OrgUnitKind], { nullable: true })
  kinds?: OrgUnitKind[] | null;

  @Field(() => ID, { nullable: true, description: 'Direct children of this unit.' })
  parentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'This unit and everything below it.' })
  withinId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Include units whose validity has ended (default false).' })
  includeClosed?: boolean | null;
}

@ArgsType()
export class OrgUnitsArgs extends PageArgs {
  @Field(() => OrgUnitFilter, { nullable: true })
  filter?: OrgUnitFilter | null;
}
