import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { User } from './user.entity';

@InputType()
export class LoginInput {
  @Field()
  username: string;

  @Field()
  password: string;
}

@InputType()
export class RefreshTokenInput {
  @Field()
  refreshToken: string;
}

@ObjectType({ description: 'Tokens for a session: send `accessToken` as `Authorization: Bearer …`; trade `refreshToken` for new tokens before it expires.' })
export class AuthPayload {
  @Field()
  accessToken: string;

  @Field(() => Int, { description: 'Seconds until the access token expires.' })
  expiresIn: number;

  @Field({ description: 'Single use: each refresh returns a new one. Reusing an old one ends the session.' })
  refreshToken: string;

  @Field(() => User)
  user: User;
}

@ObjectType()
export class LogoutPayload {
  @Field()
  ok: boolean;
}

@InputType()
export class UnlockSignInInput {
  @Field(() => String)
  username: string;
}

@ObjectType()
export class UnlockSignInPayload {
  @Field({ description: 'Whether the username was locked.' })
  wasLocked: boolean;
}
