/**
 * Roles and bindings at run time through GraphQL: custom roles with validated rules, built-in roles
 * protected, roles in use kept, bindings made and removed, each change audited and in effect on the
 * viewer's next request.
 */
import { DataSource } from 'typeorm';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { AuditEvent } from '../../src/modules/audit/audit-event.entity';
import { Role } from '../../src/modules/user/role.entity';
import { codeOf, startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createUser, createUserWithRole, unique, unitByCode } from '../helpers/factories';

let ds: DataSource;
let t: TestApp;
let admin: string;
let adminId: number;

const gid = toGlobalId;

const CREATE_ROLE = `mutation($i: CreateRoleInput!) { createRole(input: $i) { role { id key name builtIn version rules } } }`;
const UPDATE_ROLE = `mutation($i: UpdateRoleInput!) { updateRole(input: $i) { role { id version name description rules } } }`;
const DELETE_ROLE = `mutation($i: DeleteRoleInput!) { deleteRole(input: $i) { deletedRoleId } }`;
const BIND = `mutation($i: BindRoleInput!) { bindRole(input: $i) { binding { id createdAt user { username } role { key } scopeUnit { code } } } }`;
const UNBIND = `mutation($i: UnbindRoleInput!) { unbindRole(input: $i) { deletedBindingId } }`;
const COUNTIES: unknown[] = [{ action: 'read', subject: 'OrgUnit', conditions: { kind: 'COUNTY' } }];

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
  const user = await createUserWithRole(ds, 'admin', 'MY');
  adminId = user.id;
  admin = await t.login(user.username);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

async function createRole(rules: unknown[] = COUNTIES, token = admin) {
  const res = await t.gql(CREATE_ROLE, { i: { key: unique('r_'), name: 'Custom', rules } }, token);
  expect(res.errors).toBeUndefined();
  return res.data.createRole.role;
}

const eventsOf = (subjectType: string, recordId: number) =>
  ds.manager.find(AuditEvent, { where: { subjectType, recordId }, order: { id: 'ASC' } });

