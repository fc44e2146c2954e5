import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { PageArgs } from '../../core/graphql/connection';
import { Order, OrderInput } from '../../core/graphql/ordering';
import { User } from './user.entity';
import { RecordChangeInput } from '../../core/graphql/common-inputs';

@InputType({ description: 'All given conditions must hold.' })
export class UserFilter {
  @Field(() => String, { nullable: true, description: 'Username or display name contains.' })
  search?: string | null;

  @Field(() => Boolean, { nullable: true })
  disabled?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Enterprise accounts of this enterprise.' })
  enterpriseId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Holds this role (in a binding the viewer may see).' })
  roleId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Holds a binding (that the viewer may see) at this unit or below it.' })
  boundWithinUnitId?: string | null;
}

export enum UserOrderField {
  ID = 'ID',
  USERNAME = 'USERNAME',
}
registerEnumType(UserOrderField, { name: 'UserOrderField' });

export const UserOrder = OrderInput<UserOrderField>('UserOrder', UserOrderField);
export type UserOrder = Order<UserOrderField>;

@ArgsType()
export class UsersArgs extends PageArgs {
  @Field(() => UserFilter, { nullable: true })
  filter?: UserFilter | null;

  @Field(() => UserOrder, { nullable: true, description: 'Default: by username. Ties are broken by id.' })
  orderBy?: UserOrder | null;
}

@InputType()
export class CreateUserInput {
  @Field(() => String, { description: 'Letters, digits, ".", "_" and "-" (2–64); unique.' })
  username: string;

  @Field(() => String)
  displayName: string;

  @Field(() => String, { description: 'The initial password (at least 8 characters, with a letter and a digit). Stored only as a scrypt hash.' })
  password: string;

  @Field(() => Boolean, { nullable: true, description: 'Whether the user must change the password at first sign-in (default true).' })
  mustChangePassword?: boolean | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => ID, { nullable: true, description: 'For enterprise accounts: the enterprise they act for ("${user.enterpriseId}" in rules).' })
  enterpriseId?: string | null;
}

@InputType({ description: 'Fields left out are not changed; null clears an optional field.' })
export class UpdateUserInput extends RecordChangeInput {
  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;

  @Field(() => ID, { nullable: true, description: 'Binds the account to an enterprise; null makes it a government account again.' })
  enterpriseId?: string | null;
}

@InputType()
export class UserStandingInput extends RecordChangeInput {
}

@InputType()
export class ResetUserPasswordInput extends RecordChangeInput {
  @Field(() => String, {
    nullable: true,
    description: 'The temporary password to hand over; left out, a random one is generated and returned once in the payload.',
  })
  temporaryPassword?: string | null;
}

@InputType()
export class ChangePasswordInput {
  @Field(() => String)
  currentPassword: string;

  @Field(() => String, { description: 'At least 8 characters, with a letter and a digit; not the username, not the current one.' })
  newPassword: string;
}

@ObjectType()
export class UserPayload {
  @Field(() => User)
  user: User;
}

@ObjectType()
export class ResetUserPasswordPayload {
  @Field(() => User)
  user: User;

  @Field(() => String, { nullable: true, description: 'The generated temporary password, when none was given. Shown only here, only once.' })
  temporaryPassword: string | null;
}

@ObjectType()
export class ChangePasswordPayload {
  @Field(() => User)
  user: User;
}
