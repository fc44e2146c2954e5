/**
 * The org tree administered through GraphQL: create, rename, move (with the subtree's paths) and
 * close, each audited and in effect for every scope on the next request.
 */
import { DataSource, Like } from 'typeorm';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { AuditEvent } from '../../src/modules/audit/audit-event.entity';
import { OrgUnit } from '../../src/modules/org/org-unit.entity';
import { codeOf, startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createEnterprise, createProject } from '../helpers/domain-factories';
import { createUserWithRole, unique, unitByCode } from '../helpers/factories';

let ds: DataSource;
let t: TestApp;
let admin: string;

const gid = toGlobalId;
const UNIT = 'orgUnit { id version code name nameEn kind validTo parent { code } }';
const CREATE = `mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { ${UNIT} } }`;
const RENAME = `mutation($i: RenameOrgUnitInput!) { renameOrgUnit(input: $i) { ${UNIT} } }`;
const MOVE = `mutation($i: MoveOrgUnitInput!) { moveOrgUnit(input: $i) { ${UNIT} } }`;
const CLOSE = `mutation($i: CloseOrgUnitInput!) { closeOrgUnit(input: $i) { ${UNIT} } }`;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
  admin = await t.login((await createUserWithRole(ds, 'admin', 'MY')).username);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

const code = (prefix: string) => unique(`${prefix}-`).toUpperCase();
async function create(parentCode: string, kind: string, attrs: Record<string, unknown> = {}) {
  const parent = await unitByCode(ds, parentCode);
  const res = await t.gql(CREATE, { i: { parentId: gid('OrgUnit', parent.id), code: code('T'), name: unique('单位'), nameEn: 'Unit', kind, ...attrs } }, admin);
  expect(res.errors).toBeUndefined();
  return ds.manager.findOneByOrFail(OrgUnit, { code: res.data.createOrgUnit.orgUnit.code });
}
const eventsOf = (id: number) => ds.manager.find(AuditEvent, { where: { subjectType: 'OrgUnit', recordId: id }, order: { id: 'ASC' } });

