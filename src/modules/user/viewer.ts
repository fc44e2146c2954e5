/**
 * Resolves the bearer token of a request into a Viewer. A token is accepted only if it verifies,
 * its user exists and is enabled, and its session (refresh-token family) is not revoked.
 * The result, with the user's permissions, is cached per (user, session) and reused while the
 * authorization version is unchanged, so the steady state costs at most one primary-key query per
 * request (requests that arrive together share it: core/authz/version `AuthzVersionReader`).
 */
import { DataSource } from 'typeorm';
import type { Viewer } from '../../app/context';
import { verifyAccessToken } from '../../core/auth/tokens';
import { loadPermissions } from '../../core/authz/permissions';
import { AuthzVersionReader, currentAuthzVersion } from '../../core/authz/version';
import { setBounded } from '../../core/bounded';
import { AppError, unauthenticated } from '../../core/errors';
import { RefreshToken } from './refresh-token.entity';
import { User } from './user.entity';

interface CacheEntry {
  version: number;
  viewer: Viewer | null;
}

const MAX_ENTRIES = 5000;

export class ViewerResolver {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly versions: AuthzVersionReader;

  constructor(private readonly ds: DataSource, private readonly jwtSecret: string) {
    this.versions = new AuthzVersionReader(() => currentAuthzVersion(ds.manager));
  }

  async resolve(authorization: string | undefined): Promise<{ viewer: Viewer | null; error: AppError | null }> {
    if (!authorization) return { viewer: null, error: null };
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(authorization);
    const claims = match ? verifyAccessToken(match[1], this.jwtSecret) : null;
    if (!claims) return { viewer: null, error: unauthenticated('Invalid or expired access token') };

    const key = `${claims.userId}:${claims.sessionId}`;
    const version = await this.versions.current();
    let entry = this.cache.get(key);
    if (!entry || entry.version !== version) {
      entry = { version, viewer: await this.load(claims.userId, claims.sessionId) };
      setBounded(this.cache, key, entry, MAX_ENTRIES);
    }
    return entry.viewer ? { viewer: entry.viewer, error: null } : { viewer: null, error: unauthenticated('Invalid or expired access token') };
  }

  private async load(userId: number, sessionId: string): Promise<Viewer | null> {
    const user = await this.ds.manager.findOneBy(User, { id: userId });
    if (!user || user.disabled) return null;
    const revoked = await this.ds.manager
      .createQueryBuilder(RefreshToken, 't')
      .where('t.familyId = :sessionId AND t.userId = :userId AND t.revokedAt IS NOT NULL', { sessionId, userId })
      .getExists();
    return revoked ? null : { user, sessionId, permissions: await loadPermissions(this.ds.manager, user) };
  }
}
