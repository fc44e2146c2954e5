/** Projects and enterprises through GraphQL: scope, filters, relations, writes, workflows, guards. */
import { DataSource } from 'typeorm';
import { AuditEvent } from '../../src/modules/audit/audit-event.entity';
import { Enterprise } from '../../src/modules/enterprise/enterprise.entity';
import { ConstructionStage, LibraryStatus, Project } from '../../src/modules/project/project.entity';
import { MonthlyReport } from '../../src/modules/report/monthly-report.entity';
import { WorkflowTransition } from '../../src/modules/workflow-history/workflow-transition.entity';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { codeOf, startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createEnterprise, createFundApplication, createFundProgram, createLandRequest, createProject, createReport, newCreditCode } from '../helpers/domain-factories';
import { unitByCode } from '../helpers/factories';
import { countStatements } from '../helpers/sql-counter';

let ds: DataSource;
let t: TestApp;
const gid = (type: string, id: number) => toGlobalId(type, id);

const tokenFor = (role: string, scope: string, attrs = {}) => t.tokenFor(role, scope, attrs);

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

const PROJECT = `query($id: ID!) { project(id: $id) { id name version libraryStatus stage totalInvestment territory { code } enterprise { name } } }`;

describe('reading projects', () => {
  it('requires authentication', async () => {
    const res = await t.gql('{ projects { totalCount } }');
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
  });

  it('shows a county officer only their own territory, by every route', async () => {
    const fc = await createEnterprise(ds, 'MY-FC');
    const yx = await createEnterprise(ds, 'MY-YX');
    const mine = await createProject(ds, fc);
    const theirs = await createProject(ds, yx);
    const token = await tokenFor('county_officer', 'MY-FC');

    expect((await t.gql(PROJECT, { id: gid('Project', mine.id) }, token)).data.project.name).toBe(mine.name);
    for (const query of [PROJECT, `query($id: ID!) { node(id: $id) { id } }`]) {
      const res = await t.gql(query, { id: gid('Project', theirs.id) }, token);
      expect(codeOf(res)).toBe('NOT_FOUND');
    }
    const nodes = await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [gid('Project', mine.id), gid('Project', theirs.id)] }, token);
    expect(nodes.data.nodes).toEqual([{ id: gid('Project', mine.id) }, null]);

    // Aliases and fragments reach the same scoped resolvers.
    const aliased = await t.gql(
      `fragment F on Project { name } query($a: ID!, $b: ID!) { a: project(id: $a) { ...F } b: node(id: $b) { ...F } }`,
      { a: gid('Project', mine.id), b: gid('Project', theirs.id) },
      token,
    );
    expect(aliased.data).toBeNull();
    expect(aliased.errors!.map((e: any) => e.extensions.code)).toEqual(['NOT_FOUND']);

    // An enterprise outside scope is invisible in both directions of the relation.
    const ent = await t.gql(`query($id: ID!) { enterprise(id: $id) { name } }`, { id: gid('Enterprise', yx.id) }, token);
    expect(codeOf(ent)).toBe('NOT_FOUND');
    const list = await t.gql(`query($f: ProjectFilter) { projects(filter: $f, first: 100) { totalCount edges { node { id } } } }`,
      { f: { enterpriseId: gid('Enterprise', yx.id) } }, token);
    expect(list.data.projects).toEqual({ totalCount: 0, edges: [] });
  });

  it('nests enterprise → projects → enterprise → projects without leaking other territories', async () => {
    const fc = await createEnterprise(ds, 'MY-FC');
    const p1 = await createProject(ds, fc);
    // A project of the same enterprise registered in another county (moved there): not visible to 涪城区.
    const p2 = await createProject(ds, fc, { territoryId: (await unitByCode(ds, 'MY-YX')).id });
    const token = await tokenFor('county_officer', 'MY-FC');
    const res = await t.gql(
      `query($id: ID!) { enterprise(id: $id) { projects(first: 10) { totalCount edges { node { id enterprise { projects { totalCount edges { node { id } } } } } } } } }`,
      { id: gid('Enterprise', fc.id) },
      token,
    );
    expect(res.errors).toBeUndefined();
    const outer = res.data.enterprise.projects;
    expect(outer.totalCount).toBe(1);
    expect(outer.edges.map((e: any) => e.node.id)).toEqual([gid('Project', p1.id)]);
    expect(outer.edges[0].node.enterprise.projects.edges.map((e: any) => e.node.id)).toEqual([gid('Project', p1.id)]);
    expect(JSON.stringify(res)).not.toContain(gid('Project', p2.id));
  });

  it('filters, orders and pages with totalCount equal to what paging returns', async () => {
    const e = await createEnterprise(ds, 'MY-AZ');
    const batch = await createProject(ds, e, { reserveBatch: `B${e.id}`, totalInvestment: '300' });
    await createProject(ds, e, { reserveBatch: `B${e.id}`, totalInvestment: '900', stage: ConstructionStage.UNDER_CONSTRUCTION, actualStart: '2026-02' });
    await createProject(ds, e, { reserveBatch: `B${e.id}`, totalInvestment: '600' });
    const token = await tokenFor('county_officer', 'MY-AZ');
    const q = `query($f: ProjectFilter, $o: ProjectOrder, $after: String) {
      projects(filter: $f, orderBy: $o, first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { totalInvestment } } } }`;
    const f = { reserveBatch: `B${e.id}` };
    const page1 = await t.gql(q, { f, o: { field: 'TOTAL_INVESTMENT', direction: 'DESC' } }, token);
    expect(page1.data.projects.totalCount).toBe(3);
    expect(page1.data.projects.edges.map((x: any) => x.node.totalInvestment)).toEqual(['900', '600']);
    const page2 = await t.gql(q, { f, o: { field: 'TOTAL_INVESTMENT', direction: 'DESC' }, after: page1.data.projects.pageInfo.endCursor }, token);
    expect(page2.data.projects.edges.map((x: any) => x.node.totalInvestment)).toEqual(['300']);
    expect(page2.data.projects.pageInfo.hasNextPage).toBe(false);

    const filtered = await t.gql(q, { f: { ...f, stages: ['UNDER_CONSTRUCTION'], totalInvestment: { min: '500' }, actualStart: { min: '2026-01', max: '2026-03' } } }, token);
    expect(filtered.data.projects.totalCount).toBe(1);
    const search = await t.gql(q, { f: { ...f, search: batch.name.slice(2) } }, token);
    expect(search.data.projects.totalCount).toBe(1);
    const byCredit = await t.gql(q, { f: { ...f, search: e.creditCode.slice(0, 12) } }, token);
    expect(byCredit.data.projects.totalCount).toBe(3);
  });

  it('offers no filter or sort on hidden fields', async () => {
    const token = await tokenFor('county_officer', 'MY-FC');
    const res = await t.gql(`{ projects(filter: { dealPrice: { min: "1" } }) { totalCount } }`, {}, token);
    expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    const sort = await t.gql(`{ enterprises(orderBy: { field: CONTACT_PHONE }) { totalCount } }`, {}, token);
    expect(codeOf(sort)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it("hides other enterprises' contacts from enterprise users, and review fields before notice", async () => {
    const own = await createEnterprise(ds, 'MY-JK');
    const project = await createProject(ds, own, { libraryStatus: LibraryStatus.IN_LIBRARY });
    const program = await createFundProgram(ds);
    const app = await createFundApplication(ds, program, project, { status: 'CITY_REVIEW' as never, expertScore: '88.5', proposedAmount: '40' });
    const token = await tokenFor('enterprise_user', 'MY-JK', { enterpriseId: own.id });
    const jxj = await tokenFor('jxj_officer', 'MY');
    const q = `query($id: ID!) { project(id: $id) { enterprise { contactPhone } fundApplications { edges { node { expertScore proposedAmount requestedAmount } } } } }`;
    const mine = await t.gql(q, { id: gid('Project', project.id) }, token);
    expect(mine.data.project.enterprise.contactPhone).toBe(own.contactPhone);
    expect(mine.data.project.fundApplications.edges[0].node).toEqual({ expertScore: null, proposedAmount: null, requestedAmount: '50' });
    const city = await t.gql(q, { id: gid('Project', project.id) }, jxj);
    expect(city.data.project.fundApplications.edges[0].node).toEqual({ expertScore: '88.5', proposedAmount: '40', requestedAmount: '50' });
    await ds.manager.update('fund_applications', { id: app.id }, { status: 'PUBLIC_NOTICE' });
    const after = await t.gql(q, { id: gid('Project', project.id) }, token);
    expect(after.data.project.fundApplications.edges[0].node.expertScore).toBe('88.5');
  });

  it('answers a nested list of 50 projects with a bounded number of statements, whatever the page size', async () => {
    const token = await tokenFor('county_officer', 'MY-BC');
    const enterprises = await Promise.all([1, 2, 3, 4, 5].map(() => createEnterprise(ds, 'MY-BC')));
    const program = await createFundProgram(ds);
    for (let i = 0; i < 55; i++) {
      const p = await createProject(ds, enterprises[i % 5], { reserveBatch: 'SQLCOUNT' });
      await createReport(ds, p, { period: '2026-01' });
      await createReport(ds, p, { period: '2026-02' });
      if (i < 5) await createFundApplication(ds, program, p);
      if (i % 7 === 0) await createLandRequest(ds, p);
    }
    const q = `query($n: Int) { projects(first: $n, filter: { reserveBatch: "SQLCOUNT" }) { totalCount edges { node {
      id name stage totalInvestment
      enterprise { name creditCode }
      monthlyReports(first: 3) { totalCount edges { node { period monthInvestment } } }
      fundApplications(first: 5) { edges { node { requestedAmount status } } }
      landRequests(first: 5) { edges { node { areaMu areaHectares } } }
      viewerCan { update submit }
    } } } }`;
    await t.gql(q, { n: 1 }, token); // warm the viewer cache
    const small = await countStatements(ds, () => t.gql(q, { n: 5 }, token));
    const large = await countStatements(ds, () => t.gql(q, { n: 50 }, token));
    expect(large.result.errors).toBeUndefined();
    expect(large.result.data.projects.edges).toHaveLength(50);
    expect(large.result.data.projects.edges.every((e: any) => e.node.monthlyReports.edges.length === 2)).toBe(true);
    expect(large.statements.length).toBe(small.statements.length);
    // version check, page, count, enterprises, reports (+count), applications, land requests, 2 × viewerCan
    expect(large.statements.length).toBeLessThanOrEqual(11);
  });
});

describe('investment statistics', () => {
  it('sums exactly over the projects the viewer may list, by territory, with the list filters', async () => {
    const st = await createEnterprise(ds, 'MY-ST');
    const other = await createEnterprise(ds, 'MY-YT');
    const batch = `S${st.id}`;
    await createProject(ds, st, { reserveBatch: batch, totalInvestment: '0.1', equipmentInvestment: '0.05' });
    await createProject(ds, st, { reserveBatch: batch, totalInvestment: '0.2', equipmentInvestment: '0' });
    await createProject(ds, st, { reserveBatch: batch, totalInvestment: '1000000.0001', equipmentInvestment: '1' });
    await createProject(ds, other, { reserveBatch: batch, totalInvestment: '999', equipmentInvestment: '1' });
    const q = `query($f: ProjectFilter) { investmentByTerritory(filter: $f) { territory { code } projectCount totalInvestment equipmentInvestment } }`;
    const county = await tokenFor('county_officer', 'MY-ST');
    const mine = await t.gql(q, { f: { reserveBatch: batch } }, county);
    expect(mine.errors).toBeUndefined();
    expect(mine.data.investmentByTerritory).toEqual([{ territory: { code: 'MY-ST' }, projectCount: 3, totalInvestment: '1000000.3001', equipmentInvestment: '1.05' }]);
    const city = await t.gql(q, { f: { reserveBatch: batch } }, await tokenFor('city_leader', 'MY'));
    expect(city.data.investmentByTerritory.map((r: any) => [r.territory.code, r.projectCount])).toEqual([['MY-ST', 3], ['MY-YT', 1]]);
    const filtered = await t.gql(q, { f: { reserveBatch: batch, totalInvestment: { min: '1' } } }, county);
    expect(filtered.data.investmentByTerritory).toEqual([{ territory: { code: 'MY-ST' }, projectCount: 1, totalInvestment: '1000000.0001', equipmentInvestment: '1' }]);
  });
});

describe('writing projects', () => {
  const CREATE = `mutation($i: CreateProjectInput!) { createProject(input: $i) { project { id name version libraryStatus territory { code } annualPlans { year plannedInvestment } } } }`;
  const UPDATE = `mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { id version name territory { code } keyLevel } } }`;
  const input = (enterprise: Enterprise, extra = {}) => ({
    enterpriseId: gid('Enterprise', enterprise.id),
    name: '智能化改造项目',
    constructionNature: 'RENOVATION',
    totalInvestment: '1500.5',
    equipmentInvestment: '900',
    plannedStart: '2026-03',
    plannedCompletion: '2027-12',
    annualPlans: [{ year: 2026, plannedInvestment: '800' }, { year: 2027, plannedInvestment: '700.5' }],
    ...extra,
  });

  it('lets an enterprise user declare a project of their own enterprise, audited', async () => {
    const own = await createEnterprise(ds, 'MY-ST');
    const token = await tokenFor('enterprise_user', 'MY-ST', { enterpriseId: own.id });
    const res = await t.gql(CREATE, { i: input(own) }, token);
    expect(res.errors).toBeUndefined();
    const p = res.data.createProject.project;
    expect(p).toMatchObject({ libraryStatus: 'DRAFT', version: 1, territory: { code: 'MY-ST' } });
    expect(p.annualPlans).toEqual([{ year: 2026, plannedInvestment: '800' }, { year: 2027, plannedInvestment: '700.5' }]);
    const audits = await ds.manager.findBy(AuditEvent, { subjectType: 'Project', action: 'create' });
    expect(audits.some((a) => a.changes?.after?.name === '智能化改造项目' && a.enterpriseId === own.id)).toBe(true);
  });

  it('refuses creating for an enterprise outside scope (NOT_FOUND) and in a territory outside scope (FORBIDDEN), changing nothing', async () => {
    const yx = await createEnterprise(ds, 'MY-YX');
    const fc = await createEnterprise(ds, 'MY-FC');
    const token = await tokenFor('county_officer', 'MY-FC');
    const before = await ds.manager.count(Project);
    expect(codeOf(await t.gql(CREATE, { i: input(yx) }, token))).toBe('NOT_FOUND');
    const moved = await t.gql(CREATE, { i: input(fc, { territoryId: gid('OrgUnit', (await unitByCode(ds, 'MY-YX')).id) }) }, token);
    expect(codeOf(moved)).toBe('FORBIDDEN');
    expect(await ds.manager.count(Project)).toBe(before);
  });

  it.each([
    ['totalInvestment', { totalInvestment: '-1' }],
    ['totalInvestment', { totalInvestment: '1000000000' }],
    ['equipmentInvestment', { equipmentInvestment: '2000' }],
    ['plannedCompletion', { plannedCompletion: '2025-01' }],
    ['name', { name: '   ' }],
    ['projectCode', { projectCode: 'not-a-code' }],
    ['annualPlans.1.year', { annualPlans: [{ year: 2026, plannedInvestment: '1' }, { year: 2026, plannedInvestment: '2' }] }],
    ['enterpriseId', { enterpriseId: gid('Project', 1) }],
  ])('rejects a bad %s with BAD_USER_INPUT naming it', async (field, extra) => {
    const fc = await createEnterprise(ds, 'MY-FC');
    const token = await tokenFor('county_officer', 'MY-FC');
    const before = await ds.manager.count(Project);
    const res = await t.gql(CREATE, { i: input(fc, extra) }, token);
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await ds.manager.count(Project)).toBe(before);
  });

  it('rejects a malformed decimal and month at the scalar', async () => {
    const fc = await createEnterprise(ds, 'MY-FC');
    const token = await tokenFor('county_officer', 'MY-FC');
    for (const extra of [{ totalInvestment: '12.34567' }, { totalInvestment: 'lots' }, { plannedStart: '2026-13' }]) {
      expect(codeOf(await t.gql(CREATE, { i: input(fc, extra) }, token))).toBe('BAD_USER_INPUT');
    }
  });

  it('updates with optimistic locking: a stale version is CONFLICT', async () => {
    const fc = await createEnterprise(ds, 'MY-FC');
    const p = await createProject(ds, fc);
    const token = await tokenFor('county_officer', 'MY-FC');
    const ok = await t.gql(UPDATE, { i: { id: gid('Project', p.id), expectedVersion: 1, name: '新名称' } }, token);
    expect(ok.data.updateProject.project).toMatchObject({ name: '新名称', version: 2 });
    const stale = await t.gql(UPDATE, { i: { id: gid('Project', p.id), expectedVersion: 1, name: '又一个' } }, token);
    expect(codeOf(stale)).toBe('CONFLICT');
    expect((await ds.manager.findOneByOrFail(Project, { id: p.id })).name).toBe('新名称');
  });

  it('lets only 发改委 set the key level, and nobody move a project out of their own scope', async () => {
    const fc = await createEnterprise(ds, 'MY-FC');
    const p = await createProject(ds, fc);
    const county = await tokenFor('county_officer', 'MY-FC');
    const fgw = await tokenFor('fgw_officer', 'MY');
    const id = gid('Project', p.id);
    expect(codeOf(await t.gql(UPDATE, { i: { id, expectedVersion: 1, keyLevel: 'CITY' } }, county))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(UPDATE, { i: { id, expectedVersion: 1, name: 'x' } }, fgw))).toBe('FORBIDDEN');
    expect((await t.gql(UPDATE, { i: { id, expectedVersion: 1, keyLevel: 'CITY' } }, fgw)).data.updateProject.project.keyLevel).toBe('CITY');
    const yx = gid('OrgUnit', (await unitByCode(ds, 'MY-YX')).id);
    const move = await t.gql(UPDATE, { i: { id, expectedVersion: 2, territoryId: yx } }, county);
    expect(codeOf(move)).toBe('FORBIDDEN');
    expect((await ds.manager.findOneByOrFail(Project, { id: p.id })).territoryId).toBe(fc.territoryId);
  });

  it('carries a moved project’s territory to its reports, applications, land requests and history', async () => {
    const fc = await createEnterprise(ds, 'MY-FC');
    const p = await createProject(ds, fc);
    const report = await createReport(ds, p);
    const app = await createFundApplication(ds, await createFundProgram(ds), p);
    const land = await createLandRequest(ds, p);
    const jxj = await tokenFor('jxj_officer', 'MY');
    const yx = await unitByCode(ds, 'MY-YX');
    const res = await t.gql(UPDATE, { i: { id: gid('Project', p.id), expectedVersion: 1, territoryId: gid('OrgUnit', yx.id) } }, jxj);
    expect(res.data.updateProject.project.territory.code).toBe('MY-YX');
    expect((await ds.manager.findOneByOrFail(MonthlyReport, { id: report.id })).territoryId).toBe(yx.id);
    expect((await ds.manager.findOneByOrFail('FundApplication', { id: app.id }) as any).territoryId).toBe(yx.id);
    expect((await ds.manager.findOneByOrFail('LandRequest', { id: land.id }) as any).territoryId).toBe(yx.id);
  });
});

