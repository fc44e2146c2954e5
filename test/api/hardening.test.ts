/** Abusive queries, HTTP limits and production settings. */
import { DataSource } from 'typeorm';
import { ViewerResolver } from '../../src/modules/user/viewer';
import { codeOf, startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createUserWithRole } from '../helpers/factories';
import { countStatements } from '../helpers/sql-counter';

let ds: DataSource;
let t: TestApp;
let token: string;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds, { MAX_QUERY_DEPTH: '8', MAX_QUERY_ALIASES: '5', MAX_QUERY_COMPLEXITY: '3000', MAX_QUERY_TOKENS: '400', CORS_ORIGINS: 'https://app.example.gov.cn' });
  token = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-FC')).username);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});


describe('query limits', () => {
  it.each([
    ['depth', `{ orgUnits { edges { node { parent { parent { parent { parent { parent { parent { code } } } } } } } } } }`],
    ['aliases', `{ a: me { id } b: me { id } c: me { id } d: me { id } e: me { id } f: me { id } }`],
    ['complexity', `{ projects(first: 100) { edges { node { monthlyReports(first: 100) { edges { node { period } } } } } } }`],
  ])('refuses excess %s with QUERY_TOO_COMPLEX before any SQL runs', async (what, query) => {
    await t.gql('{ me { id } }', {}, token); // warm the viewer cache so any SQL below would be the query's own
    const { result, statements } = await countStatements(ds, () => t.gql(query, {}, token));
    expect(result.status).toBe(400);
    expect(result.errors![0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: expect.any(Number) });
    expect(result.errors![0].message).toContain(what);
    expect(statements).toEqual([]);
  });

  it('weighs lists by the page size given in variables', async () => {
    const q = `query($n: Int) { projects(first: $n) { edges { node { monthlyReports(first: $n) { edges { node { period } } } } } } }`;
    expect(codeOf(await t.gql(q, { n: 10 }, token))).toBeUndefined();
    expect(codeOf(await t.gql(q, { n: 90 }, token))).toBe('QUERY_TOO_COMPLEX');
  });

  it('counts aliases hidden in fragments', async () => {
    const q = `fragment F on User { a: id b: id c: id } { me { ...F } x: me { ...F } }`;
    expect(codeOf(await t.gql(q, {}, token))).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses a document with too many tokens at parse time', async () => {
    const q = `{ me { ${'id '.repeat(500)} } }`;
    const res = await t.gql(q, {}, token);
    expect(res.status).toBe(400);
    expect(res.errors![0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 400 });
  });

  it('refuses a page larger than 100', async () => {
    const res = await t.gql(`{ projects(first: 101) { totalCount } }`, {}, token);
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});

describe('HTTP', () => {
  it('refuses batched requests', async () => {
    const res = await fetch(t.app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]),
    });
    expect(res.status).toBe(400);
  });

  it('sends security headers', async () => {
    const res = await fetch(t.app.url.replace('/graphql', '/health'));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('answers CORS for configured origins only', async () => {
    const preflight = (origin: string) =>
      fetch(t.app.url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    const allowed = await preflight('https://app.example.gov.cn');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.gov.cn');
    const other = await preflight('https://evil.example.com');
    expect(other.status).toBe(403);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 503 when a request outlives the time limit', async () => {
    const slow = await startTestApp(ds, { REQUEST_TIMEOUT_MS: '100' });
    const spy = jest.spyOn(ViewerResolver.prototype, 'resolve').mockImplementation(
      () => new Promise((resolve) => setTimeout(() => resolve({ viewer: null, error: null }), 400)),
    );
    try {
      const res = await slow.gql('{ me { id } }', {}, token);
      expect(res.status).toBe(503);
      expect(res.errors![0].extensions!.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      spy.mockRestore();
      await new Promise((r) => setTimeout(r, 400));
      await slow.close();
    }
  });
});

describe('production', () => {
  let prod: TestApp;
  beforeAll(async () => {
    prod = await startTestApp(ds, { NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40) });
  });
  afterAll(() => prod.close());

  it('turns introspection off', async () => {
    const res = await prod.gql('{ __schema { types { name } } }');
    expect(res.errors![0].message).toMatch(/introspection/i);
  });

  it('does not suggest field names', async () => {
    const res = await prod.gql('{ projectz { totalCount } }');
    expect(res.errors![0].message).not.toMatch(/did you mean/i);
    const dev = await t.gql('{ projectz { totalCount } }', {}, token);
    expect(dev.errors![0].message).toMatch(/did you mean/i);
  });
});
