/**
 * Spreadsheet exports: the same rows, order and values as the list a viewer pages through, with the
 * same filter; rows outside the viewer's scope absent; fields the viewer may not read empty;
 * formula-like text neutralised; CSV readable by Excel (BOM, RFC 4180); and the row cap.
 */
import 'reflect-metadata';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { normalizeDecimal } from '../../src/core/db/decimal';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { FundApplicationStatus } from '../../src/modules/fund/fund-application.entity';
import { LandRequestStatus } from '../../src/modules/land/land-request.entity';
import { ConstructionStage, LibraryStatus } from '../../src/modules/project/project.entity';
import { exportList, PROJECT_EXPORT } from '../../src/modules/excel/export.service';
import { LIBRARY_STATUS_LABELS, STAGE_LABELS } from '../../src/modules/excel/labels';
import { SheetFormat } from '../../src/modules/excel/sheet-format';
import { assertZipWithinLimits, ZipProblem } from '../../src/modules/excel/zip-limits';
import { ProjectOrderField } from '../../src/modules/project/project.inputs';
import { OrderDirection } from '../../src/core/graphql/ordering';
import { codeOf, startTestApp, TestApp } from '../helpers/app';
import { contextFor } from '../helpers/context';
import { openTestDatabase } from '../helpers/database';
import { createEnterprise, createFundApplication, createFundProgram, createLandRequest, createProject, createReport } from '../helpers/domain-factories';
import { createUserWithRole } from '../helpers/factories';
import { Cell, csvRows, xlsxRows } from '../helpers/excel-sheets';

let ds: DataSource;
let t: TestApp;
const gid = (type: string, id: number) => toGlobalId(type, id);

const tokenFor = (role: string, scope: string, attrs = {}) => t.tokenFor(role, scope, attrs);

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

const FILE = 'filename contentType base64 rowCount byteLength';

/** Every node of a connection, paging forward with `first: 100`. */
async function allNodes(field: string, args: string, selection: string, variables: Record<string, unknown>, token: string): Promise<any[]> {
  const nodes: any[] = [];
  let after: string | null = null;
  for (;;) {
    const res: any = await t.gql(
      `query($after: String, ${args}) { ${field}(first: 100, after: $after, ${args.replace(/\$(\w+):[^,]+/g, '$1: $$$1')}) { pageInfo { hasNextPage endCursor } edges { node { ${selection} } } } }`,
      { ...variables, after },
      token,
    );
    expect(res.errors).toBeUndefined();
    nodes.push(...res.data[field].edges.map((e: any) => e.node));
    if (!res.data[field].pageInfo.hasNextPage) return nodes;
    after = res.data[field].pageInfo.endCursor;
  }
}

/** Rows of an exported file as objects keyed by header, XLSX or CSV alike (numbers as canonical decimal text). */
async function exportedRecords(file: { base64: string; contentType: string }): Promise<Record<string, string | null>[]> {
  let rows: (Cell | string)[][];
  if (file.contentType.startsWith('text/csv')) {
    const text = Buffer.from(file.base64, 'base64').toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    rows = csvRows(text.slice(1));
  } else rows = await xlsxRows(file.base64);
  const [header, ...data] = rows;
  return data.map((r) =>
    Object.fromEntries(
      header.map((h, i) => {
        const v = r[i];
        const text = v === null || v === undefined || v === '' ? null : typeof v === 'number' ? normalizeDecimal(v) : v instanceof Date ? v.toISOString() : String(v);
        return [String(h), text];
      }),
    ),
  );
}

