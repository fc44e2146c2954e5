/**
 * explainAccess: the answer and the rules that decided it — allowed by a rule, denied for want of
 * one, denied by an inverted rule, a hidden field — and for lists the SQL condition, which selects
 * exactly what the user's own list shows.
 */
import { DataSource } from 'typeorm';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { EnterpriseScale } from '../../src/modules/enterprise/enterprise.entity';
import { FundApplicationStatus } from '../../src/modules/fund/fund-application.entity';
import { ConstructionStage } from '../../src/modules/project/project.entity';
import { Role, StoredRule } from '../../src/modules/user/role.entity';
import { User } from '../../src/modules/user/user.entity';
import { BUILT_IN_RULES } from '../../src/seed/role-rules';
import { codeOf, startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createEnterprise, createFundApplication, createFundProgram, createLandRequest, createProject } from '../helpers/domain-factories';
import { createUser, createUserWithRole, unique, unitByCode } from '../helpers/factories';

let ds: DataSource;
let t: TestApp;
let admin: string;

const gid = toGlobalId;
const EXPLAIN = `query($i: ExplainAccessInput!) { explainAccess(input: $i) {
  allowed summary userDisabled
  decidingRules { bindingId roleKey roleName scopeUnitId scopeUnit { code } ruleIndex inverted reason rule filledConditions }
  bindings { roleKey allowed rule { ruleIndex inverted } }
  sqlCondition { alias sql params }
} }`;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
  admin = await t.login((await createUserWithRole(ds, 'admin', 'MY')).username);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

async function explain(user: User, action: string, subject: string, id?: number, field?: string, token = admin) {
  const res = await t.gql(EXPLAIN, { i: { userId: gid('User', user.id), action, subject, id: id === undefined ? undefined : gid(subject, id), field } }, token);
  expect(res.errors).toBeUndefined();
  return res.data.explainAccess;
}

const indexOf = (role: keyof typeof BUILT_IN_RULES, match: (r: StoredRule) => boolean) => BUILT_IN_RULES[role].findIndex(match);
const names = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

async function customRole(rules: StoredRule[]): Promise<Role> {
  return ds.manager.save(ds.manager.create(Role, { key: unique('x_'), name: 'Explained', description: null, builtIn: false, rules }));
}

