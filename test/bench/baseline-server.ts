/**
 * The practical limit: a minimal hand-written node:http + mysql2 server that answers the benchmark's
 * nested-list query for one county officer with the same JSON the platform gives — the first 50
 * visible projects ordered by id with their enterprise and fund applications (newest first, at
 * most 20 per project, as the platform's default nested page).
 *
 * What it does per request is what any server must: read and parse the body, verify the bearer
 * token (HS256, same secret and issuer as the platform), and query the database. What it skips is
 * everything general: no GraphQL parsing or validation, no rules (the county's territory set is
 * written into the SQL, given at start in BASELINE_TERRITORY_IDS), no session or authorization-
 * version check, no ORM. Two statements per request: the page with its enterprise, and the page's
 * fund applications.
 *
 * Environment: DATABASE_URL (mysql://…), JWT_SECRET, BASELINE_TERRITORY_IDS ("3,23"), PORT (0 = any),
 * HOST. Prints one JSON line {"msg":"baseline listening","url":…} when ready; stops on SIGTERM.
 */
import { createSecretKey } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { createPool, RowDataPacket } from 'mysql2/promise';

const PAGE_SIZE = 50;
const NESTED_PAGE_SIZE = 20;
const MAX_BODY = 1024 * 1024;

const databaseUrl = process.env.DATABASE_URL;
const secret = process.env.JWT_SECRET;
const territoryIds = (process.env.BASELINE_TERRITORY_IDS ?? '').split(',').map(Number);
if (!databaseUrl || !secret || territoryIds.length === 0 || territoryIds.some((id) => !Number.isInteger(id) || id <= 0)) {
  console.error('baseline-server needs DATABASE_URL, JWT_SECRET and BASELINE_TERRITORY_IDS (comma-separated unit ids)');
  process.exit(2);
}

// A key object made once: given the secret as a string, jsonwebtoken tries to parse it as a public
// key on every call (and fails, with an exception) before treating it as an HMAC secret.
const key = createSecretKey(Buffer.from(secret!, 'utf8'));

const pool = createPool({
  uri: databaseUrl,
  connectionLimit: 10, // as the platform's pool
  charset: 'utf8mb4_unicode_ci',
  supportBigNumbers: true,
  bigNumberStrings: true,
});

// The county's territory set, written into the statements (integers only, checked above).
const IN_SCOPE = territoryIds.join(',');
const PAGE_SQL =
  'SELECT p.id, p.projectCode, p.name, p.stage, p.totalInvestment, e.name AS enterpriseName, e.creditCode ' +
  'FROM projects p LEFT JOIN enterprises e ON e.id = p.enterpriseId AND e.territoryId IN (' + IN_SCOPE + ') ' +
  'WHERE p.territoryId IN (' + IN_SCOPE + ') ORDER BY p.id LIMIT ' + PAGE_SIZE;
const APPLICATIONS_SQL =
  'SELECT projectId, requestedAmount, status FROM fund_applications ' +
  'WHERE territoryId IN (' + IN_SCOPE + ') AND projectId IN (?) ORDER BY projectId, id DESC';

interface PageRow extends RowDataPacket {
  id: number;
  projectCode: string | null;
  name: string;
  stage: string;
  totalInvestment: string;
  enterpriseName: string | null;
  creditCode: string | null;
}
interface ApplicationRow extends RowDataPacket {
  projectId: number;
  requestedAmount: string;
  status: string;
}

/** The platform's Decimal scalar: DECIMAL text without trailing zeros ("2808.0000" → "2808"). */
function decimal(text: string): string {
  if (!text.includes('.')) return text;
  const trimmed = text.replace(/0+$/, '');
  return trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
}

const globalId = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64url');

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function authorised(header: string | undefined): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (!match) return false;
  try {
    jwt.verify(match[1], key, { algorithms: ['HS256'], issuer: 'techtransform' });
    return true;
  } catch {
    return false;
  }
}

async function nestedList(): Promise<string> {
  const [projects] = await pool.query<PageRow[]>(PAGE_SQL);
  const applications = new Map<number, { node: { requestedAmount: string; status: string } }[]>(projects.map((p) => [p.id, []]));
  if (projects.length) {
    const [rows] = await pool.query<ApplicationRow[]>(APPLICATIONS_SQL, [projects.map((p) => p.id)]);
    for (const a of rows) {
      const list = applications.get(a.projectId)!;
      if (list.length < NESTED_PAGE_SIZE) list.push({ node: { requestedAmount: decimal(a.requestedAmount), status: a.status } });
    }
  }
  // Apollo ends its JSON with a newline; so does this, so the two answers are byte-identical.
  return `${JSON.stringify({
    data: {
      projects: {
        edges: projects.map((p) => ({
          node: {
            id: globalId('Project', p.id),
            projectCode: p.projectCode,
            name: p.name,
            stage: p.stage,
            totalInvestment: decimal(p.totalInvestment),
            enterprise: p.enterpriseName === null ? null : { name: p.enterpriseName, creditCode: p.creditCode },
            fundApplications: { edges: applications.get(p.id)! },
          },
        })),
      },
    },
  })}\n`;
}

const server = createServer((req, res) => {
  if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/graphql') return send(res, 404, '{"error":"not found"}');
  (async () => {
    const raw = await readBody(req);
    if (raw === null) return send(res, 413, '{"errors":[{"message":"Request body too large"}]}');
    let body: { query?: unknown };
    try {
      body = JSON.parse(raw) as { query?: unknown };
    } catch {
      return send(res, 400, '{"errors":[{"message":"Request body is not valid JSON"}]}');
    }
    if (typeof body.query !== 'string') return send(res, 400, '{"errors":[{"message":"query is missing"}]}');
    if (!authorised(req.headers.authorization)) return send(res, 200, '{"errors":[{"message":"Invalid or expired access token","extensions":{"code":"UNAUTHENTICATED"}}]}');
    send(res, 200, await nestedList());
  })().catch((error: unknown) => {
    console.error(JSON.stringify({ msg: 'baseline request failed', error: error instanceof Error ? error.message : String(error) }));
    if (!res.headersSent) send(res, 500, '{"errors":[{"message":"Internal server error"}]}');
  });
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: 'baseline listening', url: `http://${process.env.HOST ?? '127.0.0.1'}:${port}/graphql` }));
});

process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().finally(() => process.exit(0));
});
