/**
 * Admin changes made through GraphQL on one server instance take effect on the very next request
 * of another instance (its own DataSource and warm viewer cache, same database): a custom role and
 * its binding, a rule change, an unbinding, a disabled user, a moved park.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { Database } from '../../src/app/config';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { createDataSource } from '../../src/core/db/data-source';
import { OrgUnit, OrgUnitKind } from '../../src/modules/org/org-unit.entity';
import { codeOf, startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase, testDatabaseConfig } from '../helpers/database';
import { createEnterprise, createProject } from '../helpers/domain-factories';
import { createUser, createUserWithRole, unique, unitByCode } from '../helpers/factories';

let tmp: string | undefined;
let dsA: DataSource;
let dsB: DataSource;
let a: TestApp;
let b: TestApp;
let admin: string;

const gid = toGlobalId;
const COUNT = '{ orgUnits(first: 100) { totalCount } }';

beforeAll(async () => {
  let db: Database = testDatabaseConfig();
  if (db.type === 'sqlite') {
    // In-memory SQLite is private to its connection: share a file instead.
    tmp = mkdtempSync(join(tmpdir(), 'tt-admin-at-once-'));
    db = { type: 'sqlite', path: join(tmp, 'shared.sqlite') };
  }
  dsA = await openTestDatabase(db);
  dsB = createDataSource(db);
  await dsB.initialize();
  a = await startTestApp(dsA);
  b = await startTestApp(dsB);
  admin = await a.login((await createUserWithRole(dsA, 'admin', 'MY')).username);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await dsA?.destroy();
  await dsB?.destroy();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function openUnits(kind?: OrgUnitKind): Promise<number> {
  const today = new Date().toISOString().slice(0, 10);
  const units = await dsA.manager.find(OrgUnit, kind ? { where: { kind } } : {});
  return units.filter((u) => u.validTo === null || u.validTo >= today).length;
}

async function ok(res: Promise<{ data?: any; errors?: unknown }>): Promise<any> {
  const r = await res;
  expect(r.errors).toBeUndefined();
  return r.data;
}

it('a custom role created and bound through GraphQL on A is in force on the next request on B; so are its changes and its removal', async () => {
  const user = await createUser(dsA);
  const token = await b.login(user.username);
  // B has answered this user (and cached the answer) before anything is granted.
  expect(codeOf(await b.gql(COUNT, {}, token))).toBe('FORBIDDEN');

  const role = (
    await ok(a.gql(`mutation($i: CreateRoleInput!) { createRole(input: $i) { role { id version } } }`, {
      i: { key: unique('counties_'), name: '区县只读', rules: [{ action: 'read', subject: 'OrgUnit', conditions: { kind: 'COUNTY' } }] },
    }, admin))
  ).createRole.role;
  const binding = (
    await ok(a.gql(`mutation($i: BindRoleInput!) { bindRole(input: $i) { binding { id } } }`, {
      i: { userId: gid('User', user.id), roleId: role.id, scopeUnitId: gid('OrgUnit', (await unitByCode(dsA, 'MY')).id) },
    }, admin))
  ).bindRole.binding;
  expect((await ok(b.gql(COUNT, {}, token))).orgUnits.totalCount).toBe(await openUnits(OrgUnitKind.COUNTY));

  await ok(a.gql(`mutation($i: UpdateRoleInput!) { updateRole(input: $i) { role { version } } }`, {
    i: { id: role.id, expectedVersion: role.version, rules: [{ action: 'read', subject: 'OrgUnit' }] },
  }, admin));
  expect((await ok(b.gql(COUNT, {}, token))).orgUnits.totalCount).toBe(await openUnits());

  await ok(a.gql(`mutation($i: UnbindRoleInput!) { unbindRole(input: $i) { deletedBindingId } }`, { i: { bindingId: binding.id } }, admin));
  expect(codeOf(await b.gql(COUNT, {}, token))).toBe('FORBIDDEN');
});

it('a user disabled through GraphQL on A is refused on the next request on B', async () => {
  const user = await createUserWithRole(dsA, 'county_officer', 'MY-FC');
  const token = await b.login(user.username);
  expect((await ok(b.gql(COUNT, {}, token))).orgUnits.totalCount).toBe(await openUnits());
  await ok(a.gql(`mutation($i: UserStandingInput!) { disableUser(input: $i) { user { disabled } } }`, { i: { id: gid('User', user.id), expectedVersion: user.version } }, admin));
  expect(codeOf(await b.gql(COUNT, {}, token))).toBe('UNAUTHENTICATED');
});

it('a park moved through GraphQL on A changes county scopes on the next request on B', async () => {
  const created = await ok(a.gql(`mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { orgUnit { id version code } } }`, {
    i: { parentId: gid('OrgUnit', (await unitByCode(dsA, 'MY-ZT')).id), code: unique('MV-').toUpperCase(), name: '迁移园区', nameEn: 'Moving park', kind: 'COUNTY_PARK' },
  }, admin));
  const park = created.createOrgUnit.orgUnit;
  const project = await createProject(dsA, await createEnterprise(dsA, park.code));
  const pw = await b.login((await createUserWithRole(dsA, 'county_officer', 'MY-PW')).username);
  const read = () => b.gql(`query($id: ID!) { project(id: $id) { id } }`, { id: gid('Project', project.id) }, pw);
  expect(codeOf(await read())).toBe('NOT_FOUND');
  await ok(a.gql(`mutation($i: MoveOrgUnitInput!) { moveOrgUnit(input: $i) { orgUnit { id } } }`, {
    i: { id: park.id, expectedVersion: park.version, parentId: gid('OrgUnit', (await unitByCode(dsA, 'MY-PW')).id) },
  }, admin));
  expect((await read()).data.project.id).toBe(gid('Project', project.id));
});
