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

@InputType({ description: 'A workflow step on one record: the version you read, and an optional comment (required for returns and rejections).' })
export class TransitionInput {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  expectedVersion: number;

  @Field(() => String, { nullable: true })
  comment?: string | null;
}
