import { GraphQLJSON } from 'graphql-scalars';
import { Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../app/context';
import { RequireViewer } from '../../core/authz/operation';
import { toGlobalId } from '../../core/graphql/global-id';

@ObjectType({
  description:
    'The rules one role binding grants, packed with `packRules` from `@casl/ability/extra`. A viewer may do what ANY set allows: ' +
    'build one ability per set (`createMongoAbility(unpackRules(rules))`) and check them all.',
})
export class PermissionSet {
  @Field()
  role: string;

  @Field(() => ID, { description: 'Global id of the scope unit of the binding.' })
  scopeUnitId: string;

  @Field(() => GraphQLJSON)
  rules: unknown[];
}

@Resolver()
export class PermissionsResolver {
  @RequireViewer()
  @Query(() => [PermissionSet], { description: "The viewer's own rules, for hiding what they may not do in the UI. The server enforces them regardless." })
  myPermissions(@Ctx() ctx: Context): PermissionSet[] {
    return ctx.viewer!.permissions.packed().map((p) => ({ role: p.roleKey, scopeUnitId: toGlobalId('OrgUnit', p.scopeUnitId), rules: p.rules }));
  }
}
