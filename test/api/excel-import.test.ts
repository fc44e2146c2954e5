/**
 * Spreadsheet imports: the templates (Chinese headers, the viewer's own projects), imports that
 * create and change records through the same service functions as the single mutations, and files
 * with bad rows answered per row and column while nothing at all is written.
 */
import 'reflect-metadata';
import { DataSource, In } from 'typeorm';
import { managerOf } from '../../src/core/db/transaction';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { AuditEvent } from '../../src/modules/audit/audit-event.entity';
import { ConstructionStage, Project } from '../../src/modules/project/project.entity';
import { MonthlyReport, ReportStatus } from '../../src/modules/report/monthly-report.entity';
import { User } from '../../src/modules/user/user.entity';
import { codeOf, startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createEnterprise, createProject, createReport } from '../helpers/domain-factories';
import { createUserWithRole } from '../helpers/factories';
import { contextFor } from '../helpers/context';
import { inOneTransaction } from '../../src/modules/excel/import-runner';
import { saveMonthlyReport } from '../../src/modules/report/report.service';
import { editWorkbook, workbookOf, xlsxRows, xlsxSheetNames } from '../helpers/excel-sheets';

let ds: DataSource;
let t: TestApp;
const gid = (type: string, id: number) => toGlobalId(type, id);

const tokenFor = (role: string, scope: string, attrs: Partial<User> = {}) => t.tokenFor(role, scope, attrs);

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds, { RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});
afterEach(() => {
  const unhandled = t.logs.filter((l) => l.includes('unhandled error'));
  t.logs.length = 0;
  expect(unhandled).toEqual([]);
});

const REPORT_HEADERS = ['系统编号', '项目代码', '项目名称', '企业名称', '填报月份', '本月完成投资（万元）', '形象进度（%）', '进展情况', '存在问题', '数据版本'];
const PROJECT_HEADERS = [
  '统一社会信用代码', '项目名称', '项目代码', '属地', '所在园区', '建设地点', '行业代码', '建设性质', '技改方向', '建设内容', '总投资（万元）', '设备投资（万元）',
  '计划开工', '计划竣工', '储备批次',
];
const TEMPLATE = `query($period: Month!, $filter: ProjectFilter) { monthlyReportTemplate(period: $period, filter: $filter) { filename contentType base64 rowCount } }`;
const IMPORT_REPORTS = `mutation($i: SpreadsheetImportInput!) { importMonthlyReports(input: $i) { dryRun rowCount created updated unchanged skipped } }`;
const IMPORT_PROJECTS = `mutation($i: SpreadsheetImportInput!) { importProjects(input: $i) { dryRun rowCount created projectIds } }`;

let codeSeq = Math.floor(Math.random() * 900_000);
const projectCode = (region = '510726') => `2026-${region}-26-03-${String(++codeSeq).padStart(6, '0')}`;

/** An enterprise of `territory` with two projects under construction (one with a national code) and one still being planned. */
async function reportingEnterprise(territory: string) {
  const enterprise = await createEnterprise(ds, territory);
  const building = { stage: ConstructionStage.UNDER_CONSTRUCTION, plannedStart: '2016-01', actualStart: '2016-01', plannedCompletion: '2030-12' };
  const coded = await createProject(ds, enterprise, { ...building, projectCode: projectCode() });
  const uncoded = await createProject(ds, enterprise, building);
  const planning = await createProject(ds, enterprise, { plannedStart: '2016-01' });
  return { enterprise, coded, uncoded, planning };
}

/** What a refused import must leave as it was. */
async function counts(projectIds: number[]) {
  return {
    reports: await ds.manager.find(MonthlyReport, { where: { projectId: In(projectIds) }, order: { id: 'ASC' } }),
    allReports: await ds.manager.count(MonthlyReport),
    audit: await ds.manager.count(AuditEvent),
    projects: await ds.manager.count(Project),
  };
}

const rowsOf = (res: any) => res.errors?.[0]?.extensions?.rows as { row: number; column: string | null; message: string }[] | undefined;

