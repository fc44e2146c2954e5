/**
 * Monthly reports (月报) through GraphQL: scope, filters, saving with the running cumulative, the
 * workflow, period locks, and every guard leaving the database as it was.
 *
 * Report periods are city-wide rows, so the tests that lock use months of long ago (years 2011–2014)
 * that no other test reports in, and reopen what they lock before they end.
 */
import { DataSource, In } from 'typeorm';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { currentMonth } from '../../src/core/validation';
import { AuditEvent } from '../../src/modules/audit/audit-event.entity';
import { Enterprise } from '../../src/modules/enterprise/enterprise.entity';
import { ConstructionStage, Project } from '../../src/modules/project/project.entity';
import { MonthlyReport, ReportStatus } from '../../src/modules/report/monthly-report.entity';
import { ReportPeriod } from '../../src/modules/report/report-period.entity';
import { Role } from '../../src/modules/user/role.entity';
import { User } from '../../src/modules/user/user.entity';
import { WorkflowTransition } from '../../src/modules/workflow-history/workflow-transition.entity';
import { codeOf, errorOf, startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createEnterprise, createProject, createReport } from '../helpers/domain-factories';
import { bind, createUser, createUserWithRole, unique } from '../helpers/factories';

let ds: DataSource;
let t: TestApp;
const gid = (type: string, id: number) => toGlobalId(type, id);

const REPORT_FIELDS = 'id version period status monthInvestment cumulativeInvestment progressPercent progressText issues periodLocked';
const SAVE = `mutation($i: SaveMonthlyReportInput!) { saveMonthlyReport(input: $i) { report { ${REPORT_FIELDS} } } }`;
const transition = (verb: 'submit' | 'return' | 'confirm') =>
  `mutation($i: TransitionInput!) { ${verb}MonthlyReport(input: $i) { report { id version status } } }`;
const LOCK = `mutation($i: ReportPeriodInput!) { lockReportPeriod(input: $i) { period { id period locked lockedAt } movedReports } }`;
const UNLOCK = `mutation($i: ReportPeriodInput!) { unlockReportPeriod(input: $i) { period { id period locked lockedAt } movedReports } }`;
const REPORT = `query($id: ID!) { monthlyReport(id: $id) { ${REPORT_FIELDS} project { id } territory { code } } }`;

