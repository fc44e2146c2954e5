import { ArgsType, Field, ID, InputType, ObjectType } from 'type-graphql';
import { PageArgs } from '../../core/graphql/connection';
import { Order, OrderInput } from '../../core/graphql/ordering';
import { registerEnumType } from 'type-graphql';
import { Enterprise, EnterpriseScale, EnterpriseTag, EnterpriseTagEnum } from './enterprise.entity';
import { RecordChangeInput } from '../../core/graphql/common-inputs';

@InputType({ description: 'All given conditions must hold.' })
export class EnterpriseFilter {
  @Field(() => ID, { nullable: true, description: 'Territory: this unit and every unit below it.' })
  territoryId?: string | null;

  @Field(() => String, { nullable: true, description: 'Industry code prefix, e.g. "C26".' })
  industryCodePrefix?: string | null;

  @Field(() => [EnterpriseTagEnum], { nullable: true, description: 'Has any of these tags.' })
  tags?: EnterpriseTag[] | null;

  @Field(() => EnterpriseScale, { nullable: true })
  scale?: EnterpriseScale | null;

  @Field(() => String, { nullable: true, description: 'Name contains, or credit code starts with.' })
  search?: string | null;
}

export enum EnterpriseOrderField {
  ID = 'ID',
  NAME = 'NAME',
  CREDIT_CODE = 'CREDIT_CODE',
}
registerEnumType(EnterpriseOrderField, { name: 'EnterpriseOrderField' });

export const EnterpriseOrder = OrderInput<EnterpriseOrderField>('EnterpriseOrder', EnterpriseOrderField);
export type EnterpriseOrder = Order<EnterpriseOrderField>;

@ArgsType()
export class EnterprisesArgs extends PageArgs {
  @Field(() => EnterpriseFilter, { nullable: true })
  filter?: EnterpriseFilter | null;

  @Field(() => EnterpriseOrder, { nullable: true, description: 'Default: by id. Ties are broken by id.' })
  orderBy?: EnterpriseOrder | null;
}

@InputType()
export class CreateEnterpriseInput {
  @Field(() => String)
  creditCode: string;

  @Field(() => String)
  name: string;

  @Field(() => String)
  industryCode: string;

  @Field(() => ID, { description: 'A county or park unit.' })
  territoryId: string;

  @Field(() => EnterpriseScale)
  scale: EnterpriseScale;

  @Field(() => [EnterpriseTagEnum], { nullable: true })
  tags?: EnterpriseTag[] | null;

  @Field(() => String, { nullable: true })
  address?: string | null;

  @Field(() => String, { nullable: true })
  contactName?: string | null;

  @Field(() => String, { nullable: true })
  contactPhone?: string | null;
}

@InputType({ description: 'Fields left out are not changed; null clears an optional field.' })
export class UpdateEnterpriseInput extends RecordChangeInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  industryCode?: string | null;

  @Field(() => ID, { nullable: true })
  territoryId?: string | null;

  @Field(() => EnterpriseScale, { nullable: true })
  scale?: EnterpriseScale | null;

  @Field(() => [EnterpriseTagEnum], { nullable: true })
  tags?: EnterpriseTag[] | null;

  @Field(() => String, { nullable: true })
  address?: string | null;

  @Field(() => String, { nullable: true })
  contactName?: string | null;

  @Field(() => String, { nullable: true })
  contactPhone?: string | null;
}

@ObjectType()
export class EnterprisePayload {
  @Field(() => Enterprise)
  enterprise: Enterprise;
}
