/**
 * The read path: rows hydrated without TypeORM's transformer equal what `getMany()` gives, and list,
 * nested-list and loader queries select only the columns their GraphQL selection reads — through
 * aliases and fragments — while anything that evaluates rules on a row (viewerCan, hideable
 * fields) still reads the whole row.
 */
import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { JoinedToOne, readRows } from '../../src/core/db/read-rows';
import { scopedQuery } from '../../src/core/db/scoped';
import { toGlobalId } from '../../src/core/graphql/global-id';
import * as loaders from '../../src/core/graphql/loaders';
import { Enterprise } from '../../src/modules/enterprise/enterprise.entity';
import { enterpriseOf, joinEnterprise } from '../../src/modules/enterprise/enterprise.service';
import { FundApplication } from '../../src/modules/fund/fund-application.entity';
import { FundProgram } from '../../src/modules/fund/fund-program.entity';
import { LandRequest } from '../../src/modules/land/land-request.entity';
import { OrgUnit } from '../../src/modules/org/org-unit.entity';
import { Project } from '../../src/modules/project/project.entity';
import { MonthlyReport } from '../../src/modules/report/monthly-report.entity';
import { Role } from '../../src/modules/user/role.entity';
import { RoleBinding } from '../../src/modules/user/role-binding.entity';
import { User } from '../../src/modules/user/user.entity';
import { startTestApp, TestApp } from '../helpers/app';
import { contextFor } from '../helpers/context';
import { openTestDatabase } from '../helpers/database';
import { createEnterprise, createFundApplication, createFundProgram, createLandRequest, createProject, createReport } from '../helpers/domain-factories';
import { createUserWithRole, unitByCode } from '../helpers/factories';
import { countStatements } from '../helpers/sql-counter';

let ds: DataSource;
let t: TestApp;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

/** The statements of one GraphQL request, with the request's data. */
async function traced(query: string, token: string, variables: Record<string, unknown> = {}) {
  const { result, statements } = await countStatements(ds, () => t.gql(query, variables, token));
  expect(result.errors).toBeUndefined();
  return { data: result.data, statements };
}