/** The month `n` months after "YYYY-MM". */
function addMonths(period: string, n: number): string {
  const [y, m] = period.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

const tokenFor = (role: string, scope: string, attrs: Partial<User> = {}) => t.tokenFor(role, scope, attrs);

/** An enterprise in `territory` with a project that reports (under construction since 2010), and a user of that enterprise. */
async function reportingProject(territory = 'MY-FC', attrs: Partial<Project> = {}) {
  const enterprise = await createEnterprise(ds, territory);
  const project = await createProject(ds, enterprise, {
    stage: ConstructionStage.UNDER_CONSTRUCTION, plannedStart: '2010-01', actualStart: '2010-01', plannedCompletion: '2030-12', ...attrs,
  });
  return { enterprise, project };
}

const enterpriseToken = (enterprise: Enterprise, territory = 'MY-FC') => tokenFor('enterprise_user', territory, { enterpriseId: enterprise.id });

/** Everything a refused call must leave as it was: the project's reports, their history and audit trail, and the period rows. */
async function snapshot(projectId: number) {
  const reports = await ds.manager.find(MonthlyReport, { where: { projectId }, order: { period: 'ASC' } });
  const ids = reports.map((r) => r.id);
  return {
    reports,
    history: ids.length ? await ds.manager.count(WorkflowTransition, { where: { subjectType: 'MonthlyReport', recordId: In(ids) } }) : 0,
    audit: ids.length ? await ds.manager.count(AuditEvent, { where: { subjectType: 'MonthlyReport', recordId: In(ids) } }) : 0,
    periods: await ds.manager.find(ReportPeriod, { order: { period: 'ASC' } }),
  };
}

async function lockDirectly(period: string, by: number) {
  await ds.manager.save(ds.manager.create(ReportPeriod, { period, lockedAt: new Date(), lockedById: by }));
}
const clearPeriods = (periods: string[]) => ds.manager.delete(ReportPeriod, { period: In(periods) });

let admin: User;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
  admin = await createUserWithRole(ds, 'admin', 'MY');
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

// Every refusal here is a coded error: nothing may fall through to the masked internal error.
afterEach(() => {
  const unhandled = t.logs.filter((l) => l.includes('unhandled error'));
  t.logs.length = 0;
  expect(unhandled).toEqual([]);
});

describe('reading monthly reports', () => {
  it('requires authentication', async () => {
    const { project } = await reportingProject();
    const report = await createReport(ds, project, { period: '2010-02' });
    for (const [query, vars] of [
      ['{ monthlyReports { totalCount } }', {}],
      [REPORT, { id: gid('MonthlyReport', report.id) }],
      ['{ reportPeriods { totalCount } }', {}],
    ] as const) {
      expect(codeOf(await t.gql(query, vars))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(query, vars, 'not-a-token'))).toBe('UNAUTHENTICATED');
    }
  });

  it("shows a 涪城区 officer 涪城区's reports and not 游仙区's, by every route", async () => {
    const fc = await reportingProject('MY-FC');
    const yx = await reportingProject('MY-YX');
    const mine = await createReport(ds, fc.project, { period: '2010-02' });
    const theirs = await createReport(ds, yx.project, { period: '2010-02' });
    const token = await tokenFor('county_officer', 'MY-FC');

    const own = await t.gql(REPORT, { id: gid('MonthlyReport', mine.id) }, token);
    expect(own.errors).toBeUndefined();
    expect(own.data.monthlyReport).toMatchObject({ period: '2010-02', status: 'OPEN', project: { id: gid('Project', fc.project.id) }, territory: { code: 'MY-FC' } });

    expect(codeOf(await t.gql(REPORT, { id: gid('MonthlyReport', theirs.id) }, token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql('query($id: ID!) { node(id: $id) { id } }', { id: gid('MonthlyReport', theirs.id) }, token))).toBe('NOT_FOUND');
    const list = await t.gql(
      'query($f: MonthlyReportFilter) { monthlyReports(filter: $f, first: 100) { totalCount edges { node { id } } } }',
      { f: { projectId: gid('Project', yx.project.id) } },
      token,
    );
    expect(list.data.monthlyReports).toEqual({ totalCount: 0, edges: [] });
    // Through the project too: the 游仙区 project itself is invisible.
    const nested = await t.gql('query($id: ID!) { project(id: $id) { monthlyReports { totalCount } } }', { id: gid('Project', yx.project.id) }, token);
    expect(codeOf(nested)).toBe('NOT_FOUND');
  });

  it('filters by project, enterprise, territory subtree, period range and status; orders by period or id; pages stably', async () => {
    const a = await reportingProject('MY-AZ');
    const b = await reportingProject('MY-YX');
    const statuses = [ReportStatus.CONFIRMED, ReportStatus.CONFIRMED, ReportStatus.SUBMITTED, ReportStatus.RETURNED, ReportStatus.OPEN];
    const reportsA = [];
    for (const [i, status] of statuses.entries()) reportsA.push(await createReport(ds, a.project, { period: `2010-0${i + 1}`, status }));
    const reportB = await createReport(ds, b.project, { period: '2010-03', status: ReportStatus.SUBMITTED });
    const jxj = await tokenFor('jxj_officer', 'MY');
    const q = `query($f: MonthlyReportFilter, $o: MonthlyReportOrder, $first: Int, $after: String, $last: Int, $before: String) {
      monthlyReports(filter: $f, orderBy: $o, first: $first, after: $after, last: $last, before: $before) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor } edges { node { id period status } } } }`;
    const periodsOf = (res: any) => res.data.monthlyReports.edges.map((e: any) => e.node.period);
    const both = { territoryId: undefined, period: { min: '2010-01', max: '2010-05' } };

    const byProject = await t.gql(q, { f: { projectId: gid('Project', a.project.id) } }, jxj);
    expect(byProject.errors).toBeUndefined();
    // Default order: newest period first.
    expect(periodsOf(byProject)).toEqual(['2010-05', '2010-04', '2010-03', '2010-02', '2010-01']);
    const byEnterprise = await t.gql(q, { f: { enterpriseId: gid('Enterprise', b.enterprise.id) } }, jxj);
    expect(byEnterprise.data.monthlyReports.edges.map((e: any) => e.node.id)).toEqual([gid('MonthlyReport', reportB.id)]);

    const range = await t.gql(q, { f: { projectId: gid('Project', a.project.id), period: { min: '2010-02', max: '2010-04' }, statuses: ['CONFIRMED', 'RETURNED'] }, o: { field: 'PERIOD', direction: 'ASC' } }, jxj);
    expect(periodsOf(range)).toEqual(['2010-02', '2010-04']);
    expect(range.data.monthlyReports.totalCount).toBe(2);

    // Territory: the unit and its subtree, here 游仙区 only among these two projects.
    const yx = (await ds.manager.query('SELECT id FROM org_units WHERE code = ?', ['MY-YX']))[0].id;
    const territory = await t.gql(q, { f: { ...both, territoryId: gid('OrgUnit', Number(yx)), enterpriseId: undefined, statuses: ['SUBMITTED'] } }, jxj);
    expect(territory.data.monthlyReports.edges.map((e: any) => e.node.id)).toContain(gid('MonthlyReport', reportB.id));
    expect(territory.data.monthlyReports.edges.map((e: any) => e.node.id)).not.toContain(gid('MonthlyReport', reportsA[2].id));

    // Same period in two projects: ties broken by id, and pages neither skip nor repeat.
    const f = { period: { min: '2010-03', max: '2010-03' }, statuses: ['SUBMITTED'], projectId: undefined };
    const all = await t.gql(q, { f: { ...f }, o: { field: 'PERIOD', direction: 'ASC' }, first: 100 }, jxj);
    const ids = all.data.monthlyReports.edges.map((e: any) => e.node.id);
    expect(ids).toEqual(expect.arrayContaining([gid('MonthlyReport', reportsA[2].id), gid('MonthlyReport', reportB.id)]));
    const paged: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await t.gql(q, { f, o: { field: 'PERIOD', direction: 'ASC' }, first: 1, after }, jxj);
      paged.push(...page.data.monthlyReports.edges.map((e: any) => e.node.id));
      if (!page.data.monthlyReports.pageInfo.hasNextPage) break;
      after = page.data.monthlyReports.pageInfo.endCursor;
    }
    expect(paged).toEqual(ids);
    const byId = await t.gql(q, { f: { projectId: gid('Project', a.project.id) }, o: { field: 'ID', direction: 'DESC' }, last: 2 }, jxj);
    expect(byId.data.monthlyReports.edges.map((e: any) => e.node.id)).toEqual([gid('MonthlyReport', reportsA[1].id), gid('MonthlyReport', reportsA[0].id)]);
    expect(byId.data.monthlyReports.pageInfo.hasPreviousPage).toBe(true);

    expect(errorOf(await t.gql(q, { f: { projectId: 'nonsense' } }, jxj)).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.projectId' });
  });

  it('tells each role what it may do to a report in its current state', async () => {
    const { enterprise, project } = await reportingProject('MY-FC');
    const report = await createReport(ds, project, { period: '2010-02' });
    const q = 'query($id: ID!) { monthlyReport(id: $id) { viewerCan { save submit return confirm } } }';
    const ask = async (token: string) => (await t.gql(q, { id: gid('MonthlyReport', report.id) }, token)).data.monthlyReport.viewerCan;
    const [lier, county, jxj, tjj] = [
      await enterpriseToken(enterprise), await tokenFor('county_officer', 'MY-FC'), await tokenFor('jxj_officer', 'MY'), await tokenFor('tjj_officer', 'MY'),
    ];
    // OPEN: it can be saved and submitted, not yet returned or confirmed.
    expect(await ask(lier)).toEqual({ save: true, submit: true, return: false, confirm: false });
    expect(await ask(county)).toEqual({ save: true, submit: true, return: false, confirm: false });
    expect(await ask(jxj)).toEqual({ save: false, submit: false, return: false, confirm: false });
    expect(await ask(tjj)).toEqual({ save: false, submit: false, return: false, confirm: false });
    // SUBMITTED: reviewers may return or confirm it; nobody saves or submits it again.
    await ds.manager.update(MonthlyReport, report.id, { status: ReportStatus.SUBMITTED });
    expect(await ask(lier)).toEqual({ save: false, submit: false, return: false, confirm: false });
    expect(await ask(county)).toEqual({ save: false, submit: false, return: true, confirm: true });
    expect(await ask(jxj)).toEqual({ save: false, submit: false, return: true, confirm: true });
  });
});

describe('saveMonthlyReport', () => {
  const input = (project: Project, attrs: Record<string, unknown> = {}) => ({
    projectId: gid('Project', project.id), period: '2010-03', monthInvestment: '100', progressPercent: '10', ...attrs,
  });

  it('requires authentication', async () => {
    const { project } = await reportingProject();
    const before = await snapshot(project.id);
    expect(codeOf(await t.gql(SAVE, { i: input(project) }))).toBe('UNAUTHENTICATED');
    expect(await snapshot(project.id)).toEqual(before);
  });

  it("is NOT_FOUND for a 游仙区 project when a 涪城区 officer saves, and for another enterprise's project", async () => {
    const yx = await reportingProject('MY-YX');
    const fcOther = await reportingProject('MY-FC');
    const fcOwn = await reportingProject('MY-FC');
    const before = [await snapshot(yx.project.id), await snapshot(fcOther.project.id)];
    expect(codeOf(await t.gql(SAVE, { i: input(yx.project) }, await tokenFor('county_officer', 'MY-FC')))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(SAVE, { i: input(fcOther.project) }, await enterpriseToken(fcOwn.enterprise)))).toBe('NOT_FOUND');
    expect([await snapshot(yx.project.id), await snapshot(fcOther.project.id)]).toEqual(before);
    // Roles with no save rule at all are turned away before anything is looked up.
    expect(codeOf(await t.gql(SAVE, { i: input(yx.project) }, await tokenFor('jxj_officer', 'MY')))).toBe('FORBIDDEN');
  });

  it('lets an enterprise user create and then change its own report, with exact cumulative sums and an audit trail', async () => {
    const { enterprise, project } = await reportingProject();
    await createReport(ds, project, { period: '2010-02', monthInvestment: '0.1', cumulativeInvestment: '1000.1', status: ReportStatus.CONFIRMED });
    const token = await enterpriseToken(enterprise);

    const created = await t.gql(SAVE, { i: input(project, { monthInvestment: '0.2', progressPercent: '12.5', progressText: ' 设备安装中 ', issues: '' }) }, token);
    expect(created.errors).toBeUndefined();
    const report = created.data.saveMonthlyReport.report;
    expect(report).toMatchObject({
      period: '2010-03', status: 'OPEN', version: 1, monthInvestment: '0.2', cumulativeInvestment: '1000.3', progressPercent: '12.5',
      progressText: '设备安装中', issues: null, periodLocked: false,
    });
    const id = Number(Buffer.from(report.id, 'base64url').toString().split(':')[1]);
    expect(await ds.manager.findOneByOrFail(MonthlyReport, { id })).toMatchObject({ territoryId: project.territoryId, enterpriseId: enterprise.id });

    const changed = await t.gql(SAVE, { i: input(project, { monthInvestment: '99999.9999', progressPercent: '100', issues: '缺电', expectedVersion: 1 }) }, token);
    expect(changed.errors).toBeUndefined();
    // progressText left out: unchanged.
    expect(changed.data.saveMonthlyReport.report).toMatchObject({
      id: report.id, version: 2, monthInvestment: '99999.9999', cumulativeInvestment: '101000.0999', progressPercent: '100', progressText: '设备安装中', issues: '缺电',
    });
    const audit = await ds.manager.find(AuditEvent, { where: { subjectType: 'MonthlyReport', recordId: id }, order: { id: 'ASC' } });
    expect(audit.map((a) => a.action)).toEqual(['create', 'save']);
    expect(audit[1].changes?.after).toMatchObject({ monthInvestment: '99999.9999', cumulativeInvestment: '101000.0999' });
  });

  it("keeps later months' cumulative in step when an earlier month is saved or filled in", async () => {
    const { enterprise, project } = await reportingProject();
    const jan = await createReport(ds, project, { period: '2010-01', monthInvestment: '100', cumulativeInvestment: '100', status: ReportStatus.RETURNED });
    const mar = await createReport(ds, project, { period: '2010-03', monthInvestment: '50', cumulativeInvestment: '150', status: ReportStatus.CONFIRMED });
    const token = await enterpriseToken(enterprise);

    const feb = await t.gql(SAVE, { i: input(project, { period: '2010-02', monthInvestment: '30' }) }, token);
    expect(feb.errors).toBeUndefined();
    expect(feb.data.saveMonthlyReport.report.cumulativeInvestment).toBe('130');
    expect(await ds.manager.findOneByOrFail(MonthlyReport, { id: mar.id })).toMatchObject({ cumulativeInvestment: '180', version: mar.version + 1, status: 'CONFIRMED' });

    const janSaved = await t.gql(SAVE, { i: input(project, { period: '2010-01', monthInvestment: '10.5', expectedVersion: jan.version }) }, token);
    expect(janSaved.errors).toBeUndefined();
    const rows = await ds.manager.find(MonthlyReport, { where: { projectId: project.id }, order: { period: 'ASC' } });
    expect(rows.map((r) => [r.period, r.monthInvestment, r.cumulativeInvestment])).toEqual([
      ['2010-01', '10.5', '10.5'], ['2010-02', '30', '40.5'], ['2010-03', '50', '90.5'],
    ]);
    const recomputed = await ds.manager.find(AuditEvent, { where: { subjectType: 'MonthlyReport', recordId: mar.id, action: 'recomputeCumulative' } });
    expect(recomputed).toHaveLength(2);
  });

  it('keeps the running sum when two months of one project are saved at once', async () => {
    const { enterprise, project } = await reportingProject();
    await createReport(ds, project, { period: '2010-01', monthInvestment: '100', cumulativeInvestment: '100' });
    const token = await enterpriseToken(enterprise);
    const results = await Promise.all([
      t.gql(SAVE, { i: input(project, { period: '2010-03', monthInvestment: '50' }) }, token),
      t.gql(SAVE, { i: input(project, { period: '2010-02', monthInvestment: '30' }) }, token),
    ]);
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined]);
    const rows = await ds.manager.find(MonthlyReport, { where: { projectId: project.id }, order: { period: 'ASC' } });
    expect(rows.map((r) => r.cumulativeInvestment)).toEqual(['100', '130', '180']);
  });

  it('refuses to change the cumulative of a month that is locked, and changes nothing', async () => {
    const { enterprise, project } = await reportingProject();
    const jan = await createReport(ds, project, { period: '2011-01', monthInvestment: '100', cumulativeInvestment: '100', status: ReportStatus.RETURNED });
    await createReport(ds, project, { period: '2011-02', monthInvestment: '50', cumulativeInvestment: '150', status: ReportStatus.LOCKED });
    await lockDirectly('2011-02', admin.id);
    try {
      const before = await snapshot(project.id);
      const res = await t.gql(SAVE, { i: input(project, { period: '2011-01', monthInvestment: '1', expectedVersion: jan.version }) }, await enterpriseToken(enterprise));
      expect(errorOf(res).extensions.code).toBe('FORBIDDEN');
      expect(errorOf(res).message).toContain('period 2011-02 is locked');
      expect(await snapshot(project.id)).toEqual(before);
      // The same figure (nothing later changes) is fine.
      const same = await t.gql(SAVE, { i: input(project, { period: '2011-01', monthInvestment: '100', progressPercent: '20', expectedVersion: jan.version }) }, await enterpriseToken(enterprise));
      expect(same.errors).toBeUndefined();
    } finally {
      await clearPeriods(['2011-02']);
    }
  });

  it('refuses bad input, naming the field, and changes nothing', async () => {
    const { enterprise, project } = await reportingProject('MY-FC', { plannedStart: '2010-06' });
    await createReport(ds, project, { period: '2010-07' });
    const token = await enterpriseToken(enterprise);
    const before = await snapshot(project.id);
    const future = addMonths(currentMonth(), 1);
    const cases: [Record<string, unknown>, string][] = [
      [{ period: future }, 'period'],
      [{ period: '2009-12' }, 'period'], // before the year of the planned start
      [{ monthInvestment: '-1' }, 'monthInvestment'],
      [{ monthInvestment: '1000000000' }, 'monthInvestment'],
      [{ progressPercent: '100.01' }, 'progressPercent'],
      [{ progressPercent: '-0.5' }, 'progressPercent'],
      [{ progressPercent: '12.345' }, 'progressPercent'],
      [{ progressText: 'x'.repeat(2001) }, 'progressText'],
      [{ issues: 'bad\u0000text' }, 'issues'],
      [{ projectId: gid('Enterprise', enterprise.id) }, 'projectId'],
    ];
    for (const [attrs, field] of cases) {
      const res = await t.gql(SAVE, { i: input(project, { period: '2010-08', ...attrs }) }, token);
      expect({ attrs, ext: errorOf(res)?.extensions }).toEqual({ attrs, ext: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) });
    }
    // Decimal format itself is checked by the scalar.
    expect(codeOf(await t.gql(SAVE, { i: input(project, { monthInvestment: '1.23456' }) }, token))).toBe('BAD_USER_INPUT');
    expect(await snapshot(project.id)).toEqual(before);
  });

  it('refuses projects not in a reporting stage, locked months, stale versions and reports past OPEN/RETURNED, and changes nothing', async () => {
    const planning = await reportingProject('MY-FC', { stage: ConstructionStage.PLANNING });
    const token0 = await enterpriseToken(planning.enterprise);
    const notReporting = await t.gql(SAVE, { i: input(planning.project) }, token0);
    expect(errorOf(notReporting).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'projectId', stage: 'PLANNING' });
    expect(await ds.manager.countBy(MonthlyReport, { projectId: planning.project.id })).toBe(0);

    const { enterprise, project } = await reportingProject();
    const open = await createReport(ds, project, { period: '2010-04', version: 3 });
    const submitted = await createReport(ds, project, { period: '2010-05', status: ReportStatus.SUBMITTED, cumulativeInvestment: '200' });
    const token = await enterpriseToken(enterprise);
    const before = await snapshot(project.id);

    const stale = await t.gql(SAVE, { i: input(project, { period: '2010-04', expectedVersion: 2 }) }, token);
    expect(errorOf(stale).extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 3 });
    const missing = await t.gql(SAVE, { i: input(project, { period: '2010-04' }) }, token);
    expect(errorOf(missing).extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 3 });
    const past = await t.gql(SAVE, { i: input(project, { period: '2010-05', expectedVersion: submitted.version }) }, token);
    expect(errorOf(past).extensions).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'SUBMITTED', allowedActions: ['confirm', 'return'] });
    expect(await snapshot(project.id)).toEqual(before);

    await lockDirectly('2012-01', admin.id);
    try {
      const before2 = await snapshot(project.id);
      const locked = await t.gql(SAVE, { i: input(project, { period: '2012-01' }) }, token);
      expect(errorOf(locked).extensions.code).toBe('FORBIDDEN');
      expect(errorOf(locked).message).toContain('period 2012-01 is locked');
      expect(await snapshot(project.id)).toEqual(before2);
    } finally {
      await clearPeriods(['2012-01']);
    }
    expect(open.version).toBe(3);
  });

  it('lets a county officer save a report in their territory', async () => {
    const { project } = await reportingProject('MY-FC');
    const res = await t.gql(SAVE, { i: input(project, { period: '2010-09' }) }, await tokenFor('county_officer', 'MY-FC'));
    expect(res.errors).toBeUndefined();
    expect(res.data.saveMonthlyReport.report).toMatchObject({ status: 'OPEN', cumulativeInvestment: '100' });
  });
});

