/**
 * Where throttling state lives, behind one small interface: counters with an expiry. In memory for
 * a single process; in Redis (REDIS_URL) when several server processes must share it.
 */
import type Redis from 'ioredis';

export interface Counter {
  count: number;
  /** Milliseconds until the counter expires. */
  ttlMs: number;
}

export interface ThrottleStore {
  /** Adds 1 to `key` (created with `ttlMs` if absent; the expiry is not extended) and returns it. */
  increment(key: string, ttlMs: number): Promise<Counter>;
  get(key: string): Promise<Counter | null>;
  /** Sets `key` to 1 for `ttlMs`. */
  mark(key: string, ttlMs: number): Promise<void>;
  delete(...keys: string[]): Promise<void>;
  close(): Promise<void>;
}

export class MemoryThrottleStore implements ThrottleStore {
  private readonly counters = new Map<string, { count: number; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  private live(key: string) {
    const entry = this.counters.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.counters.delete(key);
      return undefined;
    }
    return entry;
  }

  async increment(key: string, ttlMs: number): Promise<Counter> {
    const entry = this.live(key) ?? { count: 0, expiresAt: this.now() + ttlMs };
    entry.count++;
    this.counters.set(key, entry);
    this.sweep();
    return { count: entry.count, ttlMs: entry.expiresAt - this.now() };
  }

  async get(key: string): Promise<Counter | null> {
    const entry = this.live(key);
    return entry ? { count: entry.count, ttlMs: entry.expiresAt - this.now() } : null;
  }

  async mark(key: string, ttlMs: number): Promise<void> {
    this.counters.set(key, { count: 1, expiresAt: this.now() + ttlMs });
  }

  async delete(...keys: string[]): Promise<void> {
    for (const key of keys) this.counters.delete(key);
  }

  async close(): Promise<void> {
    this.counters.clear();
  }

  /** Drops expired counters now and then, so memory stays bounded by the live ones. */
  private sweep(): void {
    if (this.counters.size < 10_000) return;
    for (const key of [...this.counters.keys()]) this.live(key);
  }
}

export class RedisThrottleStore implements ThrottleStore {
  private readonly redis: Redis;

  constructor(url: string, private readonly prefix = 'techtransform:throttle:') {
    // ioredis is loaded only when a Redis URL is configured: ~1.7 MiB of heap otherwise kept for nothing.
    const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
    this.redis = new RedisClient(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
  }

  async increment(key: string, ttlMs: number): Promise<Counter> {
    const k = this.prefix + key;
    // SET NX creates the counter with its expiry; INCR then counts atomically across processes.
    const [, [, count], [, ttl]] = (await this.redis.multi().set(k, 0, 'PX', ttlMs, 'NX').incr(k).pttl(k).exec()) as [unknown, [unknown, number], [unknown, number]];
    return { count: Number(count), ttlMs: Math.max(0, Number(ttl)) };
  }

  async get(key: string): Promise<Counter | null> {
    const k = this.prefix + key;
    const [[, value], [, ttl]] = (await this.redis.multi().get(k).pttl(k).exec()) as [[unknown, string | null], [unknown, number]];
    return value === null ? null : { count: Number(value), ttlMs: Math.max(0, Number(ttl)) };
  }

  async mark(key: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, 1, 'PX', ttlMs);
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length) await this.redis.del(...keys.map((k) => this.prefix + k));
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}

export function createThrottleStore(redisUrl: string | undefined): ThrottleStore {
  return redisUrl ? new RedisThrottleStore(redisUrl) : new MemoryThrottleStore();
}
