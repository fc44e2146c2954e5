/**
 * Access tokens are short-lived HS256 JWTs naming the user and the session (refresh-token family).
 * Refresh tokens are opaque random strings; only their SHA-256 is stored (see RefreshToken).
 */
import { createHash, createSecretKey, KeyObject, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { setBounded } from '../bounded';

export interface AccessClaims {
  userId: number;
  sessionId: string;
}

const ISSUER = 'techtransform';

// A KeyObject made once per secret: given the string, jsonwebtoken tries (and fails) to parse it
// as a public key on every call, which costs more than the signature itself.
const keys = new Map<string, KeyObject>();
const keyOf = (secret: string): KeyObject => {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
};

export function signAccessToken(claims: AccessClaims, secret: string, ttlSeconds: number): string {
  return jwt.sign({ sid: claims.sessionId }, keyOf(secret), {
    algorithm: 'HS256',
    subject: String(claims.userId),
    issuer: ISSUER,
    expiresIn: ttlSeconds,
  });
}

/** Tokens already verified, per secret, with their claims and expiry: a client sends one token many times. */
const verified = new Map<string, Map<string, { claims: AccessClaims; expiresAt: number }>>();
const MAX_VERIFIED = 10_000;

/** Returns null for any invalid, expired or tampered token; the caller answers UNAUTHENTICATED. */
export function verifyAccessToken(token: string, secret: string): AccessClaims | null {
  let known = verified.get(secret);
  if (!known) verified.set(secret, (known = new Map()));
  const hit = known.get(token);
  // jsonwebtoken's own rule: expired once the current second reaches `exp`.
  if (hit) return Math.floor(Date.now() / 1000) < hit.expiresAt ? hit.claims : null;
  try {
    const payload = jwt.verify(token, keyOf(secret), { algorithms: ['HS256'], issuer: ISSUER });
    if (typeof payload === 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') return null;
    const userId = Number(payload.sub);
    if (!Number.isInteger(userId) || userId <= 0) return null;
    const claims = { userId, sessionId: payload.sid };
    setBounded(known, token, { claims, expiresAt: payload.exp }, MAX_VERIFIED);
    return claims;
  } catch {
    return null;
  }
}

export const newRefreshToken = (): string => randomBytes(32).toString('base64url');
export const newSessionId = (): string => randomUUID();
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
