/**
 * No escalation (src/modules/admin/escalation.ts): a granter binds roles only within the scope of
 * their own binding that allows it, and — unless they author rules — only roles whose rules their
 * own rules cover; the same limit guards other users' accounts. Plus the lock-out guard.
 */
import { DataSource } from 'typeorm';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { conditionsImply, uncoveredRules } from '../../src/modules/admin/escalation';
import { assertAnotherAdminOrThrow } from '../../src/modules/admin/lockout';
import { OrgUnit, OrgUnitKind } from '../../src/modules/org/org-unit.entity';
import { RoleBinding } from '../../src/modules/user/role-binding.entity';
import { Role, StoredRule } from '../../src/modules/user/role.entity';
import { User } from '../../src/modules/user/user.entity';
import { codeOf, startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { bind, createUser, createUserWithRole, unique, unitByCode } from '../helpers/factories';

let ds: DataSource;
let t: TestApp;
let cityAdmin: User;
let cityAdminToken: string;
let countyAdmin: User;
let countyAdminToken: string;
let home: OrgUnit;
let homePark: OrgUnit;
let other: OrgUnit;

const gid = toGlobalId;
const BIND = `mutation($i: BindRoleInput!) { bindRole(input: $i) { binding { id } } }`;
const UNBIND = `mutation($i: UnbindRoleInput!) { unbindRole(input: $i) { deletedBindingId } }`;

/** A county's own administrator: users and bindings within the county, nothing on roles but reading them. */
const COUNTY_ADMIN_RULES: StoredRule[] = [
  { action: 'read', subject: ['OrgUnit', 'Role'] },
  { action: 'manage', subject: 'RoleBinding', conditions: { scopeUnitId: { $in: '${scope.subtree}' } } },
  { action: ['read', 'create', 'update'], subject: 'User' },
];
let countyAdminRole: Role;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
  // The county admin's county is 游仙区, which has a county-run park; 涪城区 is another county.
  home = await unitByCode(ds, 'MY-YX');
  other = await unitByCode(ds, 'MY-FC');
  homePark = await ds.manager.findOneByOrFail(OrgUnit, { parentId: home.id, kind: OrgUnitKind.COUNTY_PARK });
  cityAdmin = await createUserWithRole(ds, 'admin', 'MY');
  cityAdminToken = await t.login(cityAdmin.username);
  const created = await t.gql(
    `mutation($i: CreateRoleInput!) { createRole(input: $i) { role { key } } }`,
    { i: { key: unique('county_admin_'), name: '区县管理员', rules: COUNTY_ADMIN_RULES } },
    cityAdminToken,
  );
  countyAdminRole = await ds.manager.findOneByOrFail(Role, { key: created.data.createRole.role.key });
  // The county admin also does a county officer's work in 游仙区: those rules are theirs to pass on there.
  countyAdmin = await createUserWithRole(ds, countyAdminRole.key, 'MY-YX');
  await bind(ds, countyAdmin, 'county_officer', 'MY-YX');
  countyAdminToken = await t.login(countyAdmin.username);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

const roleId = async (key: string) => gid('Role', (await ds.manager.findOneByOrFail(Role, { key })).id);
async function grant(token: string, roleKey: string, scope: OrgUnit, user?: User) {
  const target = user ?? (await createUser(ds));
  return t.gql(BIND, { i: { userId: gid('User', target.id), roleId: await roleId(roleKey), scopeUnitId: gid('OrgUnit', scope.id) } }, token);
}

describe('granting within scope and ability', () => {
  it('lets a county admin grant county_officer in their county and its parks', async () => {
    for (const scope of [home, homePark]) {
      const res = await grant(countyAdminToken, 'county_officer', scope);
      expect(res.errors).toBeUndefined();
    }
  });

  it('refuses a binding outside the granter\'s scope', async () => {
    const res = await grant(countyAdminToken, 'county_officer', other);
    expect(codeOf(res)).toBe('FORBIDDEN');
    // Their RoleBinding rule is itself limited to their subtree, so the row check refuses first.
    expect(res.errors![0].message).toBe('Your roles do not allow create on this RoleBinding in this scope');
    expect(await ds.manager.countBy(RoleBinding, { scopeUnitId: other.id, roleId: (await ds.manager.findOneByOrFail(Role, { key: 'county_officer' })).id })).toBe(
      await countCountyOfficersAt(other),
    );
  });

  it.each([
    ['jxj_officer', 'a department role with city-wide rights'],
    ['admin', 'the admin role'],
    ['enterprise_user', 'a role on enterprise rows the granter reaches only through data'],
  ])('refuses %s (%s): its rules exceed the granter\'s own', async (roleKey) => {
    const res = await grant(countyAdminToken, roleKey, home);
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(res.errors![0].message).toContain(`No escalation: rule #`);
    expect(res.errors![0].extensions!.ruleIndex).toEqual(expect.any(Number));
  });

  it('lets the county admin pass on their own role within the county, not their city-wide scope they do not have', async () => {
    expect((await grant(countyAdminToken, countyAdminRole.key, homePark)).errors).toBeUndefined();
    expect(codeOf(await grant(countyAdminToken, countyAdminRole.key, await unitByCode(ds, 'MY')))).toBe('FORBIDDEN');
  });

  it('nothing is written by a refused grant', async () => {
    const user = await createUser(ds);
    await grant(countyAdminToken, 'jxj_officer', home, user);
    expect(await ds.manager.countBy(RoleBinding, { userId: user.id })).toBe(0);
  });

  it('a city admin (a rule author) grants any role anywhere; an admin bound at a county only within it', async () => {
    expect((await grant(cityAdminToken, 'jxj_officer', other)).errors).toBeUndefined();
    const countyBoundAdmin = await t.login((await createUserWithRole(ds, 'admin', 'MY-YX')).username);
    expect((await grant(countyBoundAdmin, 'jxj_officer', homePark)).errors).toBeUndefined();
    // The admin role's RoleBinding rule is unconditional: the scope of the binding is what limits it.
    const outside = await grant(countyBoundAdmin, 'county_officer', other);
    expect(codeOf(outside)).toBe('FORBIDDEN');
    expect(outside.errors![0].message).toMatch(/only at or below the scope of one of your own bindings.*涪城区 is outside/);
  });

  it('unbinding has the same limits: the county admin cannot even see a binding outside the county', async () => {
    const granted = await grant(countyAdminToken, 'county_officer', homePark);
    expect((await t.gql(UNBIND, { i: { bindingId: granted.data.bindRole.binding.id } }, countyAdminToken)).errors).toBeUndefined();
    const cityBinding = await ds.manager.findOneByOrFail(RoleBinding, { userId: cityAdmin.id });
    const res = await t.gql(UNBIND, { i: { bindingId: gid('RoleBinding', cityBinding.id) } }, countyAdminToken);
    expect(codeOf(res)).toBe('NOT_FOUND');
  });

  it('only a rule author writes rules', async () => {
    const clerkRole = unique('role_clerk_');
    await t.gql(
      `mutation($i: CreateRoleInput!) { createRole(input: $i) { role { key } } }`,
      { i: { key: clerkRole, name: 'Role clerk', rules: [{ action: ['read', 'create', 'update'], subject: 'Role' }] } },
      cityAdminToken,
    );
    const clerk = await t.login((await createUserWithRole(ds, clerkRole, 'MY')).username);
    const res = await t.gql(
      `mutation($i: CreateRoleInput!) { createRole(input: $i) { role { key } } }`,
      { i: { key: unique('sneaky_'), name: 'Sneaky', rules: [{ action: 'manage', subject: 'User' }] } },
      clerk,
    );
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(res.errors![0].message).toContain('Only an administrator who may manage every role');
    // Without rules the clerk may create one (their rules allow create Role).
    const empty = await t.gql(`mutation($i: CreateRoleInput!) { createRole(input: $i) { role { key } } }`, { i: { key: unique('empty_'), name: 'Empty', rules: [] } }, clerk);
    expect(empty.errors).toBeUndefined();
  });
});

describe("acting on other users' accounts", () => {
  const RESET = `mutation($i: ResetUserPasswordInput!) { resetUserPassword(input: $i) { temporaryPassword user { mustChangePassword } } }`;

  it('a county admin may reset the password of a county officer of their county', async () => {
    const officer = await createUserWithRole(ds, 'county_officer', 'MY-YX');
    const res = await t.gql(RESET, { i: { id: gid('User', officer.id), expectedVersion: officer.version } }, countyAdminToken);
    expect(res.errors).toBeUndefined();
    expect(res.data.resetUserPassword.user.mustChangePassword).toBe(true);
  });

  it('but not of the city admin, nor of an officer of another county, nor disable them', async () => {
    const outsider = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    for (const target of [cityAdmin, outsider]) {
      const current = await ds.manager.findOneByOrFail(User, { id: target.id });
      const res = await t.gql(RESET, { i: { id: gid('User', target.id), expectedVersion: current.version } }, countyAdminToken);
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(res.errors![0].message).toContain('holds a binding you could not grant');
      const disable = await t.gql(`mutation($i: UserStandingInput!) { disableUser(input: $i) { user { disabled } } }`, { i: { id: gid('User', target.id), expectedVersion: current.version } }, countyAdminToken);
      expect(codeOf(disable)).toBe('FORBIDDEN');
      expect((await ds.manager.findOneByOrFail(User, { id: target.id })).version).toBe(current.version);
    }
  });
});

describe('the coverage test on rule shapes', () => {
  it('decides implication per key on value sets, conservatively otherwise', () => {
    expect(conditionsImply({ territoryId: { $in: [2, 3] } }, { territoryId: { $in: [1, 2, 3] } })).toBe(true);
    expect(conditionsImply({ territoryId: 2, stage: 'PLANNING' }, { territoryId: { $in: [1, 2] } })).toBe(true);
    expect(conditionsImply({ territoryId: { $in: [2, 4] } }, { territoryId: { $in: [1, 2, 3] } })).toBe(false);
    expect(conditionsImply({ stage: 'PLANNING' }, { territoryId: { $in: [1] } })).toBe(false);
    expect(conditionsImply(undefined, { territoryId: 1 })).toBe(false);
    expect(conditionsImply({ territoryId: 1 }, undefined)).toBe(true);
    expect(conditionsImply({ territoryId: { $in: [1, 2], $ne: 2 } }, { territoryId: { $in: [1, 2] } })).toBe(true);
    expect(conditionsImply({ territoryId: { $ne: 2 } }, { territoryId: { $ne: 2 } })).toBe(true);
    expect(conditionsImply({ territoryId: { $ne: 2 } }, { territoryId: { $nin: [2, 3] } })).toBe(false);
  });

  it('requires the granter\'s inverted rules to be reproduced after the granted rule', () => {
    const own = [[
      { action: 'read', subject: 'FundApplication', conditions: { territoryId: { $in: [1, 2] } } },
      { action: 'read', subject: 'FundApplication', fields: ['expertScore'], conditions: { status: { $in: ['DRAFT'] } }, inverted: true },
    ]];
    const read = { action: 'read', subject: 'FundApplication', conditions: { territoryId: { $in: [2] } } };
    const hide = { action: 'read', subject: 'FundApplication', fields: ['expertScore'], conditions: { status: { $in: ['DRAFT'] } }, inverted: true };
    expect(uncoveredRules([read, hide] as never, own as never)).toEqual([]);
    expect(uncoveredRules([read] as never, own as never)).toEqual([0]);
    expect(uncoveredRules([hide, read] as never, own as never)).toEqual([1]);
    expect(uncoveredRules([{ action: 'manage', subject: 'FundApplication' }] as never, own as never)).toEqual([0]);
    expect(uncoveredRules([{ action: 'read', subject: 'FundApplication', fields: ['status'], conditions: { territoryId: 1 } }] as never, own as never)).toEqual([]);
  });
});

describe('lock-out guard', () => {
  it('refuses to leave no enabled admin at the root', async () => {
    // Inside a transaction that is rolled back: every other root admin of this database disabled for a moment.
    const outcome = await ds
      .transaction(async (m) => {
        await m.createQueryBuilder().update(User).set({ disabled: true }).where('id <> :id', { id: cityAdmin.id }).execute();
        await assertAnotherAdminOrThrow(m, cityAdmin.id).then(
          () => {
            throw new Error('expected a CONFLICT');
          },
          (e) => {
            throw Object.assign(new Error('rollback'), { cause: e });
          },
        );
      })
      .catch((e: Error & { cause?: any }) => e.cause);
    expect(outcome?.extensions?.code).toBe('CONFLICT');
    expect(outcome.message).toContain('last enabled administrator');
    expect((await ds.manager.findOneByOrFail(User, { id: countyAdmin.id })).disabled).toBe(false);
  });

  it('nobody can disable their own account', async () => {
    const res = await t.gql(`mutation($i: UserStandingInput!) { disableUser(input: $i) { user { id } } }`, { i: { id: gid('User', cityAdmin.id), expectedVersion: cityAdmin.version } }, cityAdminToken);
    expect(codeOf(res)).toBe('FORBIDDEN');
  });
});

async function countCountyOfficersAt(unit: OrgUnit): Promise<number> {
  const role = await ds.manager.findOneByOrFail(Role, { key: 'county_officer' });
  return ds.manager.countBy(RoleBinding, { scopeUnitId: unit.id, roleId: role.id });
}
