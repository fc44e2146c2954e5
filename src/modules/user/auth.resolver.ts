import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../app/context';
import { Can, Public, RequireViewer } from '../../core/authz/operation';
import { AuthPayload, LoginInput, LogoutPayload, RefreshTokenInput, UnlockSignInInput, UnlockSignInPayload } from './auth.inputs';
import * as auth from './auth.service';
import { User } from './user.entity';

@Resolver()
export class AuthResolver {
  @Public()
  @Mutation(() => AuthPayload, { description: 'Sign in. Wrong username and wrong password fail alike with UNAUTHENTICATED.' })
  login(@Ctx() ctx: Context, @Arg('input', () => LoginInput) input: LoginInput): Promise<AuthPayload> {
    return auth.login(ctx, input.username, input.password);
  }

  @Public()
  @Mutation(() => AuthPayload, { description: 'Trade a refresh token for new tokens (rotating; a reused token ends the session).' })
  refreshToken(@Ctx() ctx: Context, @Arg('input', () => RefreshTokenInput) input: RefreshTokenInput): Promise<AuthPayload> {
    return auth.refresh(ctx, input.refreshToken);
  }

  @RequireViewer({ allowTemporaryPassword: true })
  @Mutation(() => LogoutPayload, { description: 'End the current session: its refresh and access tokens stop working.' })
  async logout(@Ctx() ctx: Context): Promise<LogoutPayload> {
    return { ok: await auth.logout(ctx) };
  }

  @Can('update', 'User')
  @Mutation(() => UnlockSignInPayload, { description: 'Lift the sign-in lock that repeated failures put on a username (admin).' })
  async unlockSignIn(@Ctx() ctx: Context, @Arg('input', () => UnlockSignInInput) input: UnlockSignInInput): Promise<UnlockSignInPayload> {
    return { wasLocked: await auth.unlockSignIn(ctx, input.username) };
  }

  @RequireViewer({ allowTemporaryPassword: true })
  @Query(() => User, { description: 'The signed-in user (check mustChangePassword after signing in).' })
  me(@Ctx() ctx: Context): User {
    return ctx.viewer!.user;
  }
}