describe('submit, return and confirm', () => {
  const step = (verb: 'submit' | 'return' | 'confirm', r: { id: number }, version: number, token?: string, comment?: string) =>
    t.gql(transition(verb), { i: { id: gid('MonthlyReport', r.id), expectedVersion: version, comment } }, token);

  it('requires authentication', async () => {
    const { project } = await reportingProject();
    const report = await createReport(ds, project, { period: '2010-02', status: ReportStatus.SUBMITTED });
    const before = await snapshot(project.id);
    for (const verb of ['submit', 'return', 'confirm'] as const) expect(codeOf(await step(verb, report, 1, undefined, 'x'))).toBe('UNAUTHENTICATED');
    expect(await snapshot(project.id)).toEqual(before);
  });

  it('is NOT_FOUND for a 游仙区 report when a 涪城区 officer acts on it', async () => {
    const { project } = await reportingProject('MY-YX');
    const open = await createReport(ds, project, { period: '2010-02' });
    const submitted = await createReport(ds, project, { period: '2010-03', status: ReportStatus.SUBMITTED });
    const token = await tokenFor('county_officer', 'MY-FC');
    const before = await snapshot(project.id);
    expect(codeOf(await step('submit', open, 1, token))).toBe('NOT_FOUND');
    expect(codeOf(await step('confirm', submitted, 1, token))).toBe('NOT_FOUND');
    expect(codeOf(await step('return', submitted, 1, token, '请核实'))).toBe('NOT_FOUND');
    expect(await snapshot(project.id)).toEqual(before);
  });

  it('goes OPEN → SUBMITTED (enterprise) → RETURNED (county) → SUBMITTED → CONFIRMED (county), with history', async () => {
    const { enterprise, project } = await reportingProject();
    const report = await createReport(ds, project, { period: '2010-02' });
    const ent = await enterpriseToken(enterprise);
    const county = await tokenFor('county_officer', 'MY-FC');

    const submitted = await step('submit', report, 1, ent);
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data.submitMonthlyReport.report).toMatchObject({ status: 'SUBMITTED', version: 2 });
    // An enterprise has no confirm rule at all.
    expect(codeOf(await step('confirm', report, 2, ent))).toBe('FORBIDDEN');

    const noComment = await step('return', report, 2, county, '  ');
    expect(errorOf(noComment).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'comment' });
    expect((await step('return', report, 2, county, '本月完成投资与形象进度不匹配')).data.returnMonthlyReport.report.status).toBe('RETURNED');
    const resaved = await t.gql(SAVE, {
      i: { projectId: gid('Project', project.id), period: '2010-02', monthInvestment: '80', progressPercent: '9', expectedVersion: 3 },
    }, ent);
    expect(resaved.data.saveMonthlyReport.report).toMatchObject({ status: 'RETURNED', version: 4, cumulativeInvestment: '80' });
    expect((await step('submit', report, 4, ent)).data.submitMonthlyReport.report.status).toBe('SUBMITTED');
    const confirmed = await step('confirm', report, 5, county);
    expect(confirmed.data.confirmMonthlyReport.report).toMatchObject({ status: 'CONFIRMED', version: 6 });

    const row = await ds.manager.findOneByOrFail(MonthlyReport, { id: report.id });
    expect(row.submittedAt).not.toBeNull();
    expect(row.confirmedById).not.toBeNull();
    const history = await t.gql(
      'query($id: ID!) { monthlyReport(id: $id) { history { totalCount edges { node { fromState toState action comment } } } } }',
      { id: gid('MonthlyReport', report.id) },
      ent,
    );
    expect(history.data.monthlyReport.history.edges.map((e: any) => e.node)).toEqual([
      { fromState: 'OPEN', toState: 'SUBMITTED', action: 'submit', comment: null },
      { fromState: 'SUBMITTED', toState: 'RETURNED', action: 'return', comment: '本月完成投资与形象进度不匹配' },
      { fromState: 'RETURNED', toState: 'SUBMITTED', action: 'submit', comment: null },
      { fromState: 'SUBMITTED', toState: 'CONFIRMED', action: 'confirm', comment: null },
    ]);
  });

  it('lets exactly one of two officers confirming the same report at once win; the other gets CONFLICT', async () => {
    const { project } = await reportingProject('MY-FC');
    const report = await createReport(ds, project, { period: '2010-02', status: ReportStatus.SUBMITTED });
    const [a, b] = [await tokenFor('county_officer', 'MY-FC'), await tokenFor('jxj_officer', 'MY')];
    const results = await Promise.all([step('confirm', report, 1, a), step('confirm', report, 1, b)]);
    expect(results.map((r) => (r.errors ? codeOf(r) : r.data.confirmMonthlyReport.report.status)).sort()).toEqual(['CONFIRMED', 'CONFLICT']);
    expect(await ds.manager.countBy(WorkflowTransition, { subjectType: 'MonthlyReport', recordId: report.id })).toBe(1);
  });

  it('lets 经信局 return a confirmed report before the month is locked', async () => {
    const { project } = await reportingProject('MY-JY');
    const report = await createReport(ds, project, { period: '2010-02', status: ReportStatus.CONFIRMED });
    const res = await step('return', report, 1, await tokenFor('jxj_officer', 'MY'), '与统计数据差异较大');
    expect(res.errors).toBeUndefined();
    expect(res.data.returnMonthlyReport.report.status).toBe('RETURNED');
  });

  it('refuses the wrong state, a stale version and a locked month, and changes nothing', async () => {
    const { enterprise, project } = await reportingProject();
    const open = await createReport(ds, project, { period: '2010-02' });
    const submitted = await createReport(ds, project, { period: '2013-03', status: ReportStatus.SUBMITTED });
    const county = await tokenFor('county_officer', 'MY-FC');
    const before = await snapshot(project.id);

    const wrong = await step('confirm', open, 1, county);
    expect(errorOf(wrong).extensions).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'OPEN', allowedActions: ['submit'] });
    expect(codeOf(await step('submit', open, 7, await enterpriseToken(enterprise)))).toBe('CONFLICT');
    expect(await snapshot(project.id)).toEqual(before);

    await lockDirectly('2013-03', admin.id);
    try {
      const before2 = await snapshot(project.id);
      for (const [verb, comment] of [['confirm', undefined], ['return', '请核实']] as const) {
        const res = await step(verb, submitted, 1, county, comment);
        expect(errorOf(res).extensions.code).toBe('FORBIDDEN');
        expect(errorOf(res).message).toContain('period 2013-03 is locked');
      }
      expect(await snapshot(project.id)).toEqual(before2);
      const read = await t.gql(REPORT, { id: gid('MonthlyReport', submitted.id) }, county);
      expect(read.data.monthlyReport.periodLocked).toBe(true);
    } finally {
      await clearPeriods(['2013-03']);
    }
  });
});

