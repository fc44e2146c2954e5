/**
 * The HTTP server: POST /graphql (Apollo Server 5 through its plain HTTP integration API, so no
 * web framework is needed), GET /health (liveness) and GET /ready (database reachable).
 */
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { ViewerResolver } from '../modules/user/viewer';
import { buildSchema } from './build-schema';
import type { Config } from './config';
import type { Context } from './context';
import { createFormatError } from './format-error';
import type { Logger } from './logger';

const MAX_BODY_BYTES = 1024 * 1024;

export interface App {
  url: string;
  httpServer: Server;
  apollo: ApolloServer<Context>;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Stop reading; the caller answers 413 and closes the connection once the answer is out.
        req.pause();
        req.removeAllListeners('data');
        reject(new BodyTooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export async function startApp(config: Config, ds: DataSource, logger: Logger): Promise<App> {
  const apollo = new ApolloServer<Context>({
    schema: await buildSchema(),
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    introspection: config.env !== 'production',
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  const viewers = new ViewerResolver(ds, config.jwtSecret);

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
        return sendJson(res, 413, { errors: [{ message: 'Request body too large', extensions: { code: 'BAD_REQUEST' } }] });
      }
      throw e;
    }
    let body: unknown = rawBody;
    if (rawBody && (headers.get('content-type') ?? '').startsWith('application/json')) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        return sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => {
        const { viewer, error } = await viewers.resolve(headers.get('authorization'));
        return { requestId, config, ds, viewer, authError: error, loaders: new Map() };
      },
    });
    for (const [key, value] of result.headers) res.setHeader(key, value);
    res.setHeader('x-request-id', requestId);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  const httpServer = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = async () => {
      if (path === '/health' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
      if (path === '/ready' && req.method === 'GET') {
        try {
          await ds.query('SELECT 1');
          return sendJson(res, 200, { status: 'ready' });
        } catch {
          return sendJson(res, 503, { status: 'database unavailable' });
        }
      }
      if (path === '/graphql') return handleGraphQL(req, res);
      return sendJson(res, 404, { error: 'not found' });
    };
    route().catch((error: unknown) => {
      logger.error('request failed', { error: error instanceof Error ? error.message : String(error), path });
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  });

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}/graphql`,
    httpServer,
    apollo,
    async close() {
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await apollo.stop();
    },
  };
}
