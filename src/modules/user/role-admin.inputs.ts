import { GraphQLJSON } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType, ObjectType } from 'type-graphql';
import { PageArgs } from '../../core/graphql/connection';
import { Role, RoleBinding } from './role-admin.types';
import { RecordChangeInput } from '../../core/graphql/common-inputs';

@InputType({ description: 'All given conditions must hold.' })
export class RoleFilter {
  @Field(() => Boolean, { nullable: true })
  builtIn?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Key or name contains.' })
  search?: string | null;
}

@ArgsType()
export class RolesArgs extends PageArgs {
  @Field(() => RoleFilter, { nullable: true })
  filter?: RoleFilter | null;
}

@InputType()
export class CreateRoleInput {
  @Field(() => String, { description: 'Lower-case letters, digits and underscores, starting with a letter (2–64).' })
  key: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [GraphQLJSON], {
    description: 'CASL raw rules. Each is checked against the subjects, actions, fields and operators rules may use; a problem is BAD_USER_INPUT on `rules.<index>`.',
  })
  rules: unknown[];
}

@InputType({ description: 'Fields left out are not changed.' })
export class UpdateRoleInput extends RecordChangeInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'An empty string clears it.' })
  description?: string | null;

  @Field(() => [GraphQLJSON], { nullable: true, description: 'The complete new rule list (replaces the old one).' })
  rules?: unknown[] | null;
}

@InputType()
export class DeleteRoleInput extends RecordChangeInput {
}

@ObjectType()
export class RolePayload {
  @Field(() => Role)
  role: Role;
}

@ObjectType()
export class DeleteRolePayload {
  @Field(() => ID)
  deletedRoleId: string;
}

@InputType({ description: 'Give `roleId` to `userId` at `scopeUnitId` (the unit whose subtree fills "${scope.subtree}").' })
export class BindRoleInput {
  @Field(() => ID)
  userId: string;

  @Field(() => ID)
  roleId: string;

  @Field(() => ID)
  scopeUnitId: string;
}

@InputType()
export class UnbindRoleInput {
  @Field(() => ID, { description: 'The binding to remove.' })
  bindingId: string;
}

@ObjectType()
export class RoleBindingPayload {
  @Field(() => RoleBinding)
  binding: RoleBinding;
}

@ObjectType()
export class UnbindRolePayload {
  @Field(() => ID)
  deletedBindingId: string;
}

@InputType({ description: 'All given conditions must hold.' })
export class RoleBindingFilter {
  @Field(() => ID, { nullable: true })
  userId?: string | null;

  @Field(() => ID, { nullable: true })
  roleId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Bound exactly at this unit.' })
  scopeUnitId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Bound at this unit or any unit below it.' })
  withinUnitId?: string | null;
}

@ArgsType()
export class RoleBindingsArgs extends PageArgs {
  @Field(() => RoleBindingFilter, { nullable: true })
  filter?: RoleBindingFilter | null;
}
