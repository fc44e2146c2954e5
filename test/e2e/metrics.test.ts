/**
 * Prometheus metrics: off unless configured; behind a bearer token (METRICS_TOKEN) on the API port,
 * or on an internal port bound to 127.0.0.1 (METRICS_PORT); request counts and latency by
 * operation, errors by code, database pool usage (the real mysql2 pool on MariaDB), process metrics.
 */
import type { QueryRunner } from 'typeorm';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../../src/app/config';
import { MAX_OPERATION_LABELS, Metrics } from '../../src/app/metrics';
import { startTestApp, TestApp } from '../helpers/app';
import { isMysql, openTestDatabase } from '../helpers/database';
import { createUserWithRole } from '../helpers/factories';

const TOKEN = 'metrics-token-0123456789abcdef';

let ds: DataSource;

beforeAll(async () => {
  ds = await openTestDatabase();
});
afterAll(async () => {
  await ds.destroy();
});

async function withApp(env: Record<string, string>, fn: (t: TestApp) => Promise<void>) {
  const t = await startTestApp(ds, env);
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

const scrape = (url: string, token?: string) => fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});

/** The value of one sample in the Prometheus text format; labels must match exactly (any order). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`).sort().join(',');
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(/,(?=\w+=")/).filter(Boolean).sort().join(',');
    if (have === want) return Number(m[3]);
  }
  return undefined;
}

describe('configuration', () => {
  it('keeps /metrics off when neither METRICS_TOKEN nor METRICS_PORT is set', async () => {
    await withApp({}, async (t) => {
      expect(t.app.metricsUrl).toBeUndefined();
      expect((await fetch(new URL('/metrics', t.app.url))).status).toBe(404);
    });
  });

  it.each([
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN must be a random secret of at least 16 characters/],
    [{ METRICS_TOKEN: 'has spaces in the middle of it' }, /METRICS_TOKEN/],
    [{ METRICS_PORT: 'nine' }, /METRICS_PORT must be an integer between 0 and 65535 \(got "nine"\)/],
    [{ METRICS_PORT: '70000' }, /METRICS_PORT must be an integer/],
    [{ METRICS_PORT: '-1' }, /METRICS_PORT must be an integer/],
    [{ PORT: '4000', METRICS_PORT: '4000' }, /METRICS_PORT must differ from PORT/],
  ])('refuses %j with a clear reason', (env, reason) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(reason);
  });

  it('reads both settings', () => {
    expect(loadConfig({ METRICS_TOKEN: TOKEN, METRICS_PORT: '9464' }).metrics).toEqual({ token: TOKEN, port: 9464 });
    expect(loadConfig({}).metrics).toEqual({ token: undefined, port: undefined });
  });
});

describe('METRICS_TOKEN: on the API port, behind a bearer token', () => {
  it('refuses a scrape without the token or with a wrong one', async () => {
    await withApp({ METRICS_TOKEN: TOKEN }, async (t) => {
      expect(t.app.metricsUrl).toBe(new URL('/metrics', t.app.url).href);
      const none = await scrape(t.app.metricsUrl!);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await scrape(t.app.metricsUrl!, TOKEN + 'x')).status).toBe(401);
      expect((await fetch(t.app.metricsUrl!, { headers: { authorization: TOKEN } })).status).toBe(401);
      expect((await scrape(t.app.metricsUrl!, TOKEN)).status).toBe(200);
    });
  });

  it('counts requests and latency by operation, errors by code, and reports the pool and the process', async () => {
    await withApp({ METRICS_TOKEN: TOKEN }, async (t) => {
      const user = await createUserWithRole(ds, 'county_officer', 'MY-FC');
      const token = await t.login(user.username);
      await t.gql('query Me { me { username } }', {}, token);
      await t.gql('query Me { me { username } }', {}, token);
      await t.gql('query Me { me { username } }'); // no token: UNAUTHENTICATED
      await t.gql('query Typo { mee }');

      const res = await scrape(t.app.metricsUrl!, TOKEN);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      const me = { operation: 'Me', type: 'query' };
      expect(sample(text, 'graphql_requests_total', me)).toBe(3);
      expect(sample(text, 'graphql_request_duration_seconds_count', me)).toBe(3);
      expect(sample(text, 'graphql_request_duration_seconds_bucket', { ...me, le: '+Inf' })).toBe(3);
      expect(sample(text, 'graphql_request_duration_seconds_sum', me)).toBeGreaterThan(0);
      expect(sample(text, 'graphql_requests_total', { operation: '(anonymous)', type: 'mutation' })).toBe(1); // t.login
      expect(sample(text, 'graphql_requests_total', { operation: '(invalid)', type: 'unknown' })).toBe(1);
      expect(sample(text, 'graphql_errors_total', { code: 'UNAUTHENTICATED' })).toBe(1);
      expect(sample(text, 'graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);

      // The process (prom-client's default metrics).
      for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
        expect(sample(text, name)).toBeGreaterThanOrEqual(0);
      }

      // The database pool.
      if (isMysql()) {
        const pool = { pool: 'primary' };
        expect(sample(text, 'db_pool_max_connections', pool)).toBe(10);
        expect(sample(text, 'db_pool_connections', pool)).toBeGreaterThanOrEqual(1);
        expect(sample(text, 'db_pool_idle_connections', pool)).toBeGreaterThanOrEqual(0);
        expect(sample(text, 'db_pool_pending_acquires', pool)).toBe(0);
      } else {
        // One synchronous better-sqlite3 connection: no idle count or queue to speak of.
        expect(sample(text, 'db_pool_connections', { pool: 'sqlite' })).toBe(1);
        expect(sample(text, 'db_pool_max_connections', { pool: 'sqlite' })).toBe(1);
        expect(text).not.toMatch(/^db_pool_pending_acquires\{/m);
      }
    });
  });

  it('follows the pool as connections are taken and released (MySQL: in use and waiting)', async () => {
    await withApp({ METRICS_TOKEN: TOKEN }, async (t) => {
      const pool = isMysql() ? 'primary' : 'sqlite';
      const read = async () => {
        const text = await (await scrape(t.app.metricsUrl!, TOKEN)).text();
        const value = (name: string) => sample(text, name, { pool });
        return { all: value('db_pool_connections'), idle: value('db_pool_idle_connections'), pending: value('db_pool_pending_acquires') };
      };
      if (!isMysql()) {
        // SQLite has its one connection, in a transaction or not; there is nothing to wait for.
        const runner = ds.createQueryRunner();
        await runner.startTransaction();
        expect(await read()).toEqual({ all: 1, idle: undefined, pending: undefined });
        await runner.rollbackTransaction();
        await runner.release();
        return;
      }
      // Take every connection of the pool (10), then ask for one more: it has to wait.
      const held: QueryRunner[] = [];
      try {
        for (let i = 0; i < 10; i++) {
          const runner = ds.createQueryRunner();
          await runner.connect();
          held.push(runner);
        }
        const waiting = ds.query('SELECT 1');
        await new Promise((r) => setTimeout(r, 50));
        expect(await read()).toEqual({ all: 10, idle: 0, pending: 1 });
        await held.pop()!.release();
        await waiting;
        const after = await read();
        expect(after.pending).toBe(0);
        expect(after.idle).toBeGreaterThanOrEqual(1);
      } finally {
        for (const runner of held) await runner.release();
      }
    });
  });
});

describe('METRICS_PORT: a separate listener on 127.0.0.1', () => {
  it('serves /metrics there only, without a token', async () => {
    await withApp({ METRICS_PORT: '0' }, async (t) => {
      const url = new URL(t.app.metricsUrl!);
      expect(url.hostname).toBe('127.0.0.1');
      expect(url.port).not.toBe(new URL(t.app.url).port);
      const res = await scrape(url.href);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^# HELP graphql_requests_total/m);
      // Not on the API port, and nothing but /metrics on the internal one.
      expect((await scrape(new URL('/metrics', t.app.url).href)).status).toBe(404);
      expect((await fetch(new URL('/graphql', url))).status).toBe(404);
    });
  });

  it('still requires the token when both are set', async () => {
    await withApp({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN }, async (t) => {
      expect((await scrape(t.app.metricsUrl!)).status).toBe(401);
      expect((await scrape(t.app.metricsUrl!, TOKEN)).status).toBe(200);
      expect((await scrape(new URL('/metrics', t.app.url).href, TOKEN)).status).toBe(404);
    });
  });
});

describe('label cardinality', () => {
  it('gives only the first operation names their own series; later ones count as (other)', async () => {
    const metrics = new Metrics(ds);
    for (let i = 0; i < MAX_OPERATION_LABELS + 50; i++) {
      metrics.observe({ operation: `Op${i}`, operationType: 'query', durationMs: 1, status: 200, errorCodes: [] });
    }
    metrics.observe({ operation: 'Op0', operationType: 'query', durationMs: 1, status: 200, errorCodes: [] });
    const text = await metrics.registry.metrics();
    expect(sample(text, 'graphql_requests_total', { operation: 'Op0', type: 'query' })).toBe(2);
    expect(sample(text, 'graphql_requests_total', { operation: '(other)', type: 'query' })).toBe(50);
    expect(text.match(/^graphql_requests_total\{/gm)).toHaveLength(MAX_OPERATION_LABELS + 1);
  });
});
