/**
 * "Changes take effect at once, on every instance" (DESIGN.md §3): two server processes' worth of
 * state — two HTTP servers, each with its own DataSource and its own viewer cache — on ONE
 * database. A change made through instance A (rules, bindings, a disabled user) is seen by the very
 * next request on instance B, whose cache was warm, because every request compares the
 * authorization version in the database.
 *
 * The admin GraphQL API for roles and bindings does not exist yet: the changes here are direct
 * writes plus `bumpAuthzVersion` in the same transaction, standing in for what that API will do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { Database } from '../../src/app/config';
import { bumpAuthzVersion } from '../../src/core/authz/version';
import { createDataSource } from '../../src/core/db/data-source';
import { OrgUnit, OrgUnitKind } from '../../src/modules/org/org-unit.entity';
import { Role, StoredRule } from '../../src/modules/user/role.entity';
import { RoleBinding } from '../../src/modules/user/role-binding.entity';
import { User } from '../../src/modules/user/user.entity';
import { startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase, testDatabaseConfig } from '../helpers/database';
import { bind, createUser, unique } from '../helpers/factories';

const COUNT = '{ orgUnits(first: 100) { totalCount } }';
const COUNTIES_ONLY: StoredRule[] = [{ action: 'read', subject: 'OrgUnit', conditions: { kind: 'COUNTY' } }];
const ALL_UNITS: StoredRule[] = [{ action: 'read', subject: 'OrgUnit' }];

let tmp: string | undefined;
let dsA: DataSource;
let dsB: DataSource;
let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  let db: Database = testDatabaseConfig();
  if (db.type === 'sqlite') {
    // In-memory SQLite is private to its connection: share a file instead.
    tmp = mkdtempSync(join(tmpdir(), 'tt-at-once-'));
    db = { type: 'sqlite', path: join(tmp, 'shared.sqlite') };
  }
  dsA = await openTestDatabase(db);
  dsB = createDataSource(db);
  await dsB.initialize();
  a = await startTestApp(dsA);
  b = await startTestApp(dsB);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await dsA?.destroy();
  await dsB?.destroy();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Open units, optionally of one kind — what `orgUnits` lists to someone who may read them all. */
async function openUnits(kind?: OrgUnitKind): Promise<number> {
  const today = new Date().toISOString().slice(0, 10);
  const units = await dsA.manager.find(OrgUnit, kind ? { where: { kind } } : {});
  return units.filter((u) => u.validTo === null || u.validTo >= today).length;
}

/** A user holding a custom role bound at the city, signed in (through A; the token is good on both). */
async function customRoleUser(rules: StoredRule[]): Promise<{ user: User; role: Role; token: string }> {
  const role = await dsA.transaction(async (m) => {
    const created = await m.save(m.create(Role, { key: unique('custom'), name: 'Custom role', description: null, builtIn: false, rules }));
    await bumpAuthzVersion(m);
    return created;
  });
  const user = await createUser(dsA);
  await dsA.transaction(async (m) => {
    await bind(m, user, role.key, 'MY');
    await bumpAuthzVersion(m);
  });
  return { user, role, token: await a.login(user.username) };
}

const totalCount = async (t: TestApp, token: string): Promise<number> => {
  const res = await t.gql(COUNT, {}, token);
  expect(res.errors).toBeUndefined();
  return res.data.orgUnits.totalCount;
};

const errorCode = async (t: TestApp, token: string): Promise<string | undefined> => {
  const res = await t.gql(COUNT, {}, token);
  expect(res.data?.orgUnits ?? null).toBeNull();
  return res.errors?.[0]?.extensions?.code;
};

it('the two instances have separate DataSources on one database', async () => {
  expect(dsA).not.toBe(dsB);
  const { user } = await customRoleUser(COUNTIES_ONLY);
  expect((await dsB.manager.findOneByOrFail(User, { id: user.id })).username).toBe(user.username);
});

it('a rule change through A is seen by the next request on B, and on A', async () => {
  const counties = await openUnits(OrgUnitKind.COUNTY);
  const all = await openUnits();
  expect(counties).toBeGreaterThan(0);
  expect(all).toBeGreaterThan(counties);

  const { role, token } = await customRoleUser(COUNTIES_ONLY);
  // Warm both instances' viewer caches.
  expect(await totalCount(b, token)).toBe(counties);
  expect(await totalCount(b, token)).toBe(counties);
  expect(await totalCount(a, token)).toBe(counties);

  await dsA.transaction(async (m) => {
    await m.update(Role, role.id, { rules: ALL_UNITS, version: role.version + 1 });
    await bumpAuthzVersion(m);
  });
  expect(await totalCount(b, token)).toBe(all);
  expect(await totalCount(a, token)).toBe(all);

  // And back.
  await dsA.transaction(async (m) => {
    await m.update(Role, role.id, { rules: COUNTIES_ONLY, version: role.version + 2 });
    await bumpAuthzVersion(m);
  });
  expect(await totalCount(b, token)).toBe(counties);
});

it('removing the binding through A makes the next request on B FORBIDDEN', async () => {
  const { user, token } = await customRoleUser(ALL_UNITS);
  expect(await totalCount(b, token)).toBe(await openUnits());

  await dsA.transaction(async (m) => {
    await m.delete(RoleBinding, { userId: user.id });
    await bumpAuthzVersion(m);
  });
  expect(await errorCode(b, token)).toBe('FORBIDDEN');
  expect(await errorCode(a, token)).toBe('FORBIDDEN');
});

it('adding a binding through A is seen by the next request on B', async () => {
  const user = await createUser(dsA);
  const token = await a.login(user.username);
  expect(await errorCode(b, token)).toBe('FORBIDDEN');

  await dsA.transaction(async (m) => {
    await bind(m, user, 'county_officer', 'MY-FC');
    await bumpAuthzVersion(m);
  });
  expect(await totalCount(b, token)).toBe(await openUnits());
});

it('disabling the user through A makes the next request on B UNAUTHENTICATED', async () => {
  const { user, token } = await customRoleUser(ALL_UNITS);
  expect(await totalCount(b, token)).toBe(await openUnits());
  expect(await totalCount(a, token)).toBe(await openUnits());

  await dsA.transaction(async (m) => {
    await m.update(User, user.id, { disabled: true });
    await bumpAuthzVersion(m);
  });
  expect(await errorCode(b, token)).toBe('UNAUTHENTICATED');
  expect(await errorCode(a, token)).toBe('UNAUTHENTICATED');
});
