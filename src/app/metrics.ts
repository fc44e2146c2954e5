/**
 * Prometheus metrics: GraphQL requests and latency by operation, errors by code, database pool
 * usage and the process (prom-client's default metrics). One registry per app, so several apps in
 * one process (tests) do not collide.
 *
 * Off unless configured (config.metrics): with METRICS_TOKEN, GET /metrics on the API port
 * requires `Authorization: Bearer <token>`; with METRICS_PORT it is served on a separate listener
 * bound to 127.0.0.1 instead (and still requires the token when both are set).
 *
 * Label values are bounded: operation names are chosen by clients, so only the first
 * MAX_OPERATION_LABELS distinct names get their own series; later ones are counted as "(other)".
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Counter, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { sendJson, setSecurityHeaders } from './http';

/** What the request-log plugin knows about a finished GraphQL request. */
export interface RequestSummary {
  /** The operation's name; "(anonymous)" for an unnamed one, "(invalid)" when none was resolved (parse or validation failed). */
  operation: string;
  /** query, mutation, subscription or "unknown" when no operation was resolved. */
  operationType: string;
  durationMs: number;
  status: number;
  errorCodes: string[];
}

export const MAX_OPERATION_LABELS = 200;
const MAX_LABEL_LENGTH = 80;

/** mysql2's pool keeps its counts in private queues; read defensively so a renamed field means no series, not a crash. */
interface Mysql2Pool {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
  config?: { connectionLimit?: number };
}

interface PoolStats {
  pool: string;
  all: number;
  free?: number;
  queued?: number;
  max: number;
}

function mysqlPoolStats(pool: Mysql2Pool, name: string): PoolStats | null {
  if (!pool._allConnections || !pool._freeConnections || !pool._connectionQueue) return null;
  return {
    pool: name,
    all: pool._allConnections.length,
    free: pool._freeConnections.length,
    queued: pool._connectionQueue.length,
    max: pool.config?.connectionLimit ?? 0,
  };
}

/**
 * The database's connections. MySQL: each mysql2 pool (one, or one per node with replication).
 * SQLite (better-sqlite3): one synchronous connection, so there is no idle count or queue to report.
 */
export function poolStats(ds: DataSource): PoolStats[] {
  if (!ds.isInitialized) return [];
  const driver = ds.driver as unknown as { pool?: Mysql2Pool; poolCluster?: { _nodes?: Record<string, { pool: Mysql2Pool }> } };
  if (ds.options.type === 'mysql' || ds.options.type === 'mariadb') {
    const nodes = driver.poolCluster?._nodes;
    const pools: [string, Mysql2Pool][] = nodes ? Object.entries(nodes).map(([id, node]) => [id.toLowerCase(), node.pool]) : driver.pool ? [['primary', driver.pool]] : [];
    return pools.map(([name, pool]) => mysqlPoolStats(pool, name)).filter((s): s is PoolStats => s !== null);
  }
  return [{ pool: 'sqlite', all: 1, max: 1 }];
}

export class Metrics {
  readonly registry: Registry;
  private readonly operations = new Set<string>();
  private readonly requests: Counter<'operation' | 'type'>;
  private readonly duration: Histogram<'operation' | 'type'>;
  private readonly errors: Counter<'code'>;

  constructor(ds: DataSource) {
    // prom-client is loaded only when metrics are configured: it holds ~1.6 MiB of heap otherwise kept for nothing.
    const { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } = require('prom-client') as typeof import('prom-client');
    this.registry = new Registry();
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'graphql_requests_total',
      help: 'GraphQL requests answered, by operation name and type.',
      labelNames: ['operation', 'type'],
      registers,
    });
    this.duration = new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'Time from the start of GraphQL processing to the response, by operation name and type.',
      labelNames: ['operation', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
      registers,
    });
    this.errors = new Counter({
      name: 'graphql_errors_total',
      help: 'Errors returned to clients, by extensions.code (a response with several errors counts each code once).',
      labelNames: ['code'],
      registers,
    });
    // Pool gauges are read when scraped, not kept up to date on every query.
    const gauge = (name: string, help: string, pick: (s: PoolStats) => number | undefined) =>
      new Gauge({
        name,
        help,
        labelNames: ['pool'],
        registers,
        collect() {
          this.reset();
          for (const stats of poolStats(ds)) {
            const value = pick(stats);
            if (value !== undefined) this.set({ pool: stats.pool }, value);
          }
        },
      });
    gauge('db_pool_connections', 'Open database connections (in use + idle).', (s) => s.all);
    gauge('db_pool_idle_connections', 'Open database connections not in use (MySQL only).', (s) => s.free);
    gauge('db_pool_pending_acquires', 'Queries waiting for a free connection (MySQL only).', (s) => s.queued);
    gauge('db_pool_max_connections', 'The most connections the pool opens.', (s) => s.max);
  }

  private operationLabel(name: string): string {
    const label = name.length > MAX_LABEL_LENGTH ? name.slice(0, MAX_LABEL_LENGTH) : name;
    if (this.operations.has(label)) return label;
    if (this.operations.size >= MAX_OPERATION_LABELS) return '(other)';
    this.operations.add(label);
    return label;
  }

  observe(summary: RequestSummary): void {
    const labels = { operation: this.operationLabel(summary.operation), type: summary.operationType };
    this.requests.inc(labels);
    this.duration.observe(labels, summary.durationMs / 1000);
    for (const code of summary.errorCodes) this.errors.inc({ code });
  }

  /** GET /metrics: the Prometheus text format, behind the bearer token when one is configured. */
  async handle(req: IncomingMessage, res: ServerResponse, token: string | undefined): Promise<void> {
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'method not allowed' });
    if (token !== undefined && !bearerMatches(req.headers.authorization, token)) {
      res.setHeader('www-authenticate', 'Bearer realm="metrics"');
      return sendJson(res, 401, { error: 'metrics require a bearer token' });
    }
    const body = await this.registry.metrics();
    res.writeHead(200, { 'content-type': this.registry.contentType });
    res.end(body);
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison (of digests, so the length does not leak either). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m !== null && timingSafeEqual(digest(m[1]), digest(token));
}

/** The internal listener for METRICS_PORT: 127.0.0.1 only, GET /metrics and nothing else. */
export async function startMetricsServer(metrics: Metrics, port: number, token: string | undefined, onError: (e: unknown) => void): Promise<Server> {
  const server = createServer((req, res) => {
    setSecurityHeaders(res);
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') return sendJson(res, 404, { error: 'not found' });
    metrics.handle(req, res, token).catch((e: unknown) => {
      onError(e);
      sendJson(res, 500, { error: 'metrics unavailable' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
