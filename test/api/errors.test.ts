/** Unknown failures are masked: no SQL, stack trace or host name reaches a client; the log keeps them. */
import { DataSource } from 'typeorm';
import { OrgUnit } from '../../src/modules/org/org-unit.entity';
import { startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createUserWithRole } from '../helpers/factories';

let ds: DataSource;
let t: TestApp;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

it('masks a database failure as INTERNAL_SERVER_ERROR and logs it', async () => {
  const token = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-FC')).username);
  await t.gql('{ me { username } }', {}, token); // the viewer (and its org-tree lookup) is cached from here on
  const original = ds.manager.createQueryBuilder.bind(ds.manager);
  const spy = jest.spyOn(ds.manager, 'createQueryBuilder').mockImplementation(((entity: unknown, ...rest: unknown[]) => {
    if (entity === OrgUnit) throw new Error('SELECT secret FROM org_units at db-host-7.internal:3306');
    return (original as any)(entity, ...rest);
  }) as any);
  try {
    const res = await t.gql('{ orgUnits { totalCount } }', {}, token);
    expect(res.errors![0]).toEqual({ message: 'Internal server error', path: ['orgUnits'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(res)).not.toMatch(/SELECT|db-host|stack/);
    expect(t.logs.some((l) => l.includes('db-host-7.internal'))).toBe(true);
  } finally {
    spy.mockRestore();
  }
});

it('answers health and readiness', async () => {
  const base = t.app.url.replace('/graphql', '');
  expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
  expect((await fetch(`${base}/ready`)).status).toBe(200);
});

it('refuses a body over the size limit and malformed JSON', async () => {
  const big = await fetch(t.app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(1024 * 1024 + 10) });
  expect(big.status).toBe(413);
  const bad = await fetch(t.app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' });
  expect(bad.status).toBe(400);
});

it('refuses a simple cross-site GET without preflight headers (CSRF prevention)', async () => {
  const res = await fetch(`${t.app.url}?query=${encodeURIComponent('{ me { username } }')}`);
  expect(res.status).toBe(400);
});
