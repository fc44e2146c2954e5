import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/context';
import { Can } from '../../core/authz/operation';
import { Connection, ConnectionShape, PageArgs } from '../../core/graphql/connection';
import { toGlobalId } from '../../core/graphql/global-id';
import { OrgUnit } from '../org/org-unit.entity';
import { loadOrgUnit } from '../org/org.service';
import {
  BindRoleInput, CreateRoleInput, DeleteRoleInput, DeleteRolePayload, RoleBindingPayload, RoleBindingsArgs, RolePayload, RolesArgs,
  UnbindRoleInput, UnbindRolePayload, UpdateRoleInput,
} from './role-admin.inputs';
import * as roles from './role-admin.service';
import { Role, RoleBinding } from './role-admin.types';
import { loadUser } from './user-admin.service';
import { User } from './user.entity';

const RoleConnection = Connection(Role);
const RoleBindingConnection = Connection(RoleBinding);

@Resolver(() => Role)
export class RoleAdminResolver {
  @Can('read', 'Role')
  @Query(() => RoleConnection, { description: 'Roles by key: the built-in ones and the custom ones admins made.' })
  roles(@Ctx() ctx: Context, @Args(() => RolesArgs) args: RolesArgs): Promise<ConnectionShape<Role>> {
    return roles.listRoles(ctx, args);
  }

  @Can('read', 'Role')
  @Query(() => Role)
  role(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Role> {
    return roles.getRoleOrThrow(ctx, id);
  }

  @Can('create', 'Role')
  @Mutation(() => RolePayload, {
    description: 'Create a custom role. Rules naming an unknown subject, action, field, operator or placeholder, or that cannot be translated to SQL exactly, are BAD_USER_INPUT on `rules.<index>`.',
  })
  async createRole(@Ctx() ctx: Context, @Arg('input', () => CreateRoleInput) input: CreateRoleInput): Promise<RolePayload> {
    return { role: await roles.createRole(ctx, input) };
  }

  @Can('update', 'Role')
  @Mutation(() => RolePayload, { description: 'Change a custom role; takes effect on the next request of every holder. Built-in roles are FORBIDDEN.' })
  async updateRole(@Ctx() ctx: Context, @Arg('input', () => UpdateRoleInput) input: UpdateRoleInput): Promise<RolePayload> {
    return { role: await roles.updateRole(ctx, input) };
  }

  @Can('delete', 'Role')
  @Mutation(() => DeleteRolePayload, { description: 'Delete a custom role that nobody holds (CONFLICT with the binding count otherwise). Built-in roles are FORBIDDEN.' })
  async deleteRole(@Ctx() ctx: Context, @Arg('input', () => DeleteRoleInput) input: DeleteRoleInput): Promise<DeleteRolePayload> {
    const role = await roles.deleteRole(ctx, input);
    return { deletedRoleId: toGlobalId('Role', role.id) };
  }

  @FieldResolver(() => RoleBindingConnection, { description: "The role's bindings (who holds it where) the viewer may see." })
  bindings(@Ctx() ctx: Context, @Root() role: Role, @Args(() => PageArgs) args: PageArgs): ConnectionShape<RoleBinding> | Promise<ConnectionShape<RoleBinding>> {
    return roles.roleBindingsOfRole(ctx, role.id, args);
  }
}

@Resolver(() => RoleBinding)
export class RoleBindingResolver {
  @Can('read', 'RoleBinding')
  @Query(() => RoleBindingConnection, { description: 'Role bindings the viewer may see: filter by user for their roles, by role for its users.' })
  roleBindings(@Ctx() ctx: Context, @Args(() => RoleBindingsArgs) args: RoleBindingsArgs): Promise<ConnectionShape<RoleBinding>> {
    return roles.listRoleBindings(ctx, args);
  }

  @Can('create', 'RoleBinding')
  @Mutation(() => RoleBindingPayload, {
    description:
      'Give a user a role at a scope unit: only at or below the scope of your own binding that allows it, and only a role whose rules your own rules cover (unless you may manage every role). No escalation.',
  })
  async bindRole(@Ctx() ctx: Context, @Arg('input', () => BindRoleInput) input: BindRoleInput): Promise<RoleBindingPayload> {
    return { binding: await roles.bindRole(ctx, input) };
  }

  @Can('delete', 'RoleBinding')
  @Mutation(() => UnbindRolePayload, { description: 'Remove a role binding; the same limits as granting it apply.' })
  async unbindRole(@Ctx() ctx: Context, @Arg('input', () => UnbindRoleInput) input: UnbindRoleInput): Promise<UnbindRolePayload> {
    const binding = await roles.unbindRole(ctx, input);
    return { deletedBindingId: toGlobalId('RoleBinding', binding.id) };
  }

  @FieldResolver(() => ID)
  id(@Root() binding: RoleBinding): string {
    return toGlobalId('RoleBinding', binding.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Null if the viewer may not see the user.' })
  user(@Ctx() ctx: Context, @Root() binding: RoleBinding): Promise<User | null> {
    return loadUser(ctx, binding.userId);
  }

  @FieldResolver(() => Role, { nullable: true, description: 'Null if the viewer may not see the role.' })
  role(@Ctx() ctx: Context, @Root() binding: RoleBinding): Promise<Role | null> {
    return roles.loadRole(ctx, binding.roleId);
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The scope unit; null if the viewer may not see it.' })
  scopeUnit(@Ctx() ctx: Context, @Root() binding: RoleBinding): Promise<OrgUnit | null> {
    return loadOrgUnit(ctx, binding.scopeUnitId);
  }
}
