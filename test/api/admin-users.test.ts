/**
 * User accounts through GraphQL: create with a hashed initial password, edit, bind to an
 * enterprise, disable (tokens refused at once) and enable, reset password (must change it), the
 * user's own password change, list and search — each change audited without the password hash.
 */
import { DataSource } from 'typeorm';
import { verifyPassword } from '../../src/core/auth/passwords';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { AuditEvent } from '../../src/modules/audit/audit-event.entity';
import { User } from '../../src/modules/user/user.entity';
import { codeOf, startTestApp, TEST_PASSWORD, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createEnterprise } from '../helpers/domain-factories';
import { bind, createUser, createUserWithRole, unique, unitByCode } from '../helpers/factories';

let ds: DataSource;
let t: TestApp;
let admin: string;
let adminId: number;

const gid = toGlobalId;
const USER_FIELDS = 'id version username displayName phone disabled mustChangePassword enterprise { name }';
const CREATE = `mutation($i: CreateUserInput!) { createUser(input: $i) { user { ${USER_FIELDS} } } }`;
const UPDATE = `mutation($i: UpdateUserInput!) { updateUser(input: $i) { user { ${USER_FIELDS} } } }`;
const DISABLE = `mutation($i: UserStandingInput!) { disableUser(input: $i) { user { ${USER_FIELDS} } } }`;
const ENABLE = `mutation($i: UserStandingInput!) { enableUser(input: $i) { user { ${USER_FIELDS} } } }`;
const RESET = `mutation($i: ResetUserPasswordInput!) { resetUserPassword(input: $i) { temporaryPassword user { ${USER_FIELDS} } } }`;
const CHANGE = `mutation($i: ChangePasswordInput!) { changePassword(input: $i) { user { mustChangePassword } } }`;
const ME = '{ me { username mustChangePassword } }';

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

const eventsOf = (userId: number) => ds.manager.find(AuditEvent, { where: { subjectType: 'User', recordId: userId }, order: { id: 'ASC' } });
const loginRaw = (username: string, password: string) =>
  t.gql('mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken user { mustChangePassword } } }', { i: { username, password } });

async function newAccount(attrs: Record<string, unknown> = {}) {
  const username = unique('acct');
  const res = await t.gql(CREATE, { i: { username, displayName: '新用户', password: 'Initial-pass-1', ...attrs } }, admin);
  expect(res.errors).toBeUndefined();
  return res.data.createUser.user;
}

describe('creating users', () => {
  it('stores only a scrypt hash of the initial password, and the user must change it', async () => {
    const user = await newAccount({ phone: '0816-2345678' });
    expect(user).toMatchObject({ version: 1, displayName: '新用户', phone: '0816-2345678', disabled: false, mustChangePassword: true, enterprise: null });
    const stored = await ds.manager.findOneByOrFail(User, { username: user.username });
    expect(stored.passwordHash).toMatch(/^scrypt\$/);
    expect(stored.passwordHash).not.toContain('Initial-pass-1');
    expect(await verifyPassword('Initial-pass-1', stored.passwordHash)).toBe(true);

    const login = await loginRaw(user.username, 'Initial-pass-1');
    expect(login.data.login.user.mustChangePassword).toBe(true);

    const [event] = await eventsOf(stored.id);
    expect(event).toMatchObject({ action: 'create', actorId: adminId });
    expect(event.changes!.after).toMatchObject({ username: user.username, mustChangePassword: true });
    expect(JSON.stringify(event.changes)).not.toContain('passwordHash');
    expect(JSON.stringify(event.changes)).not.toContain(stored.passwordHash);
  });

  it('refuses a weak password, a bad username and a taken one, naming the field', async () => {
    for (const [i, field] of [
      [{ username: unique('w'), password: 'short1' }, 'password'],
      [{ username: unique('w'), password: 'no-digits-here' }, 'password'],
      [{ username: 'bad name!', password: 'Good-pass-1' }, 'username'],
    ] as const) {
      const res = await t.gql(CREATE, { i: { displayName: 'X', ...i } }, admin);
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const existing = await newAccount();
    const taken = await t.gql(CREATE, { i: { username: existing.username, displayName: 'X', password: 'Good-pass-1' } }, admin);
    expect(taken.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'username' });
  });
});