describe('explainAccess', () => {
  it('allows by a rule: names the role, the binding scope and the rule index', async () => {
    const officer = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    const project = await createProject(ds, await createEnterprise(ds, 'MY-FC'));
    const answer = await explain(officer, 'update', 'Project', project.id);
    const index = indexOf('county_officer', (r) => names(r.subject).includes('Project') && names(r.action).includes('update'));
    expect(answer.allowed).toBe(true);
    expect(answer.decidingRules).toEqual([
      expect.objectContaining({ roleKey: 'county_officer', scopeUnit: { code: 'MY-FC' }, ruleIndex: index, inverted: false, reason: null }),
    ]);
    expect(answer.decidingRules[0].rule).toEqual(BUILT_IN_RULES.county_officer[index]);
    expect(answer.decidingRules[0].rule.conditions.territoryId.$in).toBe('${scope.subtree}');
    expect(answer.decidingRules[0].filledConditions.territoryId.$in).toContain((await unitByCode(ds, 'MY-FC')).id);
    expect(answer.summary).toMatch(/^Allowed to update this Project by rule #\d+ of role county_officer at 涪城区/);
    expect(answer.sqlCondition).toBeNull();
  });

  it('denies for want of a rule: no deciding rule, and says so', async () => {
    const officer = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    const elsewhere = await createProject(ds, await createEnterprise(ds, 'MY-YX'));
    const answer = await explain(officer, 'read', 'Project', elsewhere.id);
    expect(answer).toMatchObject({ allowed: false, decidingRules: [], bindings: [{ roleKey: 'county_officer', allowed: false, rule: null }] });
    expect(answer.summary).toBe("Denied to read this Project: no rule of the user's 1 binding allows it");
    // An action the role has nowhere, asked about the list.
    const accept = await explain(officer, 'accept', 'Project');
    expect(accept).toMatchObject({ allowed: false, decidingRules: [], sqlCondition: { sql: '1=0' } });
    const nobody = await explain(await createUser(ds), 'read', 'Project');
    expect(nobody.summary).toBe('Denied to read any Project: the user holds no role bindings');
  });

  it('denies by an inverted rule, with its index and reason', async () => {
    const role = await customRole([
      { action: 'read', subject: 'Project' },
      { action: 'read', subject: 'Project', conditions: { stage: 'TERMINATED' }, inverted: true, reason: 'Terminated projects are archived' },
    ]);
    const user = await createUserWithRole(ds, role.key, 'MY');
    const enterprise = await createEnterprise(ds, 'MY-AZ');
    const terminated = await createProject(ds, enterprise, { stage: ConstructionStage.TERMINATED });
    const running = await createProject(ds, enterprise);
    const denied = await explain(user, 'read', 'Project', terminated.id);
    expect(denied.allowed).toBe(false);
    expect(denied.decidingRules).toEqual([expect.objectContaining({ roleKey: role.key, ruleIndex: 1, inverted: true, reason: 'Terminated projects are archived' })]);
    expect(denied.summary).toBe(`Denied to read this Project by inverted rule #1 of role ${role.key} at 绵阳市: Terminated projects are archived`);
    const allowed = await explain(user, 'read', 'Project', running.id);
    expect(allowed.decidingRules).toEqual([expect.objectContaining({ ruleIndex: 0, inverted: false })]);
    // What the user's own requests see agrees.
    const token = await t.login(user.username);
    const own = await t.gql(`query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } }`, { a: gid('Project', terminated.id), b: gid('Project', running.id) }, token);
    expect(own.errors?.map((e: any) => e.extensions.code)).toEqual(['NOT_FOUND']);
  });

  it('denies a hidden field by the inverted field rule', async () => {
    const enterprise = await createEnterprise(ds, 'MY-JY');
    const user = await createUserWithRole(ds, 'enterprise_user', 'MY-JY', { enterpriseId: enterprise.id });
    const land = await createLandRequest(ds, await createProject(ds, enterprise), { dealPrice: '1200' } as never);
    const index = indexOf('enterprise_user', (r) => r.subject === 'LandRequest' && (r.fields ?? []).includes('dealPrice'));
    const price = await explain(user, 'read', 'LandRequest', land.id, 'dealPrice');
    expect(price.allowed).toBe(false);
    expect(price.decidingRules).toEqual([expect.objectContaining({ roleKey: 'enterprise_user', ruleIndex: index, inverted: true, reason: BUILT_IN_RULES.enterprise_user[index].reason })]);
    // The record itself, and its other fields, are readable.
    expect((await explain(user, 'read', 'LandRequest', land.id)).allowed).toBe(true);
    expect((await explain(user, 'read', 'LandRequest', land.id, 'areaMu')).allowed).toBe(true);

    // A field rule with conditions: expert scores before public notice.
    const officer = await createUserWithRole(ds, 'county_officer', 'MY-JY');
    const application = await createFundApplication(ds, await createFundProgram(ds), await createProject(ds, enterprise), { status: FundApplicationStatus.EXPERT_REVIEW });
    const hidden = await explain(officer, 'read', 'FundApplication', application.id, 'expertScore');
    expect(hidden.allowed).toBe(false);
    expect(hidden.decidingRules[0]).toMatchObject({ inverted: true, ruleIndex: indexOf('county_officer', (r) => Boolean(r.inverted)) });
    await ds.manager.update('fund_applications', { id: application.id }, { status: FundApplicationStatus.PUBLIC_NOTICE });
    expect((await explain(officer, 'read', 'FundApplication', application.id, 'expertScore')).allowed).toBe(true);
  });

  it('evaluates conditions on related rows as the SQL does', async () => {
    const role = await customRole([{ action: 'read', subject: 'Project', conditions: { 'enterprise.scale': EnterpriseScale.ABOVE_SCALE } }]);
    const user = await createUserWithRole(ds, role.key, 'MY');
    const big = await createProject(ds, await createEnterprise(ds, 'MY-ZT', { scale: EnterpriseScale.ABOVE_SCALE }));
    const small = await createProject(ds, await createEnterprise(ds, 'MY-ZT', { scale: EnterpriseScale.BELOW_SCALE }));
    expect((await explain(user, 'read', 'Project', big.id)).allowed).toBe(true);
    expect((await explain(user, 'read', 'Project', small.id)).allowed).toBe(false);
  });

  it('gives the SQL condition for a list, selecting exactly what the user lists', async () => {
    const officer = await createUserWithRole(ds, 'county_officer', 'MY-PW');
    const enterprise = await createEnterprise(ds, 'MY-PW');
    await createProject(ds, enterprise);
    await createProject(ds, enterprise);
    const answer = await explain(officer, 'read', 'Project');
    expect(answer.allowed).toBe(true);
    expect(answer.sqlCondition.alias).toBe('projects');
    expect(answer.sqlCondition.sql).toContain('territoryId');
    const pw = await unitByCode(ds, 'MY-PW');
    expect(Object.values(answer.sqlCondition.params).flat()).toContain(pw.id);

    const { sql, params } = answer.sqlCondition;
    const [query, parameters] = ds.driver.escapeQueryWithParameters(`SELECT COUNT(*) AS n FROM projects ${ds.driver.escape('projects')} WHERE ${sql}`, params);
    const [{ n }] = await ds.query(query, parameters);
    const listed = await t.gql('{ projects { totalCount } }', {}, await t.login(officer.username));
    expect(Number(n)).toBe(listed.data.projects.totalCount);
    expect(Number(n)).toBeGreaterThanOrEqual(2);
  });

  it('answers no for a disabled user, saying why', async () => {
    const officer = await createUserWithRole(ds, 'county_officer', 'MY-FC', { disabled: true });
    const answer = await explain(officer, 'read', 'Project');
    expect(answer).toMatchObject({ allowed: false, userDisabled: true });
    expect(answer.summary).toMatch(/^Denied: the account is disabled/);
    expect(answer.decidingRules).toHaveLength(1);
  });

  it('refuses bad questions naming the field, and records the viewer may not see', async () => {
    const officer = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    const ask = (i: Record<string, unknown>) => t.gql(EXPLAIN, { i: { userId: gid('User', officer.id), action: 'read', subject: 'Project', ...i } }, admin);
    expect((await ask({ subject: 'Widget' })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'subject' });
    expect((await ask({ action: 'fly' })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'action' });
    expect((await ask({ field: 'passwordHash' })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'field' });
    expect((await ask({ id: gid('Enterprise', 1) })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(codeOf(await ask({ id: gid('Project', 99999999) }))).toBe('NOT_FOUND');
    expect(codeOf(await ask({ userId: gid('User', 99999999) }))).toBe('NOT_FOUND');
  });

  it('is for administrators only', async () => {
    const officer = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    const token = await t.login(officer.username);
    const res = await t.gql(EXPLAIN, { i: { userId: gid('User', officer.id), action: 'read', subject: 'Project' } }, token);
    expect(codeOf(res)).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(EXPLAIN, { i: { userId: gid('User', officer.id), action: 'read', subject: 'Project' } }))).toBe('UNAUTHENTICATED');
  });
});