describe('custom roles', () => {
  it('creates a role with validated rules, audited', async () => {
    const key = unique('r_');
    const res = await t.gql(CREATE_ROLE, { i: { key, name: '区县只读', description: 'Counties only', rules: COUNTIES } }, admin);
    expect(res.errors).toBeUndefined();
    const role = res.data.createRole.role;
    expect(role).toMatchObject({ key, name: '区县只读', builtIn: false, version: 1, rules: COUNTIES });
    const stored = await ds.manager.findOneByOrFail(Role, { key });
    expect(stored.rules).toEqual(COUNTIES);
    const [event] = await eventsOf('Role', stored.id);
    expect(event).toMatchObject({ action: 'create', actorId: adminId });
    expect(event.changes!.after).toMatchObject({ key, rules: COUNTIES, builtIn: false });
    expect(event.actorBindings).toEqual([{ role: 'admin', scopeUnitId: (await unitByCode(ds, 'MY')).id }]);
  });

  it.each([
    ['an unknown subject', [{ action: 'read', subject: 'Widget' }], 'unknown subject "Widget"'],
    ['an unknown action', [{ action: 'fly', subject: 'Project' }], 'unknown action "fly" for Project'],
    ['an unknown field', [{ action: 'read', subject: 'Project', fields: ['nope'] }], 'unknown field "nope" of Project'],
    ['a secret field', [{ action: 'read', subject: 'User', fields: ['passwordHash'] }], 'unknown field "passwordHash" of User'],
    ['an unknown operator', [{ action: 'read', subject: 'Project', conditions: { territoryId: { $foo: 1 } } }], '"$foo"'],
    ['an unknown placeholder', [{ action: 'read', subject: 'Project', conditions: { territoryId: { $in: '${scope.nope}' } } }], 'unknown placeholder ${scope.nope}'],
    ['an unknown condition field', [{ action: 'read', subject: 'Project', conditions: { nope: 1 } }], 'Project.nope: unknown field'],
    ['a condition SQL cannot match exactly (free text)', [{ action: 'read', subject: 'Project', conditions: { name: 'x' } }], 'rules cannot test a varchar column'],
    ['a condition SQL cannot match exactly (decimal)', [{ action: 'read', subject: 'Project', conditions: { totalInvestment: { $gt: 5 } } }], 'rules cannot test a decimal column'],
    ['a value of the wrong type', [{ action: 'read', subject: 'Project', conditions: { stage: 'FLYING' } }], '"FLYING" is not one of'],
    ['a relation a field rule may not use', [{ action: 'read', subject: 'Project', fields: ['name'], conditions: { 'enterprise.scale': 'ABOVE_SCALE' } }], 'may only use the subject\'s own columns'],
    ['a rule that is not an object', ['read everything'], 'a rule must be an object'],
  ])('refuses %s with BAD_USER_INPUT naming the rule index', async (_what, bad, message) => {
    const before = await ds.manager.count(Role);
    // The bad rule is the second one: the error names rules.1.
    const res = await t.gql(CREATE_ROLE, { i: { key: unique('r_'), name: 'Bad', rules: [COUNTIES[0], ...bad] } }, admin);
    expect(res.data).toBeNull();
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rules.1' });
    expect(res.errors![0].message).toContain('Rule #1');
    expect(res.errors![0].message).toContain(message);
    expect(await ds.manager.count(Role)).toBe(before);
  });

  it('reports every problem, each with its index', async () => {
    const rules = [{ action: 'fly', subject: 'Project' }, COUNTIES[0], { action: 'read', subject: 'Nope' }];
    const res = await t.gql(CREATE_ROLE, { i: { key: unique('r_'), name: 'Bad', rules } }, admin);
    expect(res.errors![0].extensions!.field).toBe('rules.0');
    expect(res.errors![0].extensions!.problems.map((p: any) => p.field)).toEqual(['rules.0', 'rules.2']);
  });

  it('refuses the same rules on update, and changes nothing', async () => {
    const role = await createRole();
    const res = await t.gql(UPDATE_ROLE, { i: { id: role.id, expectedVersion: 1, rules: [{ action: 'read', subject: 'Project', conditions: { site: 'x' } }] } }, admin);
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rules.0' });
    const stored = await ds.manager.findOneByOrFail(Role, { key: role.key });
    expect({ version: stored.version, rules: stored.rules }).toEqual({ version: 1, rules: COUNTIES });
  });

  it('updates a custom role with optimistic locking, audited with before/after', async () => {
    const role = await createRole();
    const rules = [{ action: 'read', subject: 'OrgUnit' }];
    const res = await t.gql(UPDATE_ROLE, { i: { id: role.id, expectedVersion: 1, name: 'Renamed', rules } }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data.updateRole.role).toMatchObject({ version: 2, name: 'Renamed', rules });
    const stale = await t.gql(UPDATE_ROLE, { i: { id: role.id, expectedVersion: 1, name: 'Again' } }, admin);
    expect(codeOf(stale)).toBe('CONFLICT');
    const stored = await ds.manager.findOneByOrFail(Role, { key: role.key });
    const events = await eventsOf('Role', stored.id);
    expect(events.map((e) => e.action)).toEqual(['create', 'update']);
    expect(events[1].changes).toEqual({ before: { name: 'Custom', rules: COUNTIES }, after: { name: 'Renamed', rules } });
  });

  it('refuses a duplicate key with CONFLICT', async () => {
    const role = await createRole();
    const res = await t.gql(CREATE_ROLE, { i: { key: role.key, name: 'Again', rules: [] } }, admin);
    expect(res.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'key' });
    const builtIn = await t.gql(CREATE_ROLE, { i: { key: 'county_officer', name: 'Again', rules: [] } }, admin);
    expect(codeOf(builtIn)).toBe('CONFLICT');
  });

  it('lists and finds roles; a role lists its users', async () => {
    const role = await createRole();
    const holder = await createUser(ds);
    await t.gql(BIND, { i: { userId: gid('User', holder.id), roleId: role.id, scopeUnitId: gid('OrgUnit', (await unitByCode(ds, 'MY-FC')).id) } }, admin);
    const res = await t.gql(
      `query($s: String) { roles(first: 5, filter: { search: $s, builtIn: false }) { totalCount edges { node { key bindings { totalCount edges { node { user { username } scopeUnit { code } } } } } } } }`,
      { s: role.key },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.roles.totalCount).toBe(1);
    expect(res.data.roles.edges[0].node).toEqual({
      key: role.key,
      bindings: { totalCount: 1, edges: [{ node: { user: { username: holder.username }, scopeUnit: { code: 'MY-FC' } } }] },
    });
    const builtIns = await t.gql(`{ roles(first: 100, filter: { builtIn: true }) { totalCount edges { node { key builtIn } } } }`, {}, admin);
    expect(builtIns.data.roles.edges.map((e: any) => e.node.key)).toEqual(expect.arrayContaining(['admin', 'county_officer', 'enterprise_user']));
    const viaNode = await t.gql(`query($id: ID!) { node(id: $id) { ... on Role { key } } }`, { id: role.id }, admin);
    expect(viaNode.data.node).toEqual({ key: role.key });
  });
});

