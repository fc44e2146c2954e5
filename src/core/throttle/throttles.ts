/**
 * Sign-in throttling and per-user request rates, on a ThrottleStore.
 *
 * Sign-in: the first few failures per username are free; after that each further attempt must
 * wait twice as long as the last (1 s, 2 s, 4 s, … up to 15 min), and after `lockAfter` failures
 * the username is locked until an admin unlocks it. Per IP the same back-off applies from a higher
 * threshold, without a lock (an office behind one NAT address must not lock everyone out).
 * Locks apply to any username, known or not, so they reveal nothing about which accounts exist.
 */
import { AppError } from '../errors';
import { ThrottleStore } from './store';

export interface ThrottleSettings {
  loginFreeFailures: number;
  loginLockAfter: number;
  loginFreeFailuresPerIp: number;
  requestsPerMinute: number;
}

const FAILURE_WINDOW_MS = 60 * 60 * 1000;
const LOCK_MS = 30 * 24 * 60 * 60 * 1000;
const MAX_BACKOFF_MS = 15 * 60 * 1000;

export function rateLimited(message: string, retryAfterMs: number | null): AppError {
  const seconds = retryAfterMs === null ? null : Math.max(1, Math.ceil(retryAfterMs / 1000));
  const error = new AppError('RATE_LIMITED', message, seconds === null ? {} : { retryAfterSeconds: seconds });
  const headers = new Map<string, string>(seconds === null ? [] : [['retry-after', String(seconds)]]);
  error.extensions.http = { status: 429, headers };
  return error;
}

const userKey = (username: string) => username.trim().toLowerCase();

export class Throttles {
  constructor(private readonly store: ThrottleStore, private readonly settings: ThrottleSettings) {}

  /** Throws RATE_LIMITED if this username or address may not try to sign in now. */
  async assertLoginAllowed(username: string, ip: string): Promise<void> {
    const u = userKey(username);
    if (await this.store.get(`login:lock:${u}`)) {
      throw rateLimited('Too many failed sign-ins for this username: ask an administrator to unlock it', null);
    }
    for (const wait of [await this.store.get(`login:wait:u:${u}`), await this.store.get(`login:wait:ip:${ip}`)]) {
      if (wait) throw rateLimited('Too many failed sign-ins: wait before trying again', wait.ttlMs);
    }
  }

  async recordLoginFailure(username: string, ip: string): Promise<void> {
    const u = userKey(username);
    const byUser = await this.store.increment(`login:fail:u:${u}`, FAILURE_WINDOW_MS);
    if (byUser.count >= this.settings.loginLockAfter) await this.store.mark(`login:lock:${u}`, LOCK_MS);
    else if (byUser.count > this.settings.loginFreeFailures) {
      await this.store.mark(`login:wait:u:${u}`, backoff(byUser.count - this.settings.loginFreeFailures));
    }
    const byIp = await this.store.increment(`login:fail:ip:${ip}`, FAILURE_WINDOW_MS);
    if (byIp.count > this.settings.loginFreeFailuresPerIp) {
      await this.store.mark(`login:wait:ip:${ip}`, backoff(byIp.count - this.settings.loginFreeFailuresPerIp));
    }
  }

  async recordLoginSuccess(username: string): Promise<void> {
    const u = userKey(username);
    await this.store.delete(`login:fail:u:${u}`, `login:wait:u:${u}`);
  }

  /** Admin action: lifts a lock and forgets the failures. */
  async unlockLogin(username: string): Promise<boolean> {
    const u = userKey(username);
    const locked = (await this.store.get(`login:lock:${u}`)) !== null;
    await this.store.delete(`login:lock:${u}`, `login:fail:u:${u}`, `login:wait:u:${u}`);
    return locked;
  }

  /** Counts a request of `userId` in the current minute; throws RATE_LIMITED beyond the limit. */
  async assertRequestAllowed(userId: number): Promise<void> {
    const counter = await this.store.increment(`rate:${userId}`, 60_000);
    if (counter.count > this.settings.requestsPerMinute) {
      throw rateLimited(`More than ${this.settings.requestsPerMinute} requests a minute`, counter.ttlMs);
    }
  }
}

function backoff(excess: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(excess - 1, 20));
}