describe('locking and reopening a month', () => {
  const PERIOD = '2014-05';
  afterEach(() => clearPeriods([PERIOD, '2014-06']));

  it('requires authentication', async () => {
    for (const query of [LOCK, UNLOCK]) expect(codeOf(await t.gql(query, { i: { period: PERIOD } }))).toBe('UNAUTHENTICATED');
    expect(await ds.manager.countBy(ReportPeriod, { period: PERIOD })).toBe(0);
  });

  it('lets 经信局 lock a month: CONFIRMED reports become LOCKED, the rest are frozen in place; admins reopen it', async () => {
    const a = await reportingProject('MY-FC');
    const b = await reportingProject('MY-YX');
    const confirmedA = await createReport(ds, a.project, { period: PERIOD, status: ReportStatus.CONFIRMED });
    const confirmedB = await createReport(ds, b.project, { period: PERIOD, status: ReportStatus.CONFIRMED });
    const openA = await createReport(ds, a.project, { period: '2014-04', status: ReportStatus.CONFIRMED });
    const c = await reportingProject('MY-YX');
    const submittedB = await createReport(ds, c.project, { period: PERIOD, status: ReportStatus.SUBMITTED });
    const jxj = await tokenFor('jxj_officer', 'MY');

    const locked = await t.gql(LOCK, { i: { period: PERIOD, comment: '5月数据已核定' } }, jxj);
    expect(locked.errors).toBeUndefined();
    expect(locked.data.lockReportPeriod).toMatchObject({ period: { period: PERIOD, locked: true }, movedReports: 2 });
    expect(locked.data.lockReportPeriod.period.lockedAt).not.toBeNull();
    const statusOf = async (r: MonthlyReport) => (await ds.manager.findOneByOrFail(MonthlyReport, { id: r.id })).status;
    expect([await statusOf(confirmedA), await statusOf(confirmedB), await statusOf(submittedB), await statusOf(openA)])
      .toEqual(['LOCKED', 'LOCKED', 'SUBMITTED', 'CONFIRMED']);
    const history = await ds.manager.findOneByOrFail(WorkflowTransition, { subjectType: 'MonthlyReport', recordId: confirmedA.id });
    expect(history).toMatchObject({ fromState: 'CONFIRMED', toState: 'LOCKED', action: 'lock', comment: '5月数据已核定', territoryId: a.project.territoryId });
    expect(await ds.manager.countBy(AuditEvent, { subjectType: 'MonthlyReport', recordId: confirmedB.id, action: 'lock' })).toBe(1);
    expect(await ds.manager.countBy(AuditEvent, { subjectType: 'ReportPeriod', action: 'lock' })).toBeGreaterThan(0);

    // Listed, and reachable by node(id).
    const periods = await t.gql('query($f: ReportPeriodFilter) { reportPeriods(filter: $f) { totalCount edges { node { id period locked } } } }',
      { f: { period: { min: PERIOD, max: PERIOD }, locked: true } }, jxj);
    expect(periods.data.reportPeriods.edges.map((e: any) => e.node)).toEqual([{ id: locked.data.lockReportPeriod.period.id, period: PERIOD, locked: true }]);
    const node = await t.gql('query($id: ID!) { node(id: $id) { ... on ReportPeriod { period } } }', { id: locked.data.lockReportPeriod.period.id }, jxj);
    expect(node.data.node).toEqual({ period: PERIOD });

    // Locking twice is refused and changes nothing.
    const before = [await snapshot(a.project.id), await snapshot(b.project.id)];
    const again = await t.gql(LOCK, { i: { period: PERIOD } }, jxj);
    expect(errorOf(again).extensions).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'LOCKED', allowedActions: ['unlock'] });
    // Only admins reopen.
    expect(codeOf(await t.gql(UNLOCK, { i: { period: PERIOD } }, jxj))).toBe('FORBIDDEN');
    expect([await snapshot(a.project.id), await snapshot(b.project.id)]).toEqual(before);

    const adminToken = await t.login(admin.username);
    const reopened = await t.gql(UNLOCK, { i: { period: PERIOD, comment: '统计口径调整，重新开放' } }, adminToken);
    expect(reopened.errors).toBeUndefined();
    expect(reopened.data.unlockReportPeriod).toMatchObject({ period: { period: PERIOD, locked: false, lockedAt: null }, movedReports: 2 });
    expect([await statusOf(confirmedA), await statusOf(confirmedB), await statusOf(submittedB)]).toEqual(['CONFIRMED', 'CONFIRMED', 'SUBMITTED']);
    const twice = await t.gql(UNLOCK, { i: { period: PERIOD } }, adminToken);
    expect(errorOf(twice).extensions).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'UNLOCKED' });

    // Reopened: the frozen submitted report may be confirmed again.
    const confirm = await t.gql(transition('confirm'), { i: { id: gid('MonthlyReport', submittedB.id), expectedVersion: submittedB.version } }, jxj);
    expect(confirm.data.confirmMonthlyReport.report.status).toBe('CONFIRMED');
    // And locking again works on the same row.
    expect((await t.gql(LOCK, { i: { period: PERIOD } }, jxj)).data.lockReportPeriod.movedReports).toBe(3);
    expect(await ds.manager.countBy(ReportPeriod, { period: PERIOD })).toBe(1);
  });

  it('lets one of two simultaneous locks of a month win', async () => {
    const { project } = await reportingProject('MY-FC');
    const report = await createReport(ds, project, { period: PERIOD, status: ReportStatus.CONFIRMED });
    const [a, b] = [await tokenFor('jxj_officer', 'MY'), await tokenFor('jxj_officer', 'MY')];
    const results = await Promise.all([t.gql(LOCK, { i: { period: PERIOD } }, a), t.gql(LOCK, { i: { period: PERIOD } }, b)]);
    const outcomes = results.map((r) => (r.errors ? codeOf(r) : 'LOCKED'));
    expect(outcomes).toContain('LOCKED');
    expect(outcomes.filter((o) => o !== 'LOCKED')).toHaveLength(1);
    expect(['CONFLICT', 'INVALID_TRANSITION']).toContain(outcomes.find((o) => o !== 'LOCKED'));
    expect(await ds.manager.countBy(WorkflowTransition, { subjectType: 'MonthlyReport', recordId: report.id })).toBe(1);
  });

  it("moves only the reports the viewer may lock: a locking role scoped to 涪城区 leaves 游仙区's reports alone", async () => {
    const a = await reportingProject('MY-FC');
    const b = await reportingProject('MY-YX');
    const fcReport = await createReport(ds, a.project, { period: '2014-06', status: ReportStatus.CONFIRMED });
    const yxReport = await createReport(ds, b.project, { period: '2014-06', status: ReportStatus.CONFIRMED });
    const role = await ds.manager.save(ds.manager.create(Role, {
      key: unique('locker'), name: 'Territory locker', description: null, builtIn: false,
      rules: [{ action: ['read', 'lock'], subject: 'MonthlyReport', conditions: { territoryId: { $in: '${scope.subtree}' } } }],
    }));
    const user = await createUser(ds);
    await bind(ds, user, role.key, 'MY-FC');
    const res = await t.gql(LOCK, { i: { period: '2014-06' } }, await t.login(user.username));
    expect(res.errors).toBeUndefined();
    expect(res.data.lockReportPeriod.movedReports).toBe(1);
    expect((await ds.manager.findOneByOrFail(MonthlyReport, { id: fcReport.id })).status).toBe('LOCKED');
    expect((await ds.manager.findOneByOrFail(MonthlyReport, { id: yxReport.id })).status).toBe('CONFIRMED');
  });

  it('refuses roles without a lock rule, and future months, changing nothing', async () => {
    const { project } = await reportingProject('MY-FC');
    await createReport(ds, project, { period: PERIOD, status: ReportStatus.CONFIRMED });
    const before = await snapshot(project.id);
    expect(codeOf(await t.gql(LOCK, { i: { period: PERIOD } }, await tokenFor('county_officer', 'MY-FC')))).toBe('FORBIDDEN');
    const future = await t.gql(LOCK, { i: { period: addMonths(currentMonth(), 1) } }, await tokenFor('jxj_officer', 'MY'));
    expect(errorOf(future).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'period' });
    expect(await snapshot(project.id)).toEqual(before);
  });
});