describe('library and stage workflows', () => {
  const step = (name: string, input: string) => `mutation($i: ${input}!) { ${name}(input: $i) { project { version libraryStatus stage actualStart } } }`;

  it('runs the library from draft to the library, each step by its role, with history', async () => {
    const own = await createEnterprise(ds, 'MY-FC');
    const p = await createProject(ds, own);
    const id = gid('Project', p.id);
    const lier = await tokenFor('enterprise_user', 'MY-FC', { enterpriseId: own.id });
    const county = await tokenFor('county_officer', 'MY-FC');
    const jxj = await tokenFor('jxj_officer', 'MY');

    expect(codeOf(await t.gql(step('countyCheckProject', 'TransitionInput'), { i: { id, expectedVersion: 1 } }, county))).toBe('INVALID_TRANSITION');
    await t.gql(step('submitProject', 'TransitionInput'), { i: { id, expectedVersion: 1 } }, lier);
    expect(codeOf(await t.gql(step('acceptProject', 'TransitionInput'), { i: { id, expectedVersion: 2 } }, county))).toBe('FORBIDDEN');
    await t.gql(step('countyCheckProject', 'TransitionInput'), { i: { id, expectedVersion: 2 } }, county);
    const accepted = await t.gql(step('acceptProject', 'TransitionInput'), { i: { id, expectedVersion: 3, comment: '同意入库' } }, jxj);
    expect(accepted.data.acceptProject.project).toMatchObject({ libraryStatus: 'IN_LIBRARY', version: 4 });

    const history = await ds.manager.find(WorkflowTransition, { where: { subjectType: 'Project', recordId: p.id }, order: { id: 'ASC' } });
    expect(history.map((h) => [h.fromState, h.toState, h.action])).toEqual([
      ['DRAFT', 'SUBMITTED', 'submit'], ['SUBMITTED', 'COUNTY_CHECKED', 'countyCheck'], ['COUNTY_CHECKED', 'IN_LIBRARY', 'accept'],
    ]);
    expect(history[2].comment).toBe('同意入库');
    const res = await t.gql(`query($id: ID!) { project(id: $id) { history { edges { node { action toState } } } } }`, { id }, lier);
    expect(res.data.project.history.edges.map((e: any) => e.node.action)).toEqual(['submit', 'countyCheck', 'accept']);
  });

  it('names the current state and the allowed actions when a transition does not apply', async () => {
    const p = await createProject(ds, await createEnterprise(ds, 'MY-FC'), { libraryStatus: LibraryStatus.IN_LIBRARY });
    const jxj = await tokenFor('jxj_officer', 'MY');
    const res = await t.gql(step('acceptProject', 'TransitionInput'), { i: { id: gid('Project', p.id), expectedVersion: 1 } }, jxj);
    expect(res.errors![0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'IN_LIBRARY', allowedActions: ['withdraw'] });
  });

  it('answers viewerCan from the rules and the current state', async () => {
    const p = await createProject(ds, await createEnterprise(ds, 'MY-FC'));
    const county = await tokenFor('county_officer', 'MY-FC');
    const q = `query($id: ID!) { project(id: $id) { viewerCan { update submit countyCheck accept changeStage } } }`;
    const draft = await t.gql(q, { id: gid('Project', p.id) }, county);
    expect(draft.data.project.viewerCan).toEqual({ update: true, submit: true, countyCheck: false, accept: false, changeStage: true });
    await ds.manager.update(Project, p.id, { libraryStatus: LibraryStatus.SUBMITTED, stage: ConstructionStage.TERMINATED });
    const submitted = await t.gql(q, { id: gid('Project', p.id) }, county);
    expect(submitted.data.project.viewerCan).toEqual({ update: true, submit: false, countyCheck: true, accept: false, changeStage: false });
  });

  it('requires a comment to return or reject', async () => {
    const p = await createProject(ds, await createEnterprise(ds, 'MY-FC'), { libraryStatus: LibraryStatus.SUBMITTED });
    const county = await tokenFor('county_officer', 'MY-FC');
    const res = await t.gql(step('returnProject', 'TransitionInput'), { i: { id: gid('Project', p.id), expectedVersion: 1 } }, county);
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'comment' });
  });

  it('guards construction: an actual start is needed, and not in the future', async () => {
    const p = await createProject(ds, await createEnterprise(ds, 'MY-FC'), { stage: ConstructionStage.PREPARATION });
    const id = gid('Project', p.id);
    const county = await tokenFor('county_officer', 'MY-FC');
    const none = await t.gql(step('startProjectConstruction', 'ProjectStageInput'), { i: { id, expectedVersion: 1 } }, county);
    expect(none.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'actualStart' });
    const future = await t.gql(step('startProjectConstruction', 'ProjectStageInput'), { i: { id, expectedVersion: 1, actualStart: '2099-01' } }, county);
    expect(future.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'actualStart' });
    const ok = await t.gql(step('startProjectConstruction', 'ProjectStageInput'), { i: { id, expectedVersion: 1, actualStart: '2026-01' } }, county);
    expect(ok.data.startProjectConstruction.project).toMatchObject({ stage: 'UNDER_CONSTRUCTION', actualStart: '2026-01' });
    const suspended = await t.gql(step('suspendProject', 'ProjectStageInput'), { i: { id, expectedVersion: 2, comment: '资金不到位' } }, county);
    expect(suspended.data.suspendProject.project.stage).toBe('SUSPENDED');
    const resumed = await t.gql(step('resumeProject', 'ProjectStageInput'), { i: { id, expectedVersion: 3 } }, county);
    expect(resumed.data.resumeProject.project.stage).toBe('UNDER_CONSTRUCTION');
  });

  it('registers statistics only under construction with at least 500 万元, by the statistics bureau', async () => {
    const e = await createEnterprise(ds, 'MY-FC');
    const small = await createProject(ds, e, { stage: ConstructionStage.UNDER_CONSTRUCTION, actualStart: '2026-01', totalInvestment: '499.99', equipmentInvestment: '1' });
    const big = await createProject(ds, e, { stage: ConstructionStage.UNDER_CONSTRUCTION, actualStart: '2026-01', totalInvestment: '500' });
    const tjj = await tokenFor('tjj_officer', 'MY');
    const county = await tokenFor('county_officer', 'MY-FC');
    const q = `mutation($i: ProjectStatsInput!) { registerProjectStats(input: $i) { project { statsRegisteredAt } } }`;
    expect(codeOf(await t.gql(q, { i: { id: gid('Project', small.id), expectedVersion: 1 } }, tjj))).toBe('INVALID_TRANSITION');
    expect(codeOf(await t.gql(q, { i: { id: gid('Project', big.id), expectedVersion: 1 } }, county))).toBe('FORBIDDEN');
    expect((await t.gql(q, { i: { id: gid('Project', big.id), expectedVersion: 1 } }, tjj)).data.registerProjectStats.project.statsRegisteredAt).not.toBeNull();
  });
});