describe('monthly report import', () => {
  it('requires authentication, and a rule to save reports', async () => {
    const file = await workbookOf('月报', [REPORT_HEADERS]);
    for (const [query, vars] of [
      [TEMPLATE, { period: '2016-03' }],
      [IMPORT_REPORTS, { i: { file } }],
      ['{ projectImportTemplate { base64 } }', {}],
      [IMPORT_PROJECTS, { i: { file } }],
    ] as const) {
      expect(codeOf(await t.gql(query, vars))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(query, vars, 'not-a-token'))).toBe('UNAUTHENTICATED');
    }
    const tjj = await tokenFor('tjj_officer', 'MY'); // reads reports, saves none
    expect(codeOf(await t.gql(TEMPLATE, { period: '2016-03' }, tjj))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(IMPORT_REPORTS, { i: { file } }, tjj))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(IMPORT_PROJECTS, { i: { file } }, tjj))).toBe('FORBIDDEN');
  });

  it("downloads a template with Chinese headers listing the viewer's reporting projects, pre-filled with the month's report", async () => {
    const mine = await reportingEnterprise('MY-BC');
    const theirs = await reportingEnterprise('MY-PW');
    await createReport(ds, mine.coded, { period: '2016-03', monthInvestment: '100', cumulativeInvestment: '100', progressPercent: '12.5', issues: '缺少用工' });
    const token = await tokenFor('county_officer', 'MY-BC');

    const res = await t.gql(TEMPLATE, { period: '2016-03', filter: { enterpriseId: gid('Enterprise', mine.enterprise.id) } }, token);
    expect(res.errors).toBeUndefined();
    const file = res.data.monthlyReportTemplate;
    expect(file).toMatchObject({ filename: '月报导入模板-2016-03.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', rowCount: 2 });
    expect(await xlsxSheetNames(file.base64)).toEqual(['月报', '填写说明']);
    const [header, ...rows] = await xlsxRows(file.base64, '月报');
    expect(header).toEqual(REPORT_HEADERS);
    expect(rows).toEqual([
      [gid('Project', mine.coded.id), mine.coded.projectCode, mine.coded.name, mine.enterprise.name, '2016-03', 100, 12.5, null, '缺少用工', 1],
      [gid('Project', mine.uncoded.id), null, mine.uncoded.name, mine.enterprise.name, '2016-03', null, null, null, null, null],
    ]);

    // Without a filter: every reporting project in scope, and nothing outside it.
    const all = await t.gql(TEMPLATE, { period: '2016-03' }, token);
    const ids = (await xlsxRows(all.data.monthlyReportTemplate.base64, '月报')).slice(1).map((r) => r[0]);
    expect(ids).toEqual(expect.arrayContaining([gid('Project', mine.coded.id), gid('Project', mine.uncoded.id)]));
    for (const p of [mine.planning, theirs.coded, theirs.uncoded]) expect(ids).not.toContain(gid('Project', p.id));

    expect(codeOf(await t.gql(TEMPLATE, { period: '2099-01' }, token))).toBe('BAD_USER_INPUT');
  });

  it('creates and updates reports from the filled-in template through saveMonthlyReport, and a second import of the same file changes nothing', async () => {
    const { enterprise, coded, uncoded } = await reportingEnterprise('MY-BC');
    const existing = await createReport(ds, coded, { period: '2016-03', monthInvestment: '100', cumulativeInvestment: '100', progressPercent: '10' });
    const token = await tokenFor('county_officer', 'MY-BC');
    const template = (await t.gql(TEMPLATE, { period: '2016-03', filter: { enterpriseId: gid('Enterprise', enterprise.id) } }, token)).data.monthlyReportTemplate;
    const file = await editWorkbook(template.base64, '月报', (sheet, col) => {
      // Row 2: the coded project's existing report, changed. Row 3: a new report for the uncoded one.
      sheet.getCell(2, col('本月完成投资（万元）')).value = 150;
      sheet.getCell(2, col('形象进度（%）')).value = '30';
      sheet.getCell(3, col('本月完成投资（万元）')).value = '80.25';
      sheet.getCell(3, col('形象进度（%）')).value = 10;
      sheet.getCell(3, col('存在问题')).value = '=需协调电力增容';
      // Row 4: the next month of the coded project, identified by its national code only.
      sheet.getCell(4, col('项目代码')).value = coded.projectCode;
      sheet.getCell(4, col('填报月份')).value = '2016年4月';
      sheet.getCell(4, col('本月完成投资（万元）')).value = 50;
      sheet.getCell(4, col('形象进度（%）')).value = 35;
    });

    const res = await t.gql(IMPORT_REPORTS, { i: { file } }, token);
    expect(res.errors).toBeUndefined();
    expect(res.data.importMonthlyReports).toEqual({ dryRun: false, rowCount: 3, created: 2, updated: 1, unchanged: 0, skipped: 0 });

    const stored = await ds.manager.find(MonthlyReport, { where: { projectId: In([coded.id, uncoded.id]) }, order: { projectId: 'ASC', period: 'ASC' } });
    expect(stored.map((r) => [r.projectId, r.period, r.monthInvestment, r.cumulativeInvestment, r.progressPercent, r.issues, r.status, r.version])).toEqual([
      [coded.id, '2016-03', '150', '150', '30', null, ReportStatus.OPEN, existing.version + 1],
      [coded.id, '2016-04', '50', '200', '35', null, ReportStatus.OPEN, 1],
      [uncoded.id, '2016-03', '80.25', '80.25', '10', '=需协调电力增容', ReportStatus.OPEN, 1],
    ]);
    // Audited like single saves.
    const audited = await ds.manager.find(AuditEvent, { where: { subjectType: 'MonthlyReport', recordId: In(stored.map((r) => r.id)) } });
    expect(audited.map((a) => a.action).sort()).toEqual(['create', 'create', 'save']);

    const again = await t.gql(IMPORT_REPORTS, { i: { file } }, token);
    expect(again.errors).toBeUndefined();
    expect(again.data.importMonthlyReports).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(await ds.manager.count(MonthlyReport, { where: { projectId: In([coded.id, uncoded.id]) } })).toBe(3);
  });

  it('answers every bad row by row number and Chinese column, and writes nothing', async () => {
    const { coded, uncoded, planning } = await reportingEnterprise('MY-BC');
    const outside = await reportingEnterprise('MY-PW');
    await createReport(ds, coded, { period: '2016-02' });
    const token = await tokenFor('county_officer', 'MY-BC');
    const before = await counts([coded.id, uncoded.id, outside.coded.id]);

    // Columns in another order than the template's, and an extra column: headers decide.
    const file = await workbookOf('月报', [
      ['备注', '填报月份', '系统编号', '项目代码', '本月完成投资（万元）', '形象进度（%）'],
      ['好', '2016-05', gid('Project', uncoded.id), null, '20', '5'], // 2: valid
      [null, '2016-13', gid('Project', uncoded.id), null, '20', '5'], // 3: bad period
      [null, '2016-06', gid('Project', uncoded.id), null, '-5', '5'], // 4: negative amount
      [null, '2016-06', null, '2026-510726-26-03-999999', '20', '5'], // 5: unknown project code
      [null, '2016-06', gid('Project', outside.coded.id), null, '20', '5'], // 6: outside the viewer's scope
      [null, '2016-06', null, outside.coded.projectCode, '20', '5'], // 7: outside, by code
      [null, '2016-07', gid('Project', uncoded.id), null, 'abc', '101'], // 8: not a number, progress over 100
      [null, '2016-05', gid('Project', uncoded.id), null, '1', '1'], // 9: same project and month as row 2
      [null, '2016-06', gid('Project', planning.id), null, '1', '1'], // 10: project not in a reporting stage
      [null, '2016-02', gid('Project', coded.id), null, '1', '1'], // 11: report exists, no version given (from saveMonthlyReport)
      [null, null, null, null, null, null],
    ]);
    const res = await t.gql(IMPORT_REPORTS, { i: { file } }, token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions!.field).toBe('input.file');
    expect(res.errors![0].message).toMatch(/未导入任何数据/);
    const rows = rowsOf(res)!;
    expect(rows.map((e) => [e.row, e.column])).toEqual([
      [3, '填报月份'],
      [4, '本月完成投资（万元）'],
      [5, '项目代码'],
      [6, '系统编号'],
      [7, '项目代码'],
      [8, '本月完成投资（万元）'],
      [8, '形象进度（%）'],
      [9, '填报月份'],
      [10, '系统编号'],
      [11, '数据版本'],
    ]);
    expect(rows.find((e) => e.row === 4)!.message).toBe('本月完成投资不能为负数');
    expect(rows.find((e) => e.row === 6)!.message).toBe('未找到该项目，或该项目不在您的权限范围内');
    expect(res.errors![0].extensions!.errorCount).toBe(10);
    expect(await counts([coded.id, uncoded.id, outside.coded.id])).toEqual(before);
  });

  it('rolls back rows already written when a later row fails in the service (one transaction)', async () => {
    const { coded, uncoded } = await reportingEnterprise('MY-BC');
    const submitted = await createReport(ds, coded, { period: '2016-08', status: ReportStatus.SUBMITTED });
    const open = await createReport(ds, uncoded, { period: '2016-08' });
    const token = await tokenFor('county_officer', 'MY-BC');
    const before = await counts([coded.id, uncoded.id]);
    const file = await workbookOf('月报', [
      REPORT_HEADERS,
      [gid('Project', coded.id), null, null, null, '2016-09', '10', '10', null, null, null], // 2: new, valid
      [gid('Project', uncoded.id), null, null, null, '2016-09', '10', '10', null, null, null], // 3: new, valid
      [gid('Project', uncoded.id), null, null, null, '2016-08', '99', '10', null, null, open.version + 5], // 4: stale version
      [gid('Project', coded.id), null, null, null, '2016-08', '99', '10', null, null, submitted.version], // 5: submitted, cannot change
    ]);
    const res = await t.gql(IMPORT_REPORTS, { i: { file } }, token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(rowsOf(res)!.map((e) => [e.row, e.column])).toEqual([
      [4, '数据版本'],
      [5, null],
    ]);
    expect(rowsOf(res)![1].message).toMatch(/已报送/);
    // Rows 2 and 3 were saved inside the import's transaction, and rolled back with it.
    expect(await counts([coded.id, uncoded.id])).toEqual(before);
  });

  it('checks a file without writing it on a dry run (as an enterprise user, for its own projects)', async () => {
    const { enterprise, coded } = await reportingEnterprise('MY-BC');
    const other = await reportingEnterprise('MY-BC');
    const token = await tokenFor('enterprise_user', 'MY-BC', { enterpriseId: enterprise.id });
    const before = await counts([coded.id, other.coded.id]);
    const good = await workbookOf('月报', [REPORT_HEADERS, [gid('Project', coded.id), null, null, null, '2016-10', '10', '10', null, null, null]]);
    const dry = await t.gql(IMPORT_REPORTS, { i: { file: good, dryRun: true } }, token);
    expect(dry.errors).toBeUndefined();
    expect(dry.data.importMonthlyReports).toEqual({ dryRun: true, rowCount: 1, created: 1, updated: 0, unchanged: 0, skipped: 0 });
    expect(await counts([coded.id, other.coded.id])).toEqual(before);

    // Another enterprise's project of the same county is outside an enterprise user's scope.
    const foreign = await workbookOf('月报', [REPORT_HEADERS, [gid('Project', other.coded.id), null, null, null, '2016-10', '10', '10', null, null, null]]);
    const res = await t.gql(IMPORT_REPORTS, { i: { file: foreign, dryRun: true } }, token);
    expect(rowsOf(res)).toEqual([{ row: 2, column: '系统编号', message: '未找到该项目，或该项目不在您的权限范围内' }]);
  });

  it('refuses files that are not the template: unreadable, missing columns, empty, too large', async () => {
    const token = await tokenFor('county_officer', 'MY-BC');
    const unreadable = await t.gql(IMPORT_REPORTS, { i: { file: Buffer.from('名称,金额\n a,1\n').toString('base64') } }, token);
    expect(rowsOf(unreadable)).toEqual([{ row: 1, column: null, message: expect.stringMatching(/^无法读取文件/) }]);

    const missing = await t.gql(IMPORT_REPORTS, { i: { file: await workbookOf('月报', [['系统编号', '填报月份'], ['x', '2016-01']]) } }, token);
    expect(rowsOf(missing)!.map((e) => [e.row, e.column])).toEqual([
      [1, '本月完成投资（万元）'],
      [1, '形象进度（%）'],
    ]);

    const empty = await t.gql(IMPORT_REPORTS, { i: { file: await workbookOf('月报', [REPORT_HEADERS]) } }, token);
    expect(rowsOf(empty)).toEqual([{ row: 1, column: null, message: '文件中没有数据行' }]);

    const tooMany = [REPORT_HEADERS, ...Array.from({ length: 1001 }, () => ['x', null, null, null, '2016-01', '1', '1', null, null, null])];
    const tooLong = await t.gql(IMPORT_REPORTS, { i: { file: await workbookOf('月报', tooMany) } }, token);
    expect(rowsOf(tooLong)).toEqual([{ row: 1, column: null, message: '一次最多导入 1000 行，请拆分文件' }]);

    const notBase64 = await t.gql(IMPORT_REPORTS, { i: { file: '!!!' } }, token);
    expect(notBase64.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.file' });

    // Over the body limit: the server refuses the request before GraphQL sees it.
    const huge = await t.gql(IMPORT_REPORTS, { i: { file: 'A'.repeat(1100 * 1024) } }, token);
    expect(huge.status).toBe(413);
  });
});