describe('editing users', () => {
  it('edits a user and binds them to an enterprise, with version checks and audit', async () => {
    const user = await newAccount();
    const enterprise = await createEnterprise(ds, 'MY-FC');
    const res = await t.gql(UPDATE, { i: { id: user.id, expectedVersion: 1, displayName: '企业填报员', enterpriseId: gid('Enterprise', enterprise.id) } }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data.updateUser.user).toMatchObject({ version: 2, displayName: '企业填报员', enterprise: { name: enterprise.name } });
    expect(codeOf(await t.gql(UPDATE, { i: { id: user.id, expectedVersion: 1, displayName: 'Late' } }, admin))).toBe('CONFLICT');

    // As an enterprise account with the enterprise_user role, they now act for that enterprise.
    const stored = await ds.manager.findOneByOrFail(User, { username: user.username });
    await bind(ds, stored, 'enterprise_user', 'MY-FC');
    const token = (await loginRaw(user.username, 'Initial-pass-1')).data.login.accessToken;
    // A new account starts with a temporary password: it is changed first.
    expect((await t.gql(CHANGE, { i: { currentPassword: 'Initial-pass-1', newPassword: 'Own-passw0rd!' } }, token)).errors).toBeUndefined();
    const own = await t.gql(`query($id: ID!) { enterprise(id: $id) { name } }`, { id: gid('Enterprise', enterprise.id) }, token);
    expect(own.data.enterprise.name).toBe(enterprise.name);

    const events = await eventsOf(stored.id);
    expect(events.map((e) => e.action)).toEqual(['create', 'update', 'changePassword']);
    expect(events[1].changes).toEqual({
      before: { displayName: '新用户', enterpriseId: null },
      after: { displayName: '企业填报员', enterpriseId: enterprise.id },
    });
    expect(events[1].enterpriseId).toBe(enterprise.id);
  });

  it('refuses an enterprise the admin cannot see as NOT_FOUND, and a clear of it is allowed', async () => {
    const user = await newAccount();
    const missing = await t.gql(UPDATE, { i: { id: user.id, expectedVersion: 1, enterpriseId: gid('Enterprise', 99999999) } }, admin);
    expect(codeOf(missing)).toBe('NOT_FOUND');
    const cleared = await t.gql(UPDATE, { i: { id: user.id, expectedVersion: 1, enterpriseId: null, phone: null } }, admin);
    expect(cleared.data.updateUser.user).toMatchObject({ enterprise: null, phone: null });
  });
});

describe('disabling users', () => {
  it("refuses the disabled user's access token and refresh token at once, and lets them back in when enabled", async () => {
    const user = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    const session = (await loginRaw(user.username, TEST_PASSWORD)).data.login;
    expect((await t.gql(ME, {}, session.accessToken)).data.me.username).toBe(user.username);

    const res = await t.gql(DISABLE, { i: { id: gid('User', user.id), expectedVersion: user.version } }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data.disableUser.user).toMatchObject({ disabled: true, version: user.version + 1 });

    expect(codeOf(await t.gql(ME, {}, session.accessToken))).toBe('UNAUTHENTICATED');
    const refreshed = await t.gql('mutation($i: RefreshTokenInput!) { refreshToken(input: $i) { accessToken } }', { i: { refreshToken: session.refreshToken } });
    expect(codeOf(refreshed)).toBe('UNAUTHENTICATED');
    expect(codeOf(await loginRaw(user.username, TEST_PASSWORD))).toBe('UNAUTHENTICATED');

    const enabled = await t.gql(ENABLE, { i: { id: gid('User', user.id), expectedVersion: user.version + 1 } }, admin);
    expect(enabled.data.enableUser.user.disabled).toBe(false);
    const again = (await loginRaw(user.username, TEST_PASSWORD)).data.login.accessToken;
    expect((await t.gql(ME, {}, again)).data.me.username).toBe(user.username);
    // The session that was open when they were disabled stays ended.
    expect(codeOf(await t.gql(ME, {}, session.accessToken))).toBe('UNAUTHENTICATED');

    const events = await eventsOf(user.id);
    expect(events.map((e) => e.action)).toEqual(['disable', 'enable']);
    expect(events[0].changes).toEqual({ before: { disabled: false, sessionsRevoked: null }, after: { disabled: true, sessionsRevoked: 1 } });
    expect(events[1].changes).toEqual({ before: { disabled: true }, after: { disabled: false } });
  });
});