describe('enterprises', () => {
  const CREATE = `mutation($i: CreateEnterpriseInput!) { createEnterprise(input: $i) { enterprise { id creditCode tags territory { code } viewerCan { update } } } }`;

  it('registers an enterprise with a valid credit code; a duplicate is CONFLICT; a bad check character is BAD_USER_INPUT', async () => {
    const token = await tokenFor('county_officer', 'MY-FC');
    const fc = gid('OrgUnit', (await unitByCode(ds, 'MY-FC')).id);
    const code = newCreditCode();
    const i = { creditCode: code.toLowerCase(), name: '测试企业', industryCode: 'C2614', territoryId: fc, scale: 'ABOVE_SCALE', tags: ['KEY_ENTERPRISE'] };
    const res = await t.gql(CREATE, { i }, token);
    expect(res.errors).toBeUndefined();
    expect(res.data.createEnterprise.enterprise).toMatchObject({ creditCode: code, tags: ['KEY_ENTERPRISE'], territory: { code: 'MY-FC' }, viewerCan: { update: true } });
    expect(codeOf(await t.gql(CREATE, { i }, token))).toBe('CONFLICT');
    const wrongCheck = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    const bad = await t.gql(CREATE, { i: { ...i, creditCode: wrongCheck } }, token);
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'creditCode' });
    expect(await ds.manager.countBy(Enterprise, { creditCode: wrongCheck })).toBe(0);
  });

  it('lets an enterprise user edit its contacts but not its territory or tags', async () => {
    const own = await createEnterprise(ds, 'MY-FC');
    const token = await tokenFor('enterprise_user', 'MY-FC', { enterpriseId: own.id });
    const q = `mutation($i: UpdateEnterpriseInput!) { updateEnterprise(input: $i) { enterprise { contactPhone version } } }`;
    const ok = await t.gql(q, { i: { id: gid('Enterprise', own.id), expectedVersion: 1, contactPhone: '0816-7654321' } }, token);
    expect(ok.data.updateEnterprise.enterprise).toEqual({ contactPhone: '0816-7654321', version: 2 });
    expect(codeOf(await t.gql(q, { i: { id: gid('Enterprise', own.id), expectedVersion: 2, tags: ['CHAIN_LEADER'] } }, token))).toBe('FORBIDDEN');
  });
});