describe('project import', () => {
  it('downloads a template with Chinese headers and the territories the viewer may use', async () => {
    const token = await tokenFor('county_officer', 'MY-BC');
    const res = await t.gql('{ projectImportTemplate { filename base64 } }', {}, token);
    expect(res.errors).toBeUndefined();
    expect(res.data.projectImportTemplate.filename).toBe('项目导入模板.xlsx');
    expect(await xlsxSheetNames(res.data.projectImportTemplate.base64)).toEqual(['项目', '属地列表', '填写说明']);
    expect((await xlsxRows(res.data.projectImportTemplate.base64, '项目'))[0]).toEqual(PROJECT_HEADERS);
    const units = (await xlsxRows(res.data.projectImportTemplate.base64, '属地列表')).slice(1).map((r) => r[0]);
    expect(units).toEqual(['北川羌族自治县', '北川经济开发区']);
  });

  it('creates projects through createProject, all in one transaction', async () => {
    const enterprise = await createEnterprise(ds, 'MY-BC');
    const token = await tokenFor('county_officer', 'MY-BC');
    const name1 = `智能化改造${Date.now()}`;
    const name2 = `园区扩建${Date.now()}`;
    const code = projectCode();
    const file = await workbookOf('项目', [
      PROJECT_HEADERS,
      [enterprise.creditCode, name1, null, null, null, '北川县城', null, '改建和技术改造', '智能化、数字化', '产线改造', 2600, '1800.5', '2027-01', '2027-12', '十四五'],
      [enterprise.creditCode.toLowerCase(), name2, code, '北川经济开发区', 'MY-BC-KFQ', null, 'C3311', 'EXPANSION', null, null, '900', '0', '2027/3', '2028年6月', null],
    ]);
    const res = await t.gql(IMPORT_PROJECTS, { i: { file } }, token);
    expect(res.errors).toBeUndefined();
    expect(res.data.importProjects).toMatchObject({ dryRun: false, rowCount: 2, created: 2 });
    const [first, second] = await Promise.all(
      (res.data.importProjects.projectIds as string[]).map((id) => t.gql(
        `query($id: ID!) { project(id: $id) { name projectCode territory { code } park { code } industryCode constructionNature techniques totalInvestment equipmentInvestment plannedStart plannedCompletion reserveBatch libraryStatus stage enterprise { id } } }`,
        { id },
        token,
      )),
    );
    expect(first.data.project).toEqual({
      name: name1, projectCode: null, territory: { code: 'MY-BC' }, park: null, industryCode: enterprise.industryCode, constructionNature: 'RENOVATION',
      techniques: ['SMART', 'DIGITAL'], totalInvestment: '2600', equipmentInvestment: '1800.5', plannedStart: '2027-01', plannedCompletion: '2027-12',
      reserveBatch: '十四五', libraryStatus: 'DRAFT', stage: 'PLANNING', enterprise: { id: gid('Enterprise', enterprise.id) },
    });
    expect(second.data.project).toMatchObject({
      name: name2, projectCode: code, territory: { code: 'MY-BC-KFQ' }, park: { code: 'MY-BC-KFQ' }, industryCode: 'C3311', constructionNature: 'EXPANSION',
      plannedStart: '2027-03', plannedCompletion: '2028-06',
    });
    const ids = await ds.manager.find(Project, { where: { enterpriseId: enterprise.id }, select: { id: true } });
    expect(await ds.manager.count(AuditEvent, { where: { subjectType: 'Project', action: 'create', recordId: In(ids.map((p) => p.id)) } })).toBe(2);

    // The same file again: the names are taken, so nothing is created twice.
    const again = await t.gql(IMPORT_PROJECTS, { i: { file } }, token);
    expect(rowsOf(again)!.map((e) => [e.row, e.column])).toEqual([
      [2, '项目名称'],
      [3, '项目名称'],
    ]);
    expect(await ds.manager.count(Project, { where: { enterpriseId: enterprise.id } })).toBe(2);
  });

  it('answers bad rows per row and column and creates nothing', async () => {
    const enterprise = await createEnterprise(ds, 'MY-BC');
    const outside = await createEnterprise(ds, 'MY-PW');
    const taken = await createProject(ds, outside, { projectCode: projectCode('510727') });
    const token = await tokenFor('county_officer', 'MY-BC');
    const before = await counts([]);
    const row = (over: Partial<Record<string, string | number | null>>) =>
      PROJECT_HEADERS.map((h) => (h in over ? over[h]! : ({
        统一社会信用代码: enterprise.creditCode, 项目名称: `项目${Math.random()}`, 建设性质: '新建', '总投资（万元）': '100', '设备投资（万元）': '50', 计划开工: '2027-01', 计划竣工: '2027-06',
      } as Record<string, string>)[h] ?? null));
    const file = await workbookOf('项目', [
      PROJECT_HEADERS,
      row({}), // 2: valid
      row({ 统一社会信用代码: outside.creditCode }), // 3: enterprise outside the viewer's scope
      row({ 建设性质: '翻新' }), // 4: unknown construction nature
      row({ '设备投资（万元）': '200' }), // 5: equipment above the total
      row({ 计划开工: '明年' }), // 6: not a month
      row({ 属地: '平武县' }), // 7: a territory outside the viewer's scope
      row({ 项目代码: taken.projectCode }), // 8: code already registered (from createProject)
      row({ '总投资（万元）': '-1' }), // 9: negative
    ]);
    const res = await t.gql(IMPORT_PROJECTS, { i: { file } }, token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(rowsOf(res)!.map((e) => [e.row, e.column])).toEqual([
      [3, '统一社会信用代码'],
      [4, '建设性质'],
      [5, '设备投资（万元）'],
      [6, '计划开工'],
      [7, '属地'],
      [8, '项目代码'],
      [9, '总投资（万元）'],
    ]);
    expect(await counts([])).toEqual(before);
    expect(await ds.manager.count(Project, { where: { enterpriseId: In([enterprise.id, outside.id]) } })).toBe(1);
  });
});

describe('the import transaction', () => {
  it('stops before the request time limit and rolls back what it wrote', async () => {
    const { coded } = await reportingEnterprise('MY-BC');
    const ctx = await contextFor(ds, await createUserWithRole(ds, 'county_officer', 'MY-BC'));
    ctx.config = { ...ctx.config, requestTimeoutMs: 1000 }; // leaves the minimum of 1 s
    await expect(
      inOneTransaction(ctx, false, async (run) => {
        await saveMonthlyReport(run.tx, { projectId: gid('Project', coded.id), period: '2016-11', monthInvestment: '1', progressPercent: '1' });
        await new Promise((resolve) => setTimeout(resolve, 1100));
        run.checkTime();
      }),
    ).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(await ds.manager.count(MonthlyReport, { where: { projectId: coded.id } })).toBe(0);
  });

  it('lets the services join it as savepoints', async () => {
    const { coded } = await reportingEnterprise('MY-BC');
    const ctx = await contextFor(ds, await createUserWithRole(ds, 'county_officer', 'MY-BC'));
    const seen = await inOneTransaction(ctx, true, async (run) => {
      await saveMonthlyReport(run.tx, { projectId: gid('Project', coded.id), period: '2016-11', monthInvestment: '1', progressPercent: '1' });
      // Visible inside the transaction, through the context's manager…
      return managerOf(run.tx).count(MonthlyReport, { where: { projectId: coded.id } });
    });
    expect(seen).toBe(1);
    // …and gone after the dry run's rollback.
    expect(await ds.manager.count(MonthlyReport, { where: { projectId: coded.id } })).toBe(0);
  });
});
