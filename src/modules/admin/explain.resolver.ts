import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../app/context';
import { Can } from '../../core/authz/operation';
import { AccessExplanation, ExplainAccessInput } from './explain.inputs';
import { explainAccess } from './explain.service';

@Resolver()
export class ExplainAccessResolver {
  @Can('read', 'RoleBinding')
  @Query(() => AccessExplanation, {
    description:
      "Why a user may or may not do something: the answer, the rules that decided it (role, binding scope, rule index, inverted, reason) and, for lists, the SQL condition the user's rules compile to. For administrators who may read all of the user's bindings.",
  })
  explainAccess(@Ctx() ctx: Context, @Arg('input', () => ExplainAccessInput) input: ExplainAccessInput): Promise<AccessExplanation> {
    return explainAccess(ctx, input);
  }
}
