/**
 * `myPermissions`: the viewer's packed rules, one set per binding, usable by a frontend as they are
 * (`createMongoAbility(unpackRules(rules))`) to hide what the viewer may not do.
 */
import { createMongoAbility, subject } from '@casl/ability';
import { unpackRules } from '@casl/ability/extra';
import { DataSource } from 'typeorm';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { bind, createUser, createUserWithRole, unitByCode } from '../helpers/factories';

const MY_PERMISSIONS = '{ myPermissions { role scopeUnitId rules } }';

let ds: DataSource;
let t: TestApp;
let fucheng: number;
let youxian: number;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
  fucheng = (await unitByCode(ds, 'MY-FC')).id;
  youxian = (await unitByCode(ds, 'MY-YX')).id;
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

/**
 * The rules as a client builds its ability from them. The response body was parsed by Node's fetch
 * outside jest's sandbox, and CASL's condition parser does not accept arrays and objects of another
 * realm (`{ $in: [2] }` silently matches nothing), so the JSON is parsed again here, as a browser would.
 */
const abilityOf = (set: { rules: unknown }) => createMongoAbility(unpackRules(JSON.parse(JSON.stringify(set.rules))) as never);

describe('myPermissions', () => {
  it("gives a county officer of 涪城区 one rule set that allows reading 涪城区's projects and not another county's", async () => {
    const token = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-FC')).username);
    const res = await t.gql(MY_PERMISSIONS, {}, token);
    expect(res.errors).toBeUndefined();
    const sets = res.data.myPermissions;
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ role: 'county_officer', scopeUnitId: toGlobalId('OrgUnit', fucheng) });
    expect(Array.isArray(sets[0].rules)).toBe(true);
    // Placeholders are filled on the server: the client never sees "${scope.subtree}".
    expect(JSON.stringify(sets[0].rules)).not.toContain('${');

    const ability = abilityOf(sets[0]);
    const own = subject('Project', { id: 1, territoryId: fucheng, enterpriseId: 1 });
    const other = subject('Project', { id: 2, territoryId: youxian, enterpriseId: 2 });
    expect(ability.can('read', own)).toBe(true);
    expect(ability.can('read', other)).toBe(false);
    expect(ability.can('update', own)).toBe(true);
    expect(ability.can('update', other)).toBe(false);
    // Not a county officer's to do.
    expect(ability.can('accept', own)).toBe(false);
    // Field rules travel too: expert scores before public notice are hidden.
    const application = (status: string) => subject('FundApplication', { territoryId: fucheng, enterpriseId: 1, status });
    expect(ability.can('read', application('EXPERT_REVIEW'), 'expertScore')).toBe(false);
    expect(ability.can('read', application('PUBLIC_NOTICE'), 'expertScore')).toBe(true);
  });

  it('gives one set per binding, and a user with none an empty list', async () => {
    const user = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    await bind(ds, user, 'park_officer', 'MY-GX');
    const res = await t.gql(MY_PERMISSIONS, {}, await t.login(user.username));
    expect(res.errors).toBeUndefined();
    expect(res.data.myPermissions.map((s: any) => s.role).sort()).toEqual(['county_officer', 'park_officer']);
    const gx = (await unitByCode(ds, 'MY-GX')).id;
    const inPark = subject('Project', { territoryId: gx, enterpriseId: 1 });
    // A client may act if ANY set allows.
    expect(res.data.myPermissions.map((s: any) => abilityOf(s).can('read', inPark))).toEqual(
      res.data.myPermissions.map((s: any) => s.role === 'park_officer'),
    );

    const nobody = await t.gql(MY_PERMISSIONS, {}, await t.login((await createUser(ds)).username));
    expect(nobody.errors).toBeUndefined();
    expect(nobody.data.myPermissions).toEqual([]);
  });

  it('requires authentication', async () => {
    const anonymous = await t.gql(MY_PERMISSIONS);
    expect(anonymous.data?.myPermissions ?? null).toBeNull();
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const badToken = await t.gql(MY_PERMISSIONS, {}, 'not-a-token');
    expect(badToken.data?.myPermissions ?? null).toBeNull();
    expect(badToken.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
