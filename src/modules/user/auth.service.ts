/**
 * Sign-in, token refresh and sign-out. Wrong username and wrong password fail the same way and
 * take the same time, and repeated failures are throttled (core/throttle); refresh tokens rotate,
 * and a reused one revokes its whole session.
 */
import { EntityManager, IsNull } from 'typeorm';
import type { Context } from '../../app/context';
import { dummyPasswordHash, verifyPassword } from '../../core/auth/passwords';
import { hashToken, newRefreshToken, newSessionId, signAccessToken } from '../../core/auth/tokens';
import { bumpAuthzVersion } from '../../core/authz/version';
import { badInput, unauthenticated } from '../../core/errors';
import { textOrThrow } from '../../core/validation';
import { recordAudit } from '../audit/audit.service';
import { AuthPayload } from './auth.inputs';
import { RefreshToken } from './refresh-token.entity';
import { User } from './user.entity';
import { inTransaction, managerOf } from '../../core/db/transaction';

const INVALID_CREDENTIALS = 'Invalid username or password';
const INVALID_REFRESH = 'Invalid or expired refresh token';

function requireLength(field: string, value: string, max: number): void {
  if (value.length === 0) throw badInput(field, `${field} must not be empty`);
  if (value.length > max) throw badInput(field, `${field} must be at most ${max} characters`);
}

export async function login(ctx: Context, username: string, password: string): Promise<AuthPayload> {
  requireLength('username', username, 64);
  requireLength('password', password, 256);
  await ctx.throttles.assertLoginAllowed(username, ctx.clientIp);
  const user = await managerOf(ctx).findOneBy(User, { username });
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !ok || user.disabled) {
    await ctx.throttles.recordLoginFailure(username, ctx.clientIp);
    throw unauthenticated(INVALID_CREDENTIALS);
  }
  await ctx.throttles.recordLoginSuccess(username);
  return inTransaction(ctx, (m) => issueTokens(ctx, m, user, newSessionId()));
}

export async function refresh(ctx: Context, token: string): Promise<AuthPayload> {
  requireLength('refreshToken', token, 128);
  const outcome = await inTransaction(ctx, async (m): Promise<{ payload: AuthPayload } | { reusedSession: string }> => {
    const row = await m.findOneBy(RefreshToken, { tokenHash: hashToken(token) });
    if (!row || row.revokedAt) throw unauthenticated(INVALID_REFRESH);
    // Mark used only if still unused: of two concurrent refreshes with one token, exactly one wins.
    const claimed = await m.update(RefreshToken, { id: row.id, usedAt: IsNull() }, { usedAt: new Date() });
    if (!claimed.affected) return { reusedSession: row.familyId };
    if (row.expiresAt.getTime() <= Date.now()) throw unauthenticated(INVALID_REFRESH);
    const user = await m.findOneBy(User, { id: row.userId });
    if (!user || user.disabled) throw unauthenticated(INVALID_REFRESH);
    return { payload: await issueTokens(ctx, m, user, row.familyId) };
  });
  if ('payload' in outcome) return outcome.payload;
  // A used token presented again has leaked: end the session for everyone holding it.
  await inTransaction(ctx, (m) => revokeSession(m, outcome.reusedSession));
  throw unauthenticated(INVALID_REFRESH);
}

export async function logout(ctx: Context): Promise<boolean> {
  const sessionId = ctx.viewer!.sessionId;
  await inTransaction(ctx, (m) => revokeSession(m, sessionId));
  return true;
}

async function revokeSession(m: EntityManager, familyId: string): Promise<void> {
  await m.update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  await bumpAuthzVersion(m);
}

async function issueTokens(ctx: Context, m: EntityManager, user: User, sessionId: string): Promise<AuthPayload> {
  const refreshToken = newRefreshToken();
  await m.insert(RefreshToken, {
    userId: user.id,
    tokenHash: hashToken(refreshToken),
    familyId: sessionId,
    expiresAt: new Date(Date.now() + ctx.config.refreshTokenTtlSeconds * 1000),
  });
  const accessToken = signAccessToken({ userId: user.id, sessionId }, ctx.config.jwtSecret, ctx.config.accessTokenTtlSeconds);
  return Object.assign(new AuthPayload(), { accessToken, refreshToken, expiresIn: ctx.config.accessTokenTtlSeconds, user });
}

export async function unlockSignIn(ctx: Context, username: string): Promise<boolean> {
  username = textOrThrow('username', username, 64);
  const wasLocked = await ctx.throttles.unlockLogin(username);
  await inTransaction(ctx, (m) =>
    recordAudit(m, ctx, { action: 'unlockSignIn', subjectType: 'User', recordId: null, after: { username, wasLocked } }),
  );
  return wasLocked;
}
