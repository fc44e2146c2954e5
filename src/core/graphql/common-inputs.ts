/** Input shapes shared by many operations. */
import { Field, ID, InputType, Int } from 'type-graphql';
import { DecimalScalar, MonthScalar } from './scalars';

@InputType({ description: 'Inclusive decimal range; either end may be left out.' })
export class DecimalRange {
  @Field(() => DecimalScalar, { nullable: true })
  min?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  max?: string | null;
}

@InputType({ description: 'Inclusive month range; either end may be left out.' })
export class MonthRange {
  @Field(() => MonthScalar, { nullable: true })
  min?: string | null;

  @Field(() => MonthScalar, { nullable: true })
  max?: string | null;
}

/** A change to one existing record: its id and the version the client read (stale → CONFLICT). */
@InputType()
export class RecordChangeInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  expectedVersion: number;
}

@InputType({ description: 'A workflow step on one record: the version you read, and an optional comment (required for returns and rejections).' })
export class TransitionInput extends RecordChangeInput {
  @Field(() => String, { nullable: true })
  comment?: string | null;
}

/**
 * Filters every record that hangs off a project shares (reports, fund applications, land requests).
 * Decorated so that subclasses inherit its fields; never referenced itself, so never emitted.
 */
@InputType()
export class ProjectRecordFilter {
  @Field(() => ID, { nullable: true })
  projectId?: string | null;

  @Field(() => ID, { nullable: true })
  enterpriseId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Territory: this unit and every unit below it.' })
  territoryId?: string | null;
}