describe('exports', () => {
  it('require authentication', async () => {
    for (const query of [
      `{ projectsExport { base64 } }`,
      `{ enterprisesExport(format: CSV) { base64 } }`,
      `{ monthlyReportsExport { base64 } }`,
      `{ fundApplicationsExport { base64 } }`,
      `{ landRequestsExport { base64 } }`,
    ]) {
      expect(codeOf(await t.gql(query))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql(query, {}, 'not-a-token'))).toBe('UNAUTHENTICATED');
    }
  });

  it('are refused to roles with no read rule on the subject', async () => {
    const zrzy = await tokenFor('zrzy_officer', 'MY');
    expect(codeOf(await t.gql(`{ monthlyReportsExport { base64 } }`, {}, zrzy))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(`{ fundApplicationsExport { base64 } }`, {}, zrzy))).toBe('FORBIDDEN');
  });

  it('hold exactly the rows and values the projects list gives for the same filter, order and viewer (XLSX and CSV)', async () => {
    const fc = await createEnterprise(ds, 'MY-YX');
    const fcPark = await createEnterprise(ds, 'MY-YX-GXY'); // a county-run park: in the county's scope
    const yx = await createEnterprise(ds, 'MY-XH'); // a city-run park on the county's land: not in it
    const stage = { stage: ConstructionStage.UNDER_CONSTRUCTION, actualStart: '2025-01', libraryStatus: LibraryStatus.IN_LIBRARY };
    // Equal amounts on purpose: the order's ties are broken by id, in the list and the export alike.
    const mine = [
      await createProject(ds, fc, { ...stage, totalInvestment: '3500.25', projectCode: `2026-510704-26-03-${String(Date.now() % 1e6).padStart(6, '0')}` }),
      await createProject(ds, fc, { ...stage, totalInvestment: '900' }),
      await createProject(ds, fcPark, { ...stage, totalInvestment: '900' }),
      await createProject(ds, fc, { ...stage, totalInvestment: '12000.5', name: `=HYPERLINK("http://x","点我"),含逗号"引号"${Date.now()}` }),
    ];
    const filteredOut = await createProject(ds, fc, { totalInvestment: '5000' }); // stage PLANNING
    const outOfScope = await createProject(ds, yx, { ...stage, totalInvestment: '5000' });
    const token = await tokenFor('county_officer', 'MY-YX');

    const filter = { stages: ['UNDER_CONSTRUCTION'], totalInvestment: { min: '100' } };
    const orderBy = { field: 'TOTAL_INVESTMENT', direction: 'DESC' };
    const listed = await allNodes(
      'projects',
      '$filter: ProjectFilter, $orderBy: ProjectOrder',
      'id name projectCode totalInvestment equipmentInvestment plannedStart actualStart stage libraryStatus enterprise { name creditCode } territory { name }',
      { filter, orderBy },
      token,
    );
    const listedIds = listed.map((n) => n.id);
    for (const p of mine) expect(listedIds).toContain(gid('Project', p.id));
    expect(listedIds).not.toContain(gid('Project', filteredOut.id));
    expect(listedIds).not.toContain(gid('Project', outOfScope.id));

    for (const format of ['XLSX', 'CSV']) {
      const res = await t.gql(
        `query($filter: ProjectFilter, $orderBy: ProjectOrder, $format: SheetFormat!) { projectsExport(filter: $filter, orderBy: $orderBy, format: $format) { ${FILE} } }`,
        { filter, orderBy, format },
        token,
      );
      expect(res.errors).toBeUndefined();
      const file = res.data.projectsExport;
      expect(file.filename).toMatch(format === 'CSV' ? /^技改项目-\d{8}-\d{4}\.csv$/ : /^技改项目-\d{8}-\d{4}\.xlsx$/);
      expect(file.rowCount).toBe(listed.length);
      expect(Buffer.from(file.base64, 'base64').length).toBe(file.byteLength);
      const records = await exportedRecords(file);
      expect(records.map((r) => r['系统编号'])).toEqual(listedIds);
      const unquote = (v: string | null) => (v?.startsWith("'=") ? v.slice(1) : v);
      expect(
        records.map((r) => ({
          id: r['系统编号'],
          name: unquote(r['项目名称']),
          projectCode: r['项目代码'],
          totalInvestment: r['总投资（万元）'],
          equipmentInvestment: r['设备投资（万元）'],
          plannedStart: r['计划开工'],
          actualStart: r['实际开工'],
          stage: r['建设阶段'],
          libraryStatus: r['入库状态'],
          enterprise: r['企业名称'],
          creditCode: r['统一社会信用代码'],
          territory: r['属地'],
        })),
      ).toEqual(
        listed.map((n) => ({
          id: n.id,
          name: n.name,
          projectCode: n.projectCode,
          totalInvestment: n.totalInvestment,
          equipmentInvestment: n.equipmentInvestment,
          plannedStart: n.plannedStart,
          actualStart: n.actualStart,
          stage: STAGE_LABELS[n.stage as ConstructionStage],
          libraryStatus: LIBRARY_STATUS_LABELS[n.libraryStatus as LibraryStatus],
          enterprise: n.enterprise?.name ?? null,
          creditCode: n.enterprise?.creditCode ?? null,
          territory: n.territory?.name ?? null,
        })),
      );
      // Formula-like text stays text: a leading apostrophe in both formats.
      const dangerous = records.find((r) => r['系统编号'] === gid('Project', mine[3].id))!;
      expect(dangerous['项目名称']).toBe(`'${mine[3].name}`);
    }
  });

  it('write CSV as UTF-8 with a BOM, CRLF rows and RFC 4180 quoting', async () => {
    const enterprise = await createEnterprise(ds, 'MY-AZ', { name: `安州,"联合"企业${Date.now()}` });
    await createProject(ds, enterprise, { name: `多行\r\n名称${Date.now()}`, content: '@SUM(A1)' });
    const token = await tokenFor('county_officer', 'MY-AZ');
    const res = await t.gql(
      `query($f: EnterpriseFilter) { enterprisesExport(filter: $f, format: CSV) { ${FILE} } }`,
      { f: { search: enterprise.creditCode } },
      token,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.enterprisesExport.contentType).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(res.data.enterprisesExport.base64, 'base64');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe('系统编号,统一社会信用代码,企业名称,行业代码,属地,企业规模,企业标签,地址,联系人,联系电话');
    expect(text).toContain(`"${enterprise.name.replace(/"/g, '""')}"`);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = csvRows(text);
    expect(rows).toHaveLength(2);
    expect(rows[1][2]).toBe(enterprise.name);
    expect(rows[1][4]).toBe('安州区');
  });

  it('leave fund application expert scores empty for enterprise and county users before public notice, as the list does', async () => {
    const enterprise = await createEnterprise(ds, 'MY-JY');
    const project = await createProject(ds, enterprise, { libraryStatus: LibraryStatus.IN_LIBRARY });
    const otherProject = await createProject(ds, enterprise, { libraryStatus: LibraryStatus.IN_LIBRARY });
    const review = await createFundProgram(ds);
    const notice = await createFundProgram(ds);
    const inReview = await createFundApplication(ds, review, project, {
      status: FundApplicationStatus.EXPERT_REVIEW, expertScore: '88.5', expertOpinion: '=cmd|建议支持', proposedAmount: '40',
    });
    const published = await createFundApplication(ds, notice, otherProject, {
      status: FundApplicationStatus.PUBLIC_NOTICE, expertScore: '91', expertOpinion: '支持', proposedAmount: '45',
    });
    const filter = { enterpriseId: gid('Enterprise', enterprise.id) };
    const tokens = {
      enterprise: await tokenFor('enterprise_user', 'MY-JY', { enterpriseId: enterprise.id }),
      county: await tokenFor('county_officer', 'MY-JY'),
      jxj: await tokenFor('jxj_officer', 'MY'),
    };
    const seen: Record<string, Record<string, unknown>> = {};
    for (const [who, token] of Object.entries(tokens)) {
      const listed = await allNodes('fundApplications', '$filter: FundApplicationFilter', 'id expertScore expertOpinion proposedAmount requestedAmount', { filter }, token);
      const res = await t.gql(`query($filter: FundApplicationFilter) { fundApplicationsExport(filter: $filter) { ${FILE} } }`, { filter }, token);
      expect(res.errors).toBeUndefined();
      const records = await exportedRecords(res.data.fundApplicationsExport);
      const unquote = (v: string | null) => (v?.startsWith("'=") ? v.slice(1) : v);
      expect(records.map((r) => ({ id: r['系统编号'], expertScore: r['专家评分'], expertOpinion: unquote(r['专家意见']), proposedAmount: r['拟分配金额（万元）'], requestedAmount: r['申请金额（万元）'] })))
        .toEqual(listed);
      seen[who] = Object.fromEntries(records.map((r) => [r['系统编号'], r['专家评分']]));
    }
    for (const who of ['enterprise', 'county']) {
      expect(seen[who]).toEqual({ [gid('FundApplication', inReview.id)]: null, [gid('FundApplication', published.id)]: '91' });
    }
    expect(seen.jxj).toEqual({ [gid('FundApplication', inReview.id)]: '88.5', [gid('FundApplication', published.id)]: '91' });
  });

  it('leave land deal prices empty for enterprise users, and show them to natural resources and the owning territory', async () => {
    const enterprise = await createEnterprise(ds, 'MY-ST');
    const project = await createProject(ds, enterprise);
    const land = await createLandRequest(ds, project, { status: LandRequestStatus.TRANSACTED, dealPrice: '1260.5', plotNo: 'ST-2026-01' });
    const filter = { projectId: gid('Project', project.id) };
    const price = async (token: string) => {
      const res = await t.gql(`query($filter: LandRequestFilter) { landRequestsExport(filter: $filter, format: CSV) { ${FILE} } }`, { filter }, token);
      expect(res.errors).toBeUndefined();
      const listed = await allNodes('landRequests', '$filter: LandRequestFilter', 'id dealPrice', { filter }, token);
      const records = await exportedRecords(res.data.landRequestsExport);
      expect(records.map((r) => ({ id: r['系统编号'], dealPrice: r['成交价（万元）'] }))).toEqual(listed);
      expect(records.map((r) => r['系统编号'])).toEqual([gid('LandRequest', land.id)]);
      return records[0]['成交价（万元）'];
    };
    expect(await price(await tokenFor('enterprise_user', 'MY-ST', { enterpriseId: enterprise.id }))).toBeNull();
    expect(await price(await tokenFor('zrzy_officer', 'MY'))).toBe('1260.5');
    expect(await price(await tokenFor('county_officer', 'MY-ST'))).toBe('1260.5');
  });

  it("export monthly reports within the viewer's scope only, newest period first as the list", async () => {
    const mine = await createProject(ds, await createEnterprise(ds, 'MY-YT'), { stage: ConstructionStage.UNDER_CONSTRUCTION });
    const theirs = await createProject(ds, await createEnterprise(ds, 'MY-ZT'), { stage: ConstructionStage.UNDER_CONSTRUCTION });
    await createReport(ds, mine, { period: '2019-01', monthInvestment: '10.5', cumulativeInvestment: '10.5' });
    await createReport(ds, mine, { period: '2019-02', monthInvestment: '20', cumulativeInvestment: '30.5', issues: '+缺电' });
    await createReport(ds, theirs, { period: '2019-02' });
    const token = await tokenFor('county_officer', 'MY-YT');
    const filter = { period: { min: '2019-01', max: '2019-02' } };
    const listed = await allNodes('monthlyReports', '$filter: MonthlyReportFilter', 'id period monthInvestment cumulativeInvestment issues', { filter }, token);
    const res = await t.gql(`query($filter: MonthlyReportFilter) { monthlyReportsExport(filter: $filter) { ${FILE} } }`, { filter }, token);
    expect(res.errors).toBeUndefined();
    const records = await exportedRecords(res.data.monthlyReportsExport);
    expect(records.map((r) => ({
      id: r['系统编号'], period: r['填报月份'], monthInvestment: r['本月完成投资（万元）'], cumulativeInvestment: r['累计完成投资（万元）'],
      issues: r['存在问题']?.startsWith("'+") ? r['存在问题'].slice(1) : r['存在问题'],
    }))).toEqual(listed);
    expect(records.some((r) => r['项目名称'] === theirs.name)).toBe(false);
    expect(records.filter((r) => r['项目名称'] === mine.name).map((r) => r['填报月份'])).toEqual(['2019-02', '2019-01']);
    expect(records.find((r) => r['填报月份'] === '2019-02' && r['项目名称'] === mine.name)!['存在问题']).toBe("'+缺电");
  });

  it('page through the scoped query in chunks, with the same rows as one pass, and refuse more rows than the cap', async () => {
    const enterprise = await createEnterprise(ds, 'MY-PW');
    for (const total of ['10', '20', '20', '20', '30', '40', '50']) await createProject(ds, enterprise, { totalInvestment: total });
    const user = await createUserWithRole(ds, 'county_officer', 'MY-PW');
    const ctx = await contextFor(ds, user);
    const filter = { enterpriseId: gid('Enterprise', enterprise.id) };
    const orderBy = { field: ProjectOrderField.TOTAL_INVESTMENT, direction: OrderDirection.DESC };
    const whole = await exportList(ctx, PROJECT_EXPORT, filter, orderBy, SheetFormat.CSV, { maxRows: 100, chunk: 1000 });
    const chunked = await exportList(ctx, PROJECT_EXPORT, filter, orderBy, SheetFormat.CSV, { maxRows: 100, chunk: 2 });
    expect(chunked.rowCount).toBe(7);
    expect(chunked.base64).toBe(whole.base64);
    const ids = csvRows(Buffer.from(chunked.base64, 'base64').toString('utf8').slice(1)).slice(1).map((r) => r[0]);
    expect(new Set(ids).size).toBe(7);

    await expect(exportList(ctx, PROJECT_EXPORT, filter, orderBy, SheetFormat.XLSX, { maxRows: 6, chunk: 2 })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'filter', rowCount: 7, limit: 6 },
    });
  });

  it('refuse a hidden field as a filter, as the list does', async () => {
    const zrzy = await tokenFor('zrzy_officer', 'MY');
    const res = await t.gql(`{ landRequestsExport(filter: { dealPrice: { min: "1" } }) { base64 } }`, {}, zrzy);
    expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('workbook limits', () => {
  it('refuse an archive that expands beyond the limit, and one that is not a ZIP', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('x');
    for (let i = 0; i < 2000; i++) sheet.addRow(['a'.repeat(200)]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(() => assertZipWithinLimits(file)).not.toThrow();
    expect(() => assertZipWithinLimits(file, 64 * 1024)).toThrow(ZipProblem);
    expect(() => assertZipWithinLimits(Buffer.from('not a zip at all, just some text of a decent length'))).toThrow(ZipProblem);
  });
});
