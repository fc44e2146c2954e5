/**
 * The offline GraphQL IDE over plain HTTP: its page, CSP, assets from the installed packages, the
 * API left as it was, nothing in production. The same IDE in a real browser is ide.browser.test.ts.
 */
import { DataSource } from 'typeorm';
import { IDE_ASSET_NAMES, IDE_CSP } from '../../src/app/ide';
import { startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';

let ds: DataSource;
let t: TestApp;
let origin: string;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
  origin = new URL(t.app.url).origin;
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

describe('the IDE over HTTP', () => {
  it('serves the page at /ide and to a browser opening /graphql, with a CSP of its own', async () => {
    for (const path of ['/ide', '/graphql']) {
      const res = await fetch(origin + path, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toBe(IDE_CSP);
      const html = await res.text();
      expect(html).toContain('data-endpoint="/graphql"');
      // Nothing is loaded from another host: every script and stylesheet is ours.
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
      expect([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('data:'))).toEqual(
        expect.arrayContaining(['/ide/assets/graphiql.min.js', '/ide/assets/graphiql.min.css', '/ide/assets/react.production.min.js']),
      );
    }
  });

  it('leaves the API as it was: GraphQL over GET and POST, with the strict CSP', async () => {
    const get = await fetch(`${t.app.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(await get.json()).toEqual({ data: { __typename: 'Query' } });
    const post = await fetch(t.app.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/html, application/json' }, body: '{"query":"{ __typename }"}' });
    expect(post.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(await post.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('serves its assets from the installed packages, with no external URL in the styles', async () => {
    for (const name of IDE_ASSET_NAMES) {
      const res = await fetch(`${origin}/ide/assets/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(name.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      const body = await res.text();
      if (name.endsWith('.css')) {
        // Fonts and images are data: URLs; no @import, no url(http…).
        expect(body).not.toMatch(/@import/);
        expect([...body.matchAll(/url\(\s*["']?([^"')]+)/g)].map((m) => m[1]).filter((u) => !u.startsWith('data:'))).toEqual([]);
      }
      const again = await fetch(`${origin}/ide/assets/${name}`, { headers: { 'if-none-match': res.headers.get('etag')! } });
      expect(again.status).toBe(304);
    }
    expect((await fetch(`${origin}/ide/assets/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${origin}/ide/assets/graphiql.js`)).status).toBe(404);
  });

  it('is not served in production', async () => {
    const prod = await startTestApp(ds, { NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40) });
    try {
      const prodOrigin = new URL(prod.app.url).origin;
      for (const path of ['/ide', '/ide/assets/graphiql.min.js', '/graphql']) {
        const res = await fetch(prodOrigin + path, { headers: { accept: 'text/html' } });
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).not.toMatch(/html/);
      }
      // The API itself still answers.
      const res = await prod.gql('{ __typename }');
      expect(res.data).toEqual({ __typename: 'Query' });
    } finally {
      await prod.close();
    }
  });
});

