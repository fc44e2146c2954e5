/**
 * Configuration: read once from the environment, validated, frozen.
 * Every bad value is reported with its variable name so a misconfigured server
 * refuses to start with a one-line reason instead of failing later.
 */
export type Database =
  | { type: 'mysql'; url: string; database: string }
  | { type: 'sqlite'; path: string };

export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  database: Database;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Demo data is loaded on start outside production only. */
  seedDemo: boolean;
  limits: QueryLimits;
  /** Origins allowed to call the API from a browser (CORS); empty = same origin only. */
  corsOrigins: string[];
  /** A request that takes longer is answered 503 and its work abandoned. */
  requestTimeoutMs: number;
  /** Shared throttling state for several server processes; in memory when unset. */
  redisUrl: string | undefined;
  /** Take the client address from X-Forwarded-For (only behind a trusted load balancer). */
  trustProxy: boolean;
  throttle: {
    loginFreeFailures: number;
    loginLockAfter: number;
    loginFreeFailuresPerIp: number;
    requestsPerMinute: number;
  };
  /**
   * Prometheus metrics; off unless one is set. `token`: /metrics requires `Authorization: Bearer <token>`.
   * `port`: /metrics is served on a separate listener bound to 127.0.0.1 (not on the API port).
   */
  metrics: { token: string | undefined; port: number | undefined };
}

export interface QueryLimits {
  depth: number;
  complexity: number;
  aliases: number;
  tokens: number;
}

export class ConfigError extends Error {}

/** A secret known to every reader of this repository; accepted outside production only. */
export const DEV_JWT_SECRET = 'techtransform-development-secret-change-me';

const DURATION = /^(\d+)(s|m|h|d)?$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

function parseDuration(name: string, raw: string): number {
  const m = DURATION.exec(raw.trim());
  if (!m || Number(m[1]) <= 0) {
    throw new ConfigError(`${name} must be a positive duration like 900, 15m, 12h or 30d (got "${raw}")`);
  }
  return Number(m[1]) * UNIT_SECONDS[m[2] ?? 's'];
}

function parseDatabase(raw: string | undefined, env: Config['env']): Database {
  if (!raw) return { type: 'sqlite', path: env === 'test' ? ':memory:' : 'data/techtransform.sqlite' };
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!path) throw new ConfigError('DATABASE_URL sqlite: needs a file path, e.g. sqlite:data/app.sqlite');
    return { type: 'sqlite', path };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL is not a valid URL (expected mysql://user:password@host:3306/database or sqlite:path)');
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new ConfigError(`DATABASE_URL scheme "${url.protocol.replace(':', '')}" is not supported (use mysql:// or sqlite:)`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname || !/^[A-Za-z0-9_$-]+$/.test(database)) {
    throw new ConfigError('DATABASE_URL must name a host and a database, e.g. mysql://root@127.0.0.1:3306/techtransform');
  }
  url.protocol = 'mysql:';
  return { type: 'mysql', url: url.toString(), database };
}

function parseChoice<T extends string>(name: string, raw: string | undefined, choices: readonly T[], fallback: T): T {
  if (raw === undefined || raw === '') return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${choices.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const env = parseChoice('NODE_ENV', source.NODE_ENV, ['development', 'test', 'production'] as const, 'development');
  const portRaw = source.PORT ?? '4000';
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer between 0 and 65535 (got "${portRaw}")`);
  }
  const jwtSecret = source.JWT_SECRET ?? (env === 'production' ? '' : DEV_JWT_SECRET);
  if (env === 'production' && (jwtSecret.length < 32 || jwtSecret === DEV_JWT_SECRET)) {
    throw new ConfigError('JWT_SECRET must be set to a random secret of at least 32 characters in production');
  }
  const positiveInt = (name: string, fallback: number): number => {
    const raw = source[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer (got "${raw}")`);
    return value;
  };
  const corsOrigins = (source.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new ConfigError(`CORS_ORIGINS entries must be origins like https://app.example.gov.cn (got "${origin}")`);
  }
  const redisUrl = source.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) throw new ConfigError('REDIS_URL must look like redis://host:6379');
  const trustRaw = source.TRUST_PROXY;
  if (trustRaw !== undefined && trustRaw !== 'true' && trustRaw !== 'false') throw new ConfigError(`TRUST_PROXY must be true or false (got "${trustRaw}")`);
  const metricsToken = source.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && (metricsToken.length < 16 || /\s/.test(metricsToken))) {
    throw new ConfigError('METRICS_TOKEN must be a random secret of at least 16 characters without spaces');
  }
  const metricsPortRaw = source.METRICS_PORT || undefined;
  const metricsPort = metricsPortRaw === undefined ? undefined : Number(metricsPortRaw);
  if (metricsPortRaw !== undefined && (!/^\d{1,5}$/.test(metricsPortRaw) || metricsPort! > 65535)) {
    throw new ConfigError(`METRICS_PORT must be an integer between 0 and 65535 (got "${metricsPortRaw}")`);
  }
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === port) {
    throw new ConfigError(`METRICS_PORT must differ from PORT (both are ${port})`);
  }
  const seedRaw = source.SEED_DEMO;
  if (seedRaw !== undefined && seedRaw !== 'true' && seedRaw !== 'false') {
    throw new ConfigError(`SEED_DEMO must be true or false (got "${seedRaw}")`);
  }
  return Object.freeze({
    env,
    port,
    host: source.HOST ?? '127.0.0.1',
    database: parseDatabase(source.DATABASE_URL, env),
    jwtSecret,
    accessTokenTtlSeconds: parseDuration('ACCESS_TOKEN_TTL', source.ACCESS_TOKEN_TTL ?? '15m'),
    refreshTokenTtlSeconds: parseDuration('REFRESH_TOKEN_TTL', source.REFRESH_TOKEN_TTL ?? '30d'),
    logLevel: parseChoice('LOG_LEVEL', source.LOG_LEVEL, ['debug', 'info', 'warn', 'error'] as const, 'info'),
    // Production never loads demo data, whatever SEED_DEMO says.
    seedDemo: env !== 'production' && seedRaw !== 'false',
    limits: {
      depth: positiveInt('MAX_QUERY_DEPTH', 12),
      complexity: positiveInt('MAX_QUERY_COMPLEXITY', 25000),
      aliases: positiveInt('MAX_QUERY_ALIASES', 30),
      tokens: positiveInt('MAX_QUERY_TOKENS', 4000),
    },
    corsOrigins,
    requestTimeoutMs: positiveInt('REQUEST_TIMEOUT_MS', 15000),
    redisUrl,
    trustProxy: trustRaw === 'true',
    throttle: {
      loginFreeFailures: positiveInt('LOGIN_FREE_FAILURES', 5),
      loginLockAfter: positiveInt('LOGIN_LOCK_AFTER', 15),
      loginFreeFailuresPerIp: positiveInt('LOGIN_FREE_FAILURES_PER_IP', 30),
      requestsPerMinute: positiveInt('RATE_LIMIT_PER_MINUTE', 600),
    },
    metrics: { token: metricsToken, port: metricsPort },
  });
}
