/**
 * The HTTP server: POST /graphql (Apollo Server 5 through its plain HTTP integration API, so no
 * web framework is needed), GET /health (liveness) and GET /ready (database reachable); outside
 * production the GraphQL IDE (ide.ts); GET /metrics when configured (metrics.ts).
 */
import { ApolloServer, HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { createThrottleStore } from '../core/throttle/store';
import { Throttles } from '../core/throttle/throttles';
import { ViewerResolver } from '../modules/user/viewer';
import { buildSchema } from './build-schema';
import { compiledExecution } from './compiled-execution';
import type { Config } from './config';
import type { Context } from './context';
import { createFormatError } from './format-error';
import { createIde } from './ide';
import { Metrics, startMetricsServer } from './metrics';
import { requestLogPlugin } from './request-log';
import { operationGuardPlugin } from './operation-guard';
import { BodyTooLarge, errorBody, handleCors, readBody, sendJson, setSecurityHeaders } from './http';
import type { Logger } from './logger';

export interface App {
  url: string;
  httpServer: Server;
  apollo: ApolloServer<Context>;
  /** Where Prometheus metrics are served, when configured (config.metrics). */
  metricsUrl: string | undefined;
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), ms);
    }),
  ]);
}

function clientIpOf(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0].trim() : '';
  return forwarded || req.socket.remoteAddress || 'unknown';
}

/** Writes Apollo's answer, unless the request timed out meanwhile (the 503 went out already). */
async function respond(res: ServerResponse, requestId: string, result: HTTPGraphQLResponse): Promise<void> {
  if (res.headersSent) return;
  for (const [key, value] of result.headers) res.setHeader(key, value);
  res.setHeader('x-request-id', requestId);
  res.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    res.end(result.body.string);
  } else {
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
  }
}

export async function startApp(config: Config, ds: DataSource, logger: Logger): Promise<App> {
  const viewers = new ViewerResolver(ds, config.jwtSecret);
  const throttleStore = createThrottleStore(config.redisUrl);
  const throttles = new Throttles(throttleStore, config.throttle);
  const metricsOn = config.metrics.token !== undefined || config.metrics.port !== undefined;
  const metrics = metricsOn ? new Metrics(ds) : undefined;
  const ide = createIde({ enabled: config.env !== 'production', endpoint: '/graphql' });
  const apollo = new ApolloServer<Context>({
    gateway: compiledExecution(await buildSchema()),
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    introspection: config.env !== 'production',
    // In production, validation errors do not suggest field names ("Did you mean …?").
    hideSchemaDetailsFromClientErrors: config.env === 'production',
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: config.limits.tokens },
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used; the default cache-control plugin would wrap every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      operationGuardPlugin(config.limits, viewers),
      requestLogPlugin(logger, metrics && ((summary) => metrics.observe(summary))),
    ],
  });
  await apollo.start();

  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let rawBody: string;
    try {
      rawBody = req.method === 'POST' ? await readBody(req) : '';
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        res.setHeader('connection', 'close');
        res.on('finish', () => req.destroy());
        return sendJson(res, 413, errorBody('Request body too large', 'BAD_REQUEST'));
      }
      throw e;
    }
    let body: unknown = rawBody;
    if (rawBody && (headers.get('content-type') ?? '').startsWith('application/json')) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        return sendJson(res, 400, errorBody('Request body is not valid JSON', 'BAD_REQUEST'));
      }
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    let context: Context | undefined;
    try {
      await respond(res, requestId, await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: async () => (context = {
          requestId,
          config,
          ds,
          authorization: headers.get('authorization'),
          viewer: null,
          authError: null,
          loaders: new Map(),
          clientIp: clientIpOf(req, config.trustProxy),
          throttles,
        }),
      }));
    } finally {
      // The loaders hold every row the request read. Measured, not traced: a finished request's
      // context often outlived two young-generation collections, so its rows were copied into the
      // old generation and kept until a full one. Releasing them here halved the bytes promoted
      // per request and cut CPU per request ~10% (`npm run bench`, county list).
      context?.loaders.clear();
    }
  };

  const httpServer = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    setSecurityHeaders(res);
    if (handleCors(req, res, config.corsOrigins)) return;
    // A request still unanswered after the time limit gets 503; its work is abandoned, not awaited.
    const timer = setTimeout(() => sendJson(res, 503, errorBody('The request took too long', 'SERVICE_UNAVAILABLE')), config.requestTimeoutMs);
    res.on('close', () => clearTimeout(timer));
    const route = async () => {
      if (path === '/health' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
      if (path === '/ready' && req.method === 'GET') {
        try {
          await withTimeout(ds.query('SELECT 1'), READY_TIMEOUT_MS);
          return sendJson(res, 200, { status: 'ready' });
        } catch {
          return sendJson(res, 503, { status: 'database unavailable' });
        }
      }
      if (ide.serve(req, res, path)) return;
      if (path === '/graphql') return handleGraphQL(req, res);
      // With METRICS_PORT, metrics are served on the internal listener only.
      if (path === '/metrics' && metrics && config.metrics.port === undefined) return metrics.handle(req, res, config.metrics.token);
      return sendJson(res, 404, { error: 'not found' });
    };
    route().catch((error: unknown) => {
      logger.error('request failed', { error: error instanceof Error ? error.message : String(error), path });
      sendJson(res, 500, errorBody('Internal server error', 'INTERNAL_SERVER_ERROR'));
    });
  });

  // Slow clients may not hold a connection open indefinitely while sending a request.
  httpServer.requestTimeout = config.requestTimeoutMs;
  httpServer.headersTimeout = Math.min(config.requestTimeoutMs, 10_000);
  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const metricsServer =
    metrics && config.metrics.port !== undefined
      ? await startMetricsServer(metrics, config.metrics.port, config.metrics.token, (error) =>
          logger.error('metrics failed', { error: error instanceof Error ? error.message : String(error) }),
        )
      : undefined;
  return {
    url: `http://${config.host}:${port}/graphql`,
    httpServer,
    apollo,
    metricsUrl: metricsServer
      ? `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}/metrics`
      : metrics
        ? `http://${config.host}:${port}/metrics`
        : undefined,
    /** Stops accepting connections, lets in-flight requests finish, then stops Apollo. */
    async close() {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // Keep-alive connections go idle as their last request finishes: close them as they do.
      const sweeper = setInterval(() => httpServer.closeIdleConnections(), 50);
      httpServer.closeIdleConnections();
      await closed.finally(() => clearInterval(sweeper));
      if (metricsServer) {
        const metricsClosed = new Promise<void>((resolve) => metricsServer.close(() => resolve()));
        metricsServer.closeIdleConnections();
        await metricsClosed;
      }
      await apollo.stop();
      await throttleStore.close();
    },
  };
}
