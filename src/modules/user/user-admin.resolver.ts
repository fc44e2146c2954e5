import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/context';
import { Can, RequireViewer } from '../../core/authz/operation';
import { Connection, ConnectionShape } from '../../core/graphql/connection';
import { Enterprise } from '../enterprise/enterprise.entity';
import { loadEnterprise } from '../enterprise/enterprise.service';
import { loadBindingsOfUser } from './role-admin.service';
import { RoleBinding } from './role-admin.types';
import {
  ChangePasswordInput, ChangePasswordPayload, CreateUserInput, ResetUserPasswordInput, ResetUserPasswordPayload, UpdateUserInput, UserPayload,
  UsersArgs, UserStandingInput,
} from './user-admin.inputs';
import * as users from './user-admin.service';
import { User } from './user.entity';

const UserConnection = Connection(User);

@Resolver(() => User)
export class UserAdminResolver {
  @Can('read', 'User')
  @Query(() => UserConnection, { description: 'User accounts the viewer may see, by username unless ordered otherwise.' })
  users(@Ctx() ctx: Context, @Args(() => UsersArgs) args: UsersArgs): Promise<ConnectionShape<User>> {
    return users.listUsers(ctx, args);
  }

  @Can('read', 'User')
  @Query(() => User)
  user(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<User> {
    return users.getUserOrThrow(ctx, id);
  }

  @Can('create', 'User')
  @Mutation(() => UserPayload, { description: 'Create an account with an initial password (the user changes it at first sign-in unless told otherwise). A taken username is CONFLICT.' })
  async createUser(@Ctx() ctx: Context, @Arg('input', () => CreateUserInput) input: CreateUserInput): Promise<UserPayload> {
    return { user: await users.createUser(ctx, input) };
  }

  @Can('update', 'User')
  @Mutation(() => UserPayload, { description: 'Edit an account; `enterpriseId` binds it to an enterprise.' })
  async updateUser(@Ctx() ctx: Context, @Arg('input', () => UpdateUserInput) input: UpdateUserInput): Promise<UserPayload> {
    return { user: await users.updateUser(ctx, input) };
  }

  @Can('update', 'User')
  @Mutation(() => UserPayload, { description: 'Disable an account: it cannot sign in, its sessions end and its access tokens are refused from the next request on every server.' })
  async disableUser(@Ctx() ctx: Context, @Arg('input', () => UserStandingInput) input: UserStandingInput): Promise<UserPayload> {
    return { user: await users.disableUser(ctx, input) };
  }

  @Can('update', 'User')
  @Mutation(() => UserPayload, { description: 'Enable a disabled account (it signs in again; ended sessions stay ended).' })
  async enableUser(@Ctx() ctx: Context, @Arg('input', () => UserStandingInput) input: UserStandingInput): Promise<UserPayload> {
    return { user: await users.enableUser(ctx, input) };
  }

  @Can('update', 'User')
  @Mutation(() => ResetUserPasswordPayload, { description: 'Set a temporary password: the user must change it after signing in; their sessions end.' })
  resetUserPassword(@Ctx() ctx: Context, @Arg('input', () => ResetUserPasswordInput) input: ResetUserPasswordInput): Promise<ResetUserPasswordPayload> {
    return users.resetUserPassword(ctx, input);
  }

  @RequireViewer({ allowTemporaryPassword: true })
  @Mutation(() => ChangePasswordPayload, { description: "Change the signed-in user's own password; clears mustChangePassword and ends their other sessions." })
  async changePassword(@Ctx() ctx: Context, @Arg('input', () => ChangePasswordInput) input: ChangePasswordInput): Promise<ChangePasswordPayload> {
    return { user: await users.changePassword(ctx, input.currentPassword, input.newPassword) };
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: 'For enterprise accounts: the enterprise they act for (null if none, or not visible to the viewer).' })
  enterprise(@Ctx() ctx: Context, @Root() user: User): Promise<Enterprise | null> | null {
    return user.enterpriseId === null ? null : loadEnterprise(ctx, user.enterpriseId);
  }

  @FieldResolver(() => [RoleBinding], { description: "The user's role bindings the viewer may see." })
  roleBindings(@Ctx() ctx: Context, @Root() user: User): Promise<RoleBinding[]> {
    return loadBindingsOfUser(ctx, user.id);
  }
}