describe('built-in roles', () => {
  it('cannot be changed or deleted through the API', async () => {
    const builtIn = await ds.manager.findOneByOrFail(Role, { key: 'county_officer' });
    const id = gid('Role', builtIn.id);
    const update = await t.gql(UPDATE_ROLE, { i: { id, expectedVersion: builtIn.version, name: 'Mine now' } }, admin);
    expect(codeOf(update)).toBe('FORBIDDEN');
    expect(update.errors![0].message).toMatch(/built in.*maintained in code.*custom role/);
    const del = await t.gql(DELETE_ROLE, { i: { id, expectedVersion: builtIn.version } }, admin);
    expect(codeOf(del)).toBe('FORBIDDEN');
    const after = await ds.manager.findOneByOrFail(Role, { key: 'county_officer' });
    expect(after.name).toBe(builtIn.name);
  });
});

describe('deleting roles', () => {
  it('refuses a role in use with CONFLICT naming the binding count, then deletes it once unbound', async () => {
    const role = await createRole();
    const fc = gid('OrgUnit', (await unitByCode(ds, 'MY-FC')).id);
    const bindings: string[] = [];
    for (let i = 0; i < 2; i++) {
      const user = await createUser(ds);
      const res = await t.gql(BIND, { i: { userId: gid('User', user.id), roleId: role.id, scopeUnitId: fc } }, admin);
      bindings.push(res.data.bindRole.binding.id);
    }
    const refused = await t.gql(DELETE_ROLE, { i: { id: role.id, expectedVersion: 1 } }, admin);
    expect(refused.errors![0].extensions).toMatchObject({ code: 'CONFLICT', bindingCount: 2 });
    expect(refused.errors![0].message).toContain('bound 2 times');

    for (const bindingId of bindings) expect((await t.gql(UNBIND, { i: { bindingId } }, admin)).errors).toBeUndefined();
    const res = await t.gql(DELETE_ROLE, { i: { id: role.id, expectedVersion: 1 } }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data.deleteRole.deletedRoleId).toBe(role.id);
    expect(await ds.manager.findOneBy(Role, { key: role.key })).toBeNull();
    const events = await ds.manager.find(AuditEvent, { where: { subjectType: 'Role', action: 'delete' }, order: { id: 'DESC' }, take: 1 });
    expect(events[0].changes!.before).toMatchObject({ key: role.key, rules: COUNTIES });
    expect(events[0].changes!.after).toBeNull();
  });
});