describe('org tree administration', () => {
  it('creates a park under a county with its materialised path; it is in the county\'s scope at once', async () => {
    const county = await unitByCode(ds, 'MY-FC');
    const officer = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-FC')).username);
    const park = await create('MY-FC', 'COUNTY_PARK', { parkLevel: 'PROVINCIAL', validFrom: '2026-01-01' });
    expect(park).toMatchObject({ parentId: county.id, path: `${county.path}${park.id}/`, kind: 'COUNTY_PARK', parkLevel: 'PROVINCIAL', validFrom: '2026-01-01' });
    const project = await createProject(ds, await createEnterprise(ds, park.code));
    const seen = await t.gql(`query($id: ID!) { project(id: $id) { territory { code } } }`, { id: gid('Project', project.id) }, officer);
    expect(seen.data.project.territory.code).toBe(park.code);
    const [event] = await eventsOf(park.id);
    expect(event).toMatchObject({ action: 'create', territoryId: park.id });
    expect(event.changes!.after).toMatchObject({ code: park.code, path: park.path });
  });

  it('refuses a misplaced unit, a second city, a bad code and a taken one', async () => {
    const fc = gid('OrgUnit', (await unitByCode(ds, 'MY-FC')).id);
    const my = gid('OrgUnit', (await unitByCode(ds, 'MY')).id);
    const base = { name: '测试', nameEn: 'Test' };
    const misplaced = await t.gql(CREATE, { i: { ...base, parentId: fc, code: code('X'), kind: 'COUNTY' } }, admin);
    expect(misplaced.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentId' });
    const cityPark = await t.gql(CREATE, { i: { ...base, parentId: my, code: code('X'), kind: 'COUNTY_PARK' } }, admin);
    expect(cityPark.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentId' });
    const city = await t.gql(CREATE, { i: { ...base, parentId: my, code: code('X'), kind: 'CITY' } }, admin);
    expect(city.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'kind' });
    const badCode = await t.gql(CREATE, { i: { ...base, parentId: my, code: 'bad code', kind: 'CITY_PARK' } }, admin);
    expect(badCode.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    const taken = await t.gql(CREATE, { i: { ...base, parentId: my, code: 'MY-FC', kind: 'CITY_PARK' } }, admin);
    expect(taken.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'code' });
  });

  it('renames with optimistic locking, audited', async () => {
    const park = await create('MY-YX', 'COUNTY_PARK');
    const res = await t.gql(RENAME, { i: { id: gid('OrgUnit', park.id), expectedVersion: 1, name: '新名称园区' } }, admin);
    expect(res.data.renameOrgUnit.orgUnit).toMatchObject({ name: '新名称园区', version: 2 });
    expect(codeOf(await t.gql(RENAME, { i: { id: gid('OrgUnit', park.id), expectedVersion: 1, name: 'Late' } }, admin))).toBe('CONFLICT');
    const events = await eventsOf(park.id);
    expect(events[1]).toMatchObject({ action: 'rename', changes: { before: { name: park.name }, after: { name: '新名称园区' } } });
  });

  it('moves a park with its departments to another county: paths rewritten, scopes follow at once', async () => {
    const from = await unitByCode(ds, 'MY-AZ');
    const to = await unitByCode(ds, 'MY-ST');
    const park = await create('MY-AZ', 'COUNTY_PARK');
    const department = await create(park.code, 'DEPARTMENT');
    expect(department.path).toBe(`${from.path}${park.id}/${department.id}/`);
    const project = await createProject(ds, await createEnterprise(ds, park.code));
    const azOfficer = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-AZ')).username);
    const stOfficer = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-ST')).username);
    const read = (token: string) => t.gql(`query($id: ID!) { project(id: $id) { id } }`, { id: gid('Project', project.id) }, token);
    expect((await read(azOfficer)).data.project).not.toBeNull();
    expect(codeOf(await read(stOfficer))).toBe('NOT_FOUND');

    const res = await t.gql(MOVE, { i: { id: gid('OrgUnit', park.id), expectedVersion: 1, parentId: gid('OrgUnit', to.id) } }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data.moveOrgUnit.orgUnit).toMatchObject({ version: 2, parent: { code: 'MY-ST' } });
    const moved = await ds.manager.findBy(OrgUnit, { path: Like(`${to.path}${park.id}/%`) });
    expect(moved.map((u) => [u.id, u.path]).sort()).toEqual([[park.id, `${to.path}${park.id}/`], [department.id, `${to.path}${park.id}/${department.id}/`]].sort());
    expect((await ds.manager.findOneByOrFail(OrgUnit, { id: department.id })).version).toBe(2);

    expect(codeOf(await read(azOfficer))).toBe('NOT_FOUND');
    expect((await read(stOfficer)).data.project).not.toBeNull();

    const events = await eventsOf(park.id);
    expect(events[1]).toMatchObject({
      action: 'move',
      changes: { before: { parentId: from.id, path: park.path, descendantsMoved: null }, after: { parentId: to.id, path: `${to.path}${park.id}/`, descendantsMoved: 1 } },
    });
  });

  it('refuses moves that break the tree', async () => {
    const park = await create('MY-YT', 'COUNTY_PARK');
    const department = await create(park.code, 'DEPARTMENT');
    const id = gid('OrgUnit', park.id);
    const into = await t.gql(MOVE, { i: { id, expectedVersion: 1, parentId: gid('OrgUnit', department.id) } }, admin);
    expect(into.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentId' });
    const city = await t.gql(MOVE, { i: { id, expectedVersion: 1, parentId: gid('OrgUnit', (await unitByCode(ds, 'MY')).id) } }, admin);
    expect(city.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentId' });
    const root = await unitByCode(ds, 'MY');
    const moveRoot = await t.gql(MOVE, { i: { id: gid('OrgUnit', root.id), expectedVersion: root.version, parentId: gid('OrgUnit', (await unitByCode(ds, 'MY-FC')).id) } }, admin);
    expect(codeOf(moveRoot)).toBe('BAD_USER_INPUT');
    expect((await ds.manager.findOneByOrFail(OrgUnit, { id: park.id })).version).toBe(1);
  });

  it('closes a unit once everything below is closed; its records stay visible to the scope above', async () => {
    const park = await create('MY-BC', 'COUNTY_PARK');
    const department = await create(park.code, 'DEPARTMENT');
    const project = await createProject(ds, await createEnterprise(ds, park.code));
    const open = await t.gql(CLOSE, { i: { id: gid('OrgUnit', park.id), expectedVersion: 1, validTo: '2025-12-31' } }, admin);
    expect(open.errors![0].extensions).toMatchObject({ code: 'CONFLICT', openUnits: 1 });
    expect(codeOf(await t.gql(CLOSE, { i: { id: gid('OrgUnit', department.id), expectedVersion: 1, validTo: '2025-13-01' } }, admin))).toBe('BAD_USER_INPUT');
    expect((await t.gql(CLOSE, { i: { id: gid('OrgUnit', department.id), expectedVersion: 1, validTo: '2025-06-30' } }, admin)).errors).toBeUndefined();
    const closed = await t.gql(CLOSE, { i: { id: gid('OrgUnit', park.id), expectedVersion: 1, validTo: '2025-12-31' } }, admin);
    expect(closed.data.closeOrgUnit.orgUnit).toMatchObject({ validTo: '2025-12-31', version: 2 });

    const officer = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-BC')).username);
    expect((await t.gql(`query($id: ID!) { project(id: $id) { territory { code validTo } } }`, { id: gid('Project', project.id) }, officer)).data.project.territory).toEqual({ code: park.code, validTo: '2025-12-31' });
    const listed = await t.gql(`query($f: OrgUnitFilter) { orgUnits(filter: $f, first: 100) { edges { node { code } } } }`, { f: { withinId: gid('OrgUnit', (await unitByCode(ds, 'MY-BC')).id) } }, officer);
    expect(listed.data.orgUnits.edges.map((e: any) => e.node.code)).not.toContain(park.code);
    const withClosed = await t.gql(`query($f: OrgUnitFilter) { orgUnits(filter: $f, first: 100) { edges { node { code } } } }`, { f: { withinId: gid('OrgUnit', (await unitByCode(ds, 'MY-BC')).id), includeClosed: true } }, officer);
    expect(withClosed.data.orgUnits.edges.map((e: any) => e.node.code)).toContain(park.code);
    expect((await eventsOf(park.id)).map((e) => e.action)).toEqual(['create', 'close']);
  });
});
