/**
 * Every administration operation requires a signed-in user and is refused (FORBIDDEN, before it
 * runs) to the non-admin built-in roles — except `changePassword` (anyone, for themselves) and
 * `auditEvents` (admins and the oversight office).
 */
import { getMetadataStorage } from 'type-graphql';
import { DataSource } from 'typeorm';
import { buildSchema } from '../../src/app/build-schema';
import { ExplainAccessResolver } from '../../src/modules/admin/explain.resolver';
import { AuditLogResolver } from '../../src/modules/audit/audit-log.resolver';
import { OrgAdminResolver } from '../../src/modules/org/org-admin.resolver';
import { RoleAdminResolver, RoleBindingResolver } from '../../src/modules/user/role-admin.resolver';
import { UserAdminResolver } from '../../src/modules/user/user-admin.resolver';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { AuditEvent } from '../../src/modules/audit/audit-event.entity';
import { BUILT_IN_ROLE_KEYS } from '../../src/seed/roles';
import { startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createEnterprise } from '../helpers/domain-factories';
import { createUserWithRole } from '../helpers/factories';

let ds: DataSource;
let t: TestApp;
const gid = toGlobalId;

const id = (type: string) => gid(type, 1);
const OPERATIONS: Record<string, { query: string; variables?: Record<string, unknown> }> = {
  users: { query: '{ users { totalCount } }' },
  user: { query: `query($id: ID!) { user(id: $id) { id } }`, variables: { id: id('User') } },
  createUser: { query: `mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }`, variables: { i: { username: 'x1', displayName: 'x', password: 'Password-1' } } },
  updateUser: { query: `mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { id } } }`, variables: { i: { id: id('User'), expectedVersion: 1, displayName: 'x' } } },
  disableUser: { query: `mutation($i: UserStandingInput!) { disableUser(input: $i) { user { id } } }`, variables: { i: { id: id('User'), expectedVersion: 1 } } },
  enableUser: { query: `mutation($i: UserStandingInput!) { enableUser(input: $i) { user { id } } }`, variables: { i: { id: id('User'), expectedVersion: 1 } } },
  resetUserPassword: { query: `mutation($i: ResetUserPasswordInput!) { resetUserPassword(input: $i) { temporaryPassword } }`, variables: { i: { id: id('User'), expectedVersion: 1 } } },
  roles: { query: '{ roles { totalCount } }' },
  role: { query: `query($id: ID!) { role(id: $id) { id } }`, variables: { id: id('Role') } },
  createRole: { query: `mutation($i: CreateRoleInput!) { createRole(input: $i) { role { id } } }`, variables: { i: { key: 'x_role', name: 'x', rules: [] } } },
  updateRole: { query: `mutation($i: UpdateRoleInput!) { updateRole(input: $i) { role { id } } }`, variables: { i: { id: id('Role'), expectedVersion: 1, name: 'x' } } },
  deleteRole: { query: `mutation($i: DeleteRoleInput!) { deleteRole(input: $i) { deletedRoleId } }`, variables: { i: { id: id('Role'), expectedVersion: 1 } } },
  roleBindings: { query: '{ roleBindings { totalCount } }' },
  bindRole: { query: `mutation($i: BindRoleInput!) { bindRole(input: $i) { binding { id } } }`, variables: { i: { userId: id('User'), roleId: id('Role'), scopeUnitId: id('OrgUnit') } } },
  unbindRole: { query: `mutation($i: UnbindRoleInput!) { unbindRole(input: $i) { deletedBindingId } }`, variables: { i: { bindingId: id('RoleBinding') } } },
  explainAccess: { query: `query($i: ExplainAccessInput!) { explainAccess(input: $i) { allowed } }`, variables: { i: { userId: id('User'), action: 'read', subject: 'Project' } } },
  auditEvents: { query: '{ auditEvents { totalCount } }' },
  createOrgUnit: { query: `mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { orgUnit { id } } }`, variables: { i: { parentId: id('OrgUnit'), code: 'X-NEW', name: 'x', nameEn: 'x', kind: 'CITY_PARK' } } },
  renameOrgUnit: { query: `mutation($i: RenameOrgUnitInput!) { renameOrgUnit(input: $i) { orgUnit { id } } }`, variables: { i: { id: id('OrgUnit'), expectedVersion: 1, name: 'x' } } },
  moveOrgUnit: { query: `mutation($i: MoveOrgUnitInput!) { moveOrgUnit(input: $i) { orgUnit { id } } }`, variables: { i: { id: id('OrgUnit'), expectedVersion: 1, parentId: id('OrgUnit') } } },
  closeOrgUnit: { query: `mutation($i: CloseOrgUnitInput!) { closeOrgUnit(input: $i) { orgUnit { id } } }`, variables: { i: { id: id('OrgUnit'), expectedVersion: 1, validTo: '2030-01-01' } } },
  changePassword: { query: `mutation($i: ChangePasswordInput!) { changePassword(input: $i) { user { id } } }`, variables: { i: { currentPassword: 'wrong-1', newPassword: 'Another-2' } } },
};

/** Who may run each operation besides admins; everyone else among the built-in roles is FORBIDDEN. */
const ALSO_ALLOWED: Record<string, readonly string[]> = {
  auditEvents: ['oversight_officer'],
  changePassword: BUILT_IN_ROLE_KEYS,
};

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

it('covers every operation of the administration resolvers', async () => {
  await buildSchema();
  const admin = new Set<Function>([UserAdminResolver, RoleAdminResolver, RoleBindingResolver, ExplainAccessResolver, AuditLogResolver, OrgAdminResolver]);
  const storage = getMetadataStorage();
  const declared = [...storage.queries, ...storage.mutations].filter((op) => admin.has(op.target)).map((op) => op.schemaName);
  expect(declared.sort()).toEqual(Object.keys(OPERATIONS).sort());
});

it('refuses every administration operation without a token', async () => {
  const answers = await Promise.all(Object.entries(OPERATIONS).map(async ([name, op]) => [name, (await t.gql(op.query, op.variables)).errors?.[0]?.extensions?.code]));
  expect(answers.filter(([, code]) => code !== 'UNAUTHENTICATED')).toEqual([]);
});

it('refuses them to every non-admin built-in role, before anything is written', async () => {
  const enterprise = await createEnterprise(ds, 'MY-FC');
  const events = await ds.manager.count(AuditEvent);
  const wrong: string[] = [];
  for (const role of BUILT_IN_ROLE_KEYS.filter((r) => r !== 'admin')) {
    const scope = role === 'county_officer' ? 'MY-FC' : role === 'park_officer' ? 'MY-GX' : 'MY';
    const token = await t.login((await createUserWithRole(ds, role, scope, role === 'enterprise_user' ? { enterpriseId: enterprise.id } : {})).username);
    for (const [name, op] of Object.entries(OPERATIONS)) {
      const code = (await t.gql(op.query, op.variables, token)).errors?.[0]?.extensions?.code;
      const expected = ALSO_ALLOWED[name]?.includes(role) ? 'allowed' : 'FORBIDDEN';
      const got = code === 'FORBIDDEN' ? 'FORBIDDEN' : 'allowed';
      if (got !== expected) wrong.push(`${role} ${name}: ${code ?? 'ok'}`);
    }
  }
  expect(wrong).toEqual([]);
  expect(await ds.manager.count(AuditEvent)).toBe(events);
});