describe('bindings', () => {
  it('binds and unbinds, takes effect on the next request, lists both ways, audits both', async () => {
    const role = await createRole();
    const user = await createUser(ds);
    const token = await t.login(user.username);
    const count = '{ orgUnits(first: 100, filter: { kinds: [COUNTY] }) { totalCount } }';
    expect(codeOf(await t.gql(count, {}, token))).toBe('FORBIDDEN');

    const fc = await unitByCode(ds, 'MY-FC');
    const bound = await t.gql(BIND, { i: { userId: gid('User', user.id), roleId: role.id, scopeUnitId: gid('OrgUnit', fc.id) } }, admin);
    expect(bound.errors).toBeUndefined();
    const binding = bound.data.bindRole.binding;
    expect(binding).toMatchObject({ user: { username: user.username }, role: { key: role.key }, scopeUnit: { code: 'MY-FC' } });
    expect((await t.gql(count, {}, token)).data.orgUnits.totalCount).toBe(9);

    const again = await t.gql(BIND, { i: { userId: gid('User', user.id), roleId: role.id, scopeUnitId: gid('OrgUnit', fc.id) } }, admin);
    expect(codeOf(again)).toBe('CONFLICT');

    const ofUser = await t.gql(`query($id: ID!) { user(id: $id) { roleBindings { id role { key } scopeUnit { code } } } }`, { id: gid('User', user.id) }, admin);
    expect(ofUser.data.user.roleBindings).toEqual([{ id: binding.id, role: { key: role.key }, scopeUnit: { code: 'MY-FC' } }]);
    const listed = await t.gql(`query($f: RoleBindingFilter) { roleBindings(filter: $f) { totalCount edges { node { id } } } }`, { f: { roleId: role.id } }, admin);
    expect(listed.data.roleBindings).toEqual({ totalCount: 1, edges: [{ node: { id: binding.id } }] });
    const within = await t.gql(`query($f: RoleBindingFilter) { roleBindings(filter: $f) { totalCount } }`, { f: { roleId: role.id, withinUnitId: gid('OrgUnit', (await unitByCode(ds, 'MY-YX')).id) } }, admin);
    expect(within.data.roleBindings.totalCount).toBe(0);

    const removed = await t.gql(UNBIND, { i: { bindingId: binding.id } }, admin);
    expect(removed.data.unbindRole.deletedBindingId).toBe(binding.id);
    expect(codeOf(await t.gql(count, {}, token))).toBe('FORBIDDEN');

    const events = await ds.manager.find(AuditEvent, { where: { subjectType: 'RoleBinding', actorId: adminId }, order: { id: 'DESC' }, take: 2 });
    expect(events.map((e) => e.action)).toEqual(['delete', 'create']);
    expect(events[1].changes!.after).toEqual({ userId: user.id, roleId: expect.any(Number), roleKey: role.key, scopeUnitId: fc.id });
    expect(events[0].changes!.before).toEqual(events[1].changes!.after);
    expect(events[1].territoryId).toBe(fc.id);
    expect(events[1].requestId).toEqual(expect.any(String));
  });

  it('refuses a binding at a closed unit and to unknown records', async () => {
    const role = await createRole();
    const user = await createUser(ds);
    const unknownUser = await t.gql(BIND, { i: { userId: gid('User', 99999999), roleId: role.id, scopeUnitId: gid('OrgUnit', 1) } }, admin);
    expect(codeOf(unknownUser)).toBe('NOT_FOUND');
    const wrongType = await t.gql(BIND, { i: { userId: gid('Role', user.id), roleId: role.id, scopeUnitId: gid('OrgUnit', 1) } }, admin);
    expect(wrongType.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });

    const fc = await unitByCode(ds, 'MY-FC');
    const created = await t.gql(
      `mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { orgUnit { id version } } }`,
      { i: { parentId: gid('OrgUnit', fc.id), code: unique('CLOSED-').toUpperCase(), name: '旧园区', nameEn: 'Old park', kind: 'COUNTY_PARK' } },
      admin,
    );
    const unit = created.data.createOrgUnit.orgUnit;
    await t.gql(`mutation($i: CloseOrgUnitInput!) { closeOrgUnit(input: $i) { orgUnit { validTo } } }`, { i: { id: unit.id, expectedVersion: unit.version, validTo: '2020-01-01' } }, admin);
    const res = await t.gql(BIND, { i: { userId: gid('User', user.id), roleId: role.id, scopeUnitId: unit.id } }, admin);
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scopeUnitId' });
  });
});
