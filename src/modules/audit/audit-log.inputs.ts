import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { PageArgs } from '../../core/graphql/connection';

@InputType({ description: 'Inclusive time range; either end may be left out.' })
export class TimeRange {
  @Field(() => Date, { nullable: true })
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  to?: Date | null;
}

@InputType({ description: 'All given conditions must hold.' })
export class AuditEventFilter {
  @Field(() => ID, { nullable: true, description: 'Events caused by this user.' })
  actorId?: string | null;

  @Field(() => String, { nullable: true, description: 'The kind of record, e.g. "Project".' })
  subjectType?: string | null;

  @Field(() => ID, { nullable: true, description: 'Global id of one record: its events (implies its subject type).' })
  recordId?: string | null;

  @Field(() => [String], { nullable: true, description: 'Any of these actions, e.g. ["disable", "enable"].' })
  actions?: string[] | null;

  @Field(() => TimeRange, { nullable: true })
  occurredAt?: TimeRange | null;
}

@ArgsType()
export class AuditEventsArgs extends PageArgs {
  @Field(() => AuditEventFilter, { nullable: true })
  filter?: AuditEventFilter | null;
}
