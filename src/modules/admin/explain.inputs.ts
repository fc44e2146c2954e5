import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { OrgUnit } from '../org/org-unit.entity';

@InputType({ description: 'The question: may this user do `action` on `subject` (one record if `id` is given, else some records), or on its `field`?' })
export class ExplainAccessInput {
  @Field(() => ID)
  userId: string;

  @Field(() => String, { description: 'An action of the subject, e.g. "read", "update", "submit".' })
  action: string;

  @Field(() => String, { description: 'A subject name, e.g. "Project".' })
  subject: string;

  @Field(() => ID, { nullable: true, description: 'Global id of one record of `subject`; left out, the question is about the list.' })
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'A field of the subject, for field rules (hidden fields).' })
  field?: string | null;
}

@ObjectType({ description: 'A rule of one of the user\'s bindings that decided the answer.' })
export class DecidingRule {
  @Field(() => ID, { description: 'The role binding it comes from.' })
  bindingId: string;

  @Field(() => String)
  roleKey: string;

  @Field(() => String)
  roleName: string;

  @Field(() => ID)
  scopeUnitId: string;

  @Field(() => OrgUnit, { nullable: true, description: 'The binding\'s scope unit (null if the viewer may not see it).' })
  scopeUnit?: OrgUnit | null;

  @Field(() => Int, { description: "The rule's position in the role's rule list (0-based), as `rules.<index>` in role errors." })
  ruleIndex: number;

  @Field(() => Boolean, { description: 'An inverted rule ("cannot") denies.' })
  inverted: boolean;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field(() => GraphQLJSON, { description: 'The rule as stored in the role (with placeholders).' })
  rule: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Its conditions with this binding\'s placeholders filled in.' })
  filledConditions: unknown;
}

@ObjectType({ description: 'What one binding answers on its own.' })
export class BindingDecision {
  @Field(() => ID)
  bindingId: string;

  @Field(() => String)
  roleKey: string;

  @Field(() => ID)
  scopeUnitId: string;

  @Field(() => Boolean)
  allowed: boolean;

  @Field(() => DecidingRule, { nullable: true, description: 'The rule CASL found relevant for the question (none: no rule of this role applies).' })
  rule: DecidingRule | null;
}

@ObjectType({ description: 'The SQL condition the user\'s rules compile to for a list (the same one every list, count and lookup uses).' })
export class SqlConditionExplanation {
  @Field(() => String, { description: 'Table alias used in `sql`.' })
  alias: string;

  @Field(() => String, { description: 'The WHERE condition: "1=0" means nothing, "1=1" everything.' })
  sql: string;

  @Field(() => GraphQLJSON, { description: 'Its named parameters.' })
  params: Record<string, unknown>;
}

@ObjectType({ description: 'Why a user may or may not do something.' })
export class AccessExplanation {
  @Field(() => Boolean, { description: 'The answer: some binding allows it and the account is enabled.' })
  allowed: boolean;

  @Field(() => String, { description: 'The answer in a sentence.' })
  summary: string;

  @Field(() => Boolean)
  userDisabled: boolean;

  @Field(() => [DecidingRule], {
    description:
      'If allowed: the granting rule of each binding that allows. If denied: the inverted rules that denied (empty when no rule grants it at all).',
  })
  decidingRules: DecidingRule[];

  @Field(() => [BindingDecision], { description: 'Every binding of the user, with its own answer.' })
  bindings: BindingDecision[];

  @Field(() => SqlConditionExplanation, { nullable: true, description: 'For lists (no `id`): the SQL condition selecting the rows the user may `action`.' })
  sqlCondition: SqlConditionExplanation | null;
}