/** For each row-reading SELECT on `table` (not counts), the columns named by the SELECT that reads it, each once, sorted. */
function selectsOn(statements: string[], table: string): string[][] {
  return statements
    .filter((s) => /^SELECT/i.test(s) && new RegExp(`FROM [\`"]${table}[\`"]`).test(s) && !/COUNT\(/i.test(s))
    .map((s) => {
      // The SELECT that reads the table (a nested page reads it in a derived table).
      const from = s.search(new RegExp(`FROM [\`"]${table}[\`"]`));
      const list = s.slice(s.lastIndexOf('SELECT', from), from);
      return [...new Set([...list.matchAll(/[`"](\w+)[`"]\.[`"](\w+)[`"]/g)].map((m) => m[2]))].sort();
    });
}

describe('hydration', () => {
  const sameAsGetMany = async <T extends ObjectLiteral>(qb: () => SelectQueryBuilder<T>) => {
    const expected = await qb().getMany();
    const actual = await readRows(qb());
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
    actual.forEach((row, i) => expect(Object.getPrototypeOf(row)).toBe(Object.getPrototypeOf(expected[i])));
  };

  it('gives the same entities as getMany for every kind of column, on this dialect', async () => {
    const enterprise = await createEnterprise(ds, 'MY-FC', { tagFlags: 5, address: '绵阳市涪城区', contactPhone: null });
    const project = await createProject(ds, enterprise, { content: '改造内容', projectCode: null, statsRegisteredAt: new Date('2026-03-04T05:06:07Z') });
    await createReport(ds, project, { period: '2026-02' });
    const program = await createFundProgram(ds);
    await createFundApplication(ds, program, project, { expertScore: '88.5' });
    await createLandRequest(ds, project);

    await sameAsGetMany(() => ds.manager.createQueryBuilder(Enterprise, 'e').where('e.id = :id', { id: enterprise.id }));
    await sameAsGetMany(() => ds.manager.createQueryBuilder(Project, 'p').where('p.id = :id', { id: project.id }));
    await sameAsGetMany(() => ds.manager.createQueryBuilder(MonthlyReport, 'r').where('r.projectId = :id', { id: project.id }));
    await sameAsGetMany(() => ds.manager.createQueryBuilder(FundApplication, 'fa').where('fa.projectId = :id', { id: project.id }));
    await sameAsGetMany(() => ds.manager.createQueryBuilder(FundProgram, 'fp').where('fp.id = :id', { id: program.id }));
    await sameAsGetMany(() => ds.manager.createQueryBuilder(LandRequest, 'lr').where('lr.projectId = :id', { id: project.id }));
    await sameAsGetMany(() => ds.manager.createQueryBuilder(OrgUnit, 'u').orderBy('u.id'));
    await sameAsGetMany(() => ds.manager.createQueryBuilder(Role, 'r').orderBy('r.id'));
    const user = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    await sameAsGetMany(() => ds.manager.createQueryBuilder(User, 'u').where('u.id = :id', { id: user.id }));
    await sameAsGetMany(() => ds.manager.createQueryBuilder(RoleBinding, 'rb').where('rb.userId = :id', { id: user.id }));
  });

  it('gives a projected row only its columns and the key; reading any other column throws', async () => {
    const enterprise = await createEnterprise(ds, 'MY-FC');
    const project = await createProject(ds, enterprise, { content: '不应读取' });
    const [row] = await readRows(ds.manager.createQueryBuilder(Project, 'p').where('p.id = :id', { id: project.id }), ['name']);
    expect(row).toBeInstanceOf(Project);
    expect({ ...row }).toEqual({ id: project.id, name: project.name });
    expect(() => row.content).toThrow('Project.content was not selected by this query');
    expect(() => {
      row.stage = project.stage;
    }).toThrow('Project.stage was not selected');
    await expect(readRows(ds.manager.createQueryBuilder(Project, 'p'), ['noSuchColumn'])).rejects.toThrow('Project has no column noSuchColumn');
  });
});

describe('column selection', () => {
  async function countyData() {
    const enterprise = await createEnterprise(ds, 'MY-AZ', { address: '安州区某路', contactPhone: '0816-1111111' });
    const project = await createProject(ds, enterprise, { content: '长文本内容', site: '某园区' });
    const program = await createFundProgram(ds);
    await createFundApplication(ds, program, project, { requestedAmount: '75', expertOpinion: '专家意见' });
    await createReport(ds, project, { period: '2026-02' });
    const token = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-AZ')).username);
    return { enterprise, project, token };
  }

  it('reads only the columns a nested list asks for, at every level', async () => {
    const { enterprise, project, token } = await countyData();
    const { data, statements } = await traced(
      `query($id: ID!) { project(id: $id) { enterprise { projects(first: 5) { edges { node { id name totalInvestment
         enterprise { creditCode } fundApplications { edges { node { requestedAmount status } } } } } } } } }`,
      token,
      { id: toGlobalId('Project', project.id) },
    );
    const node = data.project.enterprise.projects.edges[0].node;
    expect(node).toEqual({
      id: toGlobalId('Project', project.id),
      name: project.name,
      totalInvestment: '1200',
      enterprise: { creditCode: enterprise.creditCode },
      fundApplications: { edges: [{ node: { requestedAmount: '75', status: 'DRAFT' } }] },
    });
    const all = (entity: Function) => ds.getMetadata(entity).columns.map((c) => c.propertyName).sort();
    // project(id) loads the whole row (services use it too); the enterprise under it is read for its
    // `projects` field (the key); the nested page reads its columns, the parent key it is grouped by
    // and the sort key (id); their enterprises and applications read what is asked.
    expect(selectsOn(statements, 'projects')).toEqual([all(Project), ['enterpriseId', 'id', 'name', 'totalInvestment']]);
    expect(selectsOn(statements, 'enterprises')).toEqual([['id'], ['creditCode', 'id']]);
    expect(selectsOn(statements, 'fund_applications')).toEqual([['id', 'projectId', 'requestedAmount', 'status']]);
  });

  it('reads the union of what aliases, fragments and inline fragments ask for', async () => {
    const { project, token } = await countyData();
    const { data, statements } = await traced(
      `fragment Money on Project { totalInvestment }
       query { projects(first: 100, filter: { search: ${JSON.stringify(project.name)} }) {
         edges { node { label: name ...Money ... on Project { stage } ... on Node { id } } }
         more: edges { node { plannedStart } } } }`,
      token,
    );
    expect(data.projects.edges).toEqual([
      { node: { label: project.name, totalInvestment: '1200', stage: 'PLANNING', id: toGlobalId('Project', project.id) } },
    ]);
    expect(data.projects.more).toEqual([{ node: { plannedStart: '2026-01' } }]);
    expect(selectsOn(statements, 'projects')).toEqual([['id', 'name', 'plannedStart', 'stage', 'totalInvestment']]);
  });

  it('follows what field resolvers declare they read', async () => {
    const { enterprise, project, token } = await countyData();
    const { data, statements } = await traced(
      `query { enterprises(first: 100, filter: { search: ${JSON.stringify(enterprise.name)} }) { edges { node { tags territory { code } } } } }`,
      token,
    );
    expect(data.enterprises.edges).toEqual([{ node: { tags: [], territory: { code: 'MY-AZ' } } }]);
    expect(selectsOn(statements, 'enterprises')).toEqual([['id', 'tagFlags', 'territoryId']]);
    const reports = await traced(`query($id: ID!) { project(id: $id) { monthlyReports { edges { node { period periodLocked } } } } }`, token, {
      id: toGlobalId('Project', project.id),
    });
    // Whether the month is locked depends on other tests' periods; that it is answered is what counts here.
    expect(reports.data.project.monthlyReports.edges).toEqual([{ node: { period: '2026-02', periodLocked: expect.any(Boolean) } }]);
    expect(selectsOn(reports.statements, 'monthly_reports')).toEqual([['id', 'period', 'projectId']]);
  });

  it('reads whole rows where rules are evaluated on the row: viewerCan and hideable fields', async () => {
    const { enterprise, token } = await countyData();
    const all = (entity: Function) => ds.getMetadata(entity).columns.map((c) => c.propertyName).sort();
    const filter = `filter: { search: ${JSON.stringify(enterprise.name)} }`;
    const withViewerCan = await traced(`query { enterprises(first: 100, ${filter}) { edges { node { name viewerCan { update } } } } }`, token);
    expect(withViewerCan.data.enterprises.edges).toEqual([{ node: { name: enterprise.name, viewerCan: { update: true } } }]);
    // (viewerCan then checks its actions for the whole page in one query of ids)
    expect(selectsOn(withViewerCan.statements, 'enterprises')[0]).toEqual(all(Enterprise));
    const withHideable = await traced(`query { enterprises(first: 100, ${filter}) { edges { node { contactPhone } } } }`, token);
    expect(withHideable.data.enterprises.edges).toEqual([{ node: { contactPhone: '0816-1111111' } }]);
    expect(selectsOn(withHideable.statements, 'enterprises')).toEqual([all(Enterprise)]);
  });
});

describe('to-one relations joined into the page', () => {
  it("reads a project list's enterprises in the page query, with the enterprise read rules: hidden ones are null", async () => {
    const mine = await createEnterprise(ds, 'MY-ST');
    const elsewhere = await createEnterprise(ds, 'MY-PW');
    const st = await unitByCode(ds, 'MY-ST');
    const own = await createProject(ds, mine, { reserveBatch: 'JOIN-TEST' });
    // Registered in this county, by an enterprise of another county the officer may not see.
    const foreign = await createProject(ds, elsewhere, { territoryId: st.id, reserveBatch: 'JOIN-TEST' });
    const token = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-ST')).username);

    const { data, statements } = await traced(
      `query { projects(first: 10, filter: { reserveBatch: "JOIN-TEST" }) { edges { node { name enterprise { name creditCode } } } } }`,
      token,
    );
    expect(data.projects.edges).toEqual([
      { node: { name: own.name, enterprise: { name: mine.name, creditCode: mine.creditCode } } },
      { node: { name: foreign.name, enterprise: null } },
    ]);
    expect(selectsOn(statements, 'enterprises')).toEqual([]);
    expect(statements.filter((s) => /FROM [`"]projects[`"]/.test(s))).toHaveLength(1);
    expect(statements.find((s) => /FROM [`"]projects[`"]/.test(s))).toMatch(/LEFT JOIN [`"]enterprises[`"]/);

    // The same rows through their own loader agree (node lookups do not join).
    const direct = await t.gql(`query($id: ID!) { node(id: $id) { ... on Project { enterprise { name } } } }`, { id: toGlobalId('Project', foreign.id) }, token);
    expect(direct.data.node).toEqual({ enterprise: null });
  });

  it('answers differently aliased enterprise selections each with its own columns', async () => {
    const enterprise = await createEnterprise(ds, 'MY-ST', { contactName: '王五' });
    await createProject(ds, enterprise, { reserveBatch: 'JOIN-ALIAS' });
    const token = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-ST')).username);
    const { data, statements } = await traced(
      `query { projects(first: 10, filter: { reserveBatch: "JOIN-ALIAS" }) { edges { node { a: enterprise { name } b: enterprise { creditCode contactName } } } } }`,
      token,
    );
    expect(data.projects.edges).toEqual([{ node: { a: { name: enterprise.name }, b: { creditCode: enterprise.creditCode, contactName: '王五' } } }]);
    // Both answered from the join, which read the union of their columns.
    expect(selectsOn(statements, 'enterprises')).toEqual([]);
  });

  it('answers from the join only what it read: other columns, or rows read without it, are loaded', async () => {
    const enterprise = await createEnterprise(ds, 'MY-ST', { contactName: '赵六' });
    const project = await createProject(ds, enterprise, { reserveBatch: 'JOIN-COVER' });
    const ctx = await contextFor(ds, await createUserWithRole(ds, 'county_officer', 'MY-ST'));
    const read = (joins: JoinedToOne[]) =>
      readRows(scopedQuery(ctx, Project, 'p').andWhere('p.id = :id', { id: project.id }), ['enterpriseId'], joins);

    const [joined] = await read([joinEnterprise(ctx, 'pe', 'enterpriseId', ['name'])]);
    const fromJoin = await countStatements(ds, async () => enterpriseOf(ctx, joined, 'enterpriseId', ['name']));
    expect(fromJoin.statements).toEqual([]);
    expect(fromJoin.result).toMatchObject({ id: enterprise.id, name: enterprise.name });

    const wider = await countStatements(ds, async () => enterpriseOf(ctx, joined, 'enterpriseId', ['name', 'contactName']));
    expect(selectsOn(wider.statements, 'enterprises')).toEqual([['contactName', 'id', 'name']]);
    expect(wider.result).toMatchObject({ name: enterprise.name, contactName: '赵六' });

    const [plain] = await read([]);
    const loaded = await countStatements(ds, async () => enterpriseOf(ctx, plain, 'enterpriseId', ['name']));
    expect(selectsOn(loaded.statements, 'enterprises')).toEqual([['id', 'name']]);
  });
});

describe('child connections read with the page', () => {
  /** Loaders of `name` a request asked for: a nested field that was read with its page asks for none. */
  async function loaderLookups(name: string, run: () => Promise<unknown>): Promise<number> {
    const spy = jest.spyOn(loaders, 'loaderFor');
    try {
      await run();
      return spy.mock.calls.filter(([, loaderName]) => loaderName.startsWith(name)).length;
    } finally {
      spy.mockRestore();
    }
  }

  async function projectsWithApplications(batch: string, counts: number[]) {
    const enterprise = await createEnterprise(ds, 'MY-JY');
    const projects: Project[] = [];
    for (const count of counts) {
      const project = await createProject(ds, enterprise, { reserveBatch: batch });
      projects.push(project);
      // One application per programme and enterprise: each needs its own programme.
      for (let i = 0; i < count; i++) await createFundApplication(ds, await createFundProgram(ds), project, { requestedAmount: `${i + 1}` });
    }
    const token = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-JY')).username);
    return { projects, token };
  }

  it('answers every parent from the page read, with the page size of a variable, through fragments', async () => {
    const { token } = await projectsWithApplications('CHILD-READ', [3, 0, 1]);
    const query = `query($n: Int) { projects(first: 10, filter: { reserveBatch: "CHILD-READ" }) { edges { node { ...apps } } } }
      fragment apps on Project { fundApplications(first: $n) { pageInfo { hasNextPage } edges { node { requestedAmount } } } }`;
    let data: any;
    const lookups = await loaderLookups('Project.fundApplications', async () => {
      ({ data } = await traced(query, token, { n: 2 }));
    });
    expect(lookups).toBe(0);
    expect(data.projects.edges.map((e: any) => e.node.fundApplications)).toEqual([
      { pageInfo: { hasNextPage: true }, edges: [{ node: { requestedAmount: '3' } }, { node: { requestedAmount: '2' } }] },
      { pageInfo: { hasNextPage: false }, edges: [] },
      { pageInfo: { hasNextPage: false }, edges: [{ node: { requestedAmount: '1' } }] },
    ]);
  });

  it('leaves aliased connections and refused arguments to the field', async () => {
    const { token } = await projectsWithApplications('CHILD-ALIAS', [2]);
    const aliased = `{ projects(first: 10, filter: { reserveBatch: "CHILD-ALIAS" }) { edges { node {
      one: fundApplications(first: 1) { edges { node { requestedAmount } } }
      all: fundApplications { edges { node { requestedAmount status } } } } } } }`;
    let data: any;
    const lookups = await loaderLookups('Project.fundApplications', async () => {
      ({ data } = await traced(aliased, token));
    });
    expect(lookups).toBeGreaterThan(0);
    expect(data.projects.edges[0].node.one.edges.map((e: any) => e.node.requestedAmount)).toEqual(['2']);
    expect(data.projects.edges[0].node.all.edges.map((e: any) => e.node.requestedAmount)).toEqual(['2', '1']);

    const refused = await t.gql(`{ projects(first: 10, filter: { reserveBatch: "CHILD-ALIAS" }) { edges { node { fundApplications(first: 101) { edges { node { id } } } } } } }`, {}, token);
    expect(refused.errors?.map((e) => [e.extensions?.code, e.extensions?.field, e.path])).toEqual([
      ['BAD_USER_INPUT', 'first', ['projects', 'edges', 0, 'node', 'fundApplications']],
    ]);
  });
});