describe('passwords', () => {
  it('resets a password: sessions end, the user signs in with the temporary one and must change it', async () => {
    const user = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    const before = (await loginRaw(user.username, TEST_PASSWORD)).data.login.accessToken;
    const res = await t.gql(RESET, { i: { id: gid('User', user.id), expectedVersion: user.version } }, admin);
    expect(res.errors).toBeUndefined();
    const temporary = res.data.resetUserPassword.temporaryPassword;
    expect(temporary).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(res.data.resetUserPassword.user.mustChangePassword).toBe(true);
    expect(codeOf(await t.gql(ME, {}, before))).toBe('UNAUTHENTICATED');
    expect(codeOf(await loginRaw(user.username, TEST_PASSWORD))).toBe('UNAUTHENTICATED');

    const signedIn = await loginRaw(user.username, temporary);
    expect(signedIn.data.login.user.mustChangePassword).toBe(true);
    const token = signedIn.data.login.accessToken;

    const wrong = await t.gql(CHANGE, { i: { currentPassword: 'not-it-1', newPassword: 'Brand-new-2' } }, token);
    expect(wrong.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    const weak = await t.gql(CHANGE, { i: { currentPassword: temporary, newPassword: 'weak' } }, token);
    expect(weak.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    const same = await t.gql(CHANGE, { i: { currentPassword: temporary, newPassword: temporary } }, token);
    expect(same.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });

    const changed = await t.gql(CHANGE, { i: { currentPassword: temporary, newPassword: 'Brand-new-2' } }, token);
    expect(changed.errors).toBeUndefined();
    expect(changed.data.changePassword.user.mustChangePassword).toBe(false);
    // The session that changed it goes on, and sees the cleared flag at once.
    expect((await t.gql(ME, {}, token)).data.me).toEqual({ username: user.username, mustChangePassword: false });
    expect(codeOf(await loginRaw(user.username, temporary))).toBe('UNAUTHENTICATED');
    expect((await loginRaw(user.username, 'Brand-new-2')).data.login.user.mustChangePassword).toBe(false);

    const events = await eventsOf(user.id);
    expect(events.map((e) => e.action)).toEqual(['resetPassword', 'changePassword']);
    expect(events[0].changes!.after).toMatchObject({ mustChangePassword: true, password: 'reset', sessionsRevoked: 1 });
    expect(events[1]).toMatchObject({ actorId: user.id });
    for (const e of events) expect(JSON.stringify(e.changes)).not.toMatch(/scrypt|passwordHash|Brand-new-2/);
  });

  it('takes a temporary password from the admin when given, and does not echo it', async () => {
    const user = await createUser(ds);
    const res = await t.gql(RESET, { i: { id: gid('User', user.id), expectedVersion: user.version, temporaryPassword: 'Handed-over-9' } }, admin);
    expect(res.data.resetUserPassword.temporaryPassword).toBeNull();
    expect((await loginRaw(user.username, 'Handed-over-9')).data.login.user.mustChangePassword).toBe(true);
  });

  it('lets any signed-in user change their own password, and nobody anonymous', async () => {
    const user = await createUserWithRole(ds, 'enterprise_user', 'MY-FC');
    const token = await t.login(user.username);
    expect((await t.gql(CHANGE, { i: { currentPassword: TEST_PASSWORD, newPassword: 'Mine-only-3' } }, token)).errors).toBeUndefined();
    expect(codeOf(await t.gql(CHANGE, { i: { currentPassword: 'Mine-only-3', newPassword: 'Mine-only-4' } }))).toBe('UNAUTHENTICATED');
  });
});

describe('listing users', () => {
  it('searches, filters by role and scope, pages with a stable order', async () => {
    const tag = unique('find');
    const role = 'park_officer';
    const gx = await unitByCode(ds, 'MY-GX');
    const a = await createUserWithRole(ds, role, 'MY-GX', { username: `${tag}a`, displayName: '甲' });
    const b = await createUser(ds, { username: `${tag}b`, displayName: '乙', disabled: true });
    const c = await createUserWithRole(ds, 'county_officer', 'MY-FC', { username: `${tag}c`, displayName: '丙' });
    const q = `query($f: UserFilter, $after: String, $o: UserOrder) { users(first: 2, after: $after, filter: $f, orderBy: $o) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { username roleBindings { role { key } } } } } }`;

    const page1 = await t.gql(q, { f: { search: tag } }, admin);
    expect(page1.errors).toBeUndefined();
    expect(page1.data.users.totalCount).toBe(3);
    expect(page1.data.users.edges.map((e: any) => e.node.username)).toEqual([a.username, b.username]);
    const page2 = await t.gql(q, { f: { search: tag }, after: page1.data.users.pageInfo.endCursor }, admin);
    expect(page2.data.users.edges.map((e: any) => e.node.username)).toEqual([c.username]);
    expect(page2.data.users.pageInfo.hasNextPage).toBe(false);
    const desc = await t.gql(q, { f: { search: tag }, o: { field: 'USERNAME', direction: 'DESC' } }, admin);
    expect(desc.data.users.edges.map((e: any) => e.node.username)).toEqual([c.username, b.username]);

    const disabled = await t.gql(q, { f: { search: tag, disabled: true } }, admin);
    expect(disabled.data.users.edges.map((e: any) => e.node.username)).toEqual([b.username]);
    const roleId = (await t.gql(`{ roles(filter: { search: "park_officer" }) { edges { node { id key } } } }`, {}, admin)).data.roles.edges.find((e: any) => e.node.key === role).node.id;
    const byRole = await t.gql(q, { f: { search: tag, roleId } }, admin);
    expect(byRole.data.users.edges).toEqual([{ node: { username: a.username, roleBindings: [{ role: { key: role } }] } }]);
    const within = await t.gql(q, { f: { search: tag, boundWithinUnitId: gid('OrgUnit', (await unitByCode(ds, 'MY')).id) } }, admin);
    expect(within.data.users.totalCount).toBe(2);
    const inPark = await t.gql(q, { f: { search: tag, boundWithinUnitId: gid('OrgUnit', gx.id) } }, admin);
    expect(inPark.data.users.totalCount).toBe(1);

    const one = await t.gql(`query($id: ID!) { user(id: $id) { username } node(id: $id) { ... on User { displayName } } }`, { id: gid('User', c.id) }, admin);
    expect(one.data).toEqual({ user: { username: c.username }, node: { displayName: '丙' } });
  });
});

describe('a temporary password', () => {
  it('allows only me, changePassword and logout until it is changed', async () => {
    const user = await createUserWithRole(ds, 'county_officer', 'MY-FC', { mustChangePassword: true });
    const token = await t.login(user.username);
    expect((await t.gql(ME, {}, token)).data.me.mustChangePassword).toBe(true);
    const refused = await t.gql('{ projects(first: 1) { totalCount } }', {}, token);
    expect(refused.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PASSWORD_CHANGE_REQUIRED' });
    const changed = await t.gql(CHANGE, { i: { currentPassword: TEST_PASSWORD, newPassword: 'A-new-Passw0rd!' } }, token);
    expect(changed.errors).toBeUndefined();
    expect(changed.data.changePassword.user.mustChangePassword).toBe(false);
    expect((await t.gql('{ projects(first: 1) { totalCount } }', {}, token)).errors).toBeUndefined();
  });
});
