/**
 * `myQueue`: records awaiting a step the viewer may take, oldest first, with counts per type —
 * decided by the same SQL predicates as the mutations.
 *
 * Queues of city-wide roles hold every matching record of the database (other tests' too, and on
 * MariaDB other files' rows in the worker's database), so the records made here wait since long
 * ago (1990s): they come first, and the assertions look at them only. Enterprise users and custom
 * roles limited to one enterprise have queues of their own, checked exactly.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { Enterprise } from '../../src/modules/enterprise/enterprise.entity';
import { FundApplication, FundApplicationStatus as F } from '../../src/modules/fund/fund-application.entity';
import { LandRequest, LandRequestStatus as L } from '../../src/modules/land/land-request.entity';
import { LibraryStatus } from '../../src/modules/project/project.entity';
import { ReportStatus } from '../../src/modules/report/monthly-report.entity';
import { ReportPeriod } from '../../src/modules/report/report-period.entity';
import { Role } from '../../src/modules/user/role.entity';
import { User } from '../../src/modules/user/user.entity';
import { WorkflowTransition } from '../../src/modules/workflow-history/workflow-transition.entity';
import { codeOf, startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createEnterprise, createFundApplication, createFundProgram, createLandRequest, createProject, createReport } from '../helpers/domain-factories';
import { bind, createUser, unique } from '../helpers/factories';
import { countStatements } from '../helpers/sql-counter';

let ds: DataSource;
let t: TestApp;
const gid = (type: string, id: number) => toGlobalId(type, id);

const tokenFor = (role: string, scope: string, attrs: Partial<User> = {}) => t.tokenFor(role, scope, attrs);

const tok = {} as Record<'jxj' | 'czj' | 'zrzy' | 'leader' | 'fucheng', string>;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
  tok.jxj = await tokenFor('jxj_officer', 'MY');
  tok.czj = await tokenFor('czj_officer', 'MY');
  tok.zrzy = await tokenFor('zrzy_officer', 'MY');
  tok.leader = await tokenFor('city_leader', 'MY');
  tok.fucheng = await tokenFor('county_officer', 'MY-FC');
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

const QUEUE = `query($first: Int, $after: String, $last: Int, $before: String, $f: QueueFilter) {
  myQueue(first: $first, after: $after, last: $last, before: $before, filter: $f) {
    totalCount
    countsByType { type count }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { type actions waitingSince record { __typename ... on Node { id } } } }
  }
}`;

interface Item {
  type: string;
  id: string;
  actions: string[];
  waitingSince: string;
}

async function queueOf(token: string, vars: Record<string, unknown> = { first: 100 }) {
  const res = await t.gql(QUEUE, vars, token);
  expect(res.errors).toBeUndefined();
  const q = res.data.myQueue;
  const items: Item[] = q.edges.map((e: any) => ({ type: e.node.type, id: e.node.record.id, actions: e.node.actions, waitingSince: e.node.waitingSince }));
  return { ...q, items };
}

/** The items among `ids`, in queue order. */
const only = (items: Item[], ids: string[]) => items.filter((i) => ids.includes(i.id));

type Scoped = { id: number; territoryId: number; enterpriseId: number };

/** Makes a record wait in its state since `at`: its latest history row on the axis. */
async function waitingSince(subjectType: string, row: Scoped, axis: string, to: string, at: string) {
  await ds.manager.insert(WorkflowTransition, {
    subjectType, recordId: row.id, axis, fromState: 'DRAFT', toState: to, action: 'submit', actorId: 1, comment: null,
    territoryId: row.territoryId, enterpriseId: row.enterpriseId, createdAt: new Date(at),
  });
}

/** Projects that hang records are in the library: a draft project would itself wait for its submission. */
const inLibrary = (enterprise: Enterprise) => createProject(ds, enterprise, { libraryStatus: LibraryStatus.IN_LIBRARY });

async function application(enterprise: Enterprise, status: F, at: string, attrs: Partial<FundApplication> = {}) {
  const project = await inLibrary(enterprise);
  const a = await createFundApplication(ds, await createFundProgram(ds), project, { status, ...attrs });
  await waitingSince('FundApplication', a, 'status', status, at);
  return gid('FundApplication', a.id);
}

async function land(enterprise: Enterprise, status: L, at: string, attrs: Partial<LandRequest> = {}) {
  const r = await createLandRequest(ds, await inLibrary(enterprise), { status, ...attrs });
  await waitingSince('LandRequest', r, 'status', status, at);
  return gid('LandRequest', r.id);
}

async function libraryEntry(enterprise: Enterprise, status: LibraryStatus, at: string) {
  const p = await createProject(ds, enterprise, { libraryStatus: status });
  await waitingSince('Project', p, 'libraryStatus', status, at);
  return gid('Project', p.id);
}

async function report(enterprise: Enterprise, status: ReportStatus, period: string, at: string) {
  const r = await createReport(ds, await inLibrary(enterprise), { status, period });
  await waitingSince('MonthlyReport', r, 'status', status, at);
  return gid('MonthlyReport', r.id);
}

// -----------------------------------------------------------------------------------------------

it('requires authentication', async () => {
  expect(codeOf(await t.gql(QUEUE, { first: 1 }))).toBe('UNAUTHENTICATED');
});

it('is empty, with zero counts, for a viewer who may take no step (a city leader)', async () => {
  const q = await queueOf(tok.leader);
  expect(q).toMatchObject({ totalCount: 0, items: [], pageInfo: { hasNextPage: false, hasPreviousPage: false, endCursor: null } });
  expect(q.countsByType).toEqual([
    { type: 'FUND_APPLICATION', count: 0 }, { type: 'LAND_REQUEST', count: 0 }, { type: 'MONTHLY_REPORT', count: 0 }, { type: 'PROJECT', count: 0 },
  ]);
});

describe("an enterprise's queue", () => {
  let enterprise: Enterprise;
  let token: string;
  let ids: Record<string, string>;

  beforeAll(async () => {
    enterprise = await createEnterprise(ds, 'MY-FC');
    token = await tokenFor('enterprise_user', 'MY-FC', { enterpriseId: enterprise.id });
    // A draft has waited since it was created.
    const draftProject = await createProject(ds, enterprise, { libraryStatus: LibraryStatus.DRAFT, createdAt: new Date('2001-01-03T00:00:00Z') });
    ids = {
      returnedApplication: await application(enterprise, F.RETURNED, '2001-01-01T00:00:00Z'),
      draftApplication: await application(enterprise, F.DRAFT, '2001-01-02T00:00:00Z'),
      draftProject: gid('Project', draftProject.id),
      returnedProject: await libraryEntry(enterprise, LibraryStatus.RETURNED, '2001-01-04T00:00:00Z'),
      // Not the enterprise's steps: a county reviews, 自然资源局 handles land, the county submits land requests.
      submitted: await application(enterprise, F.SUBMITTED, '2001-01-01T00:00:00Z'),
      landDraft: await land(enterprise, L.DRAFT, '2001-01-01T00:00:00Z'),
    };
  });

  it('holds its drafts and returned records awaiting its submission, oldest first, counted per type', async () => {
    const q = await queueOf(token);
    expect(q.items.map((i: Item) => [i.type, i.id, i.actions])).toEqual([
      ['FUND_APPLICATION', ids.returnedApplication, ['submit']],
      ['FUND_APPLICATION', ids.draftApplication, ['submit']],
      ['PROJECT', ids.draftProject, ['submit']],
      ['PROJECT', ids.returnedProject, ['submit']],
    ]);
    expect(q.items.map((i: Item) => i.waitingSince)).toEqual([
      '2001-01-01T00:00:00.000Z', '2001-01-02T00:00:00.000Z', '2001-01-03T00:00:00.000Z', '2001-01-04T00:00:00.000Z',
    ]);
    expect(q.totalCount).toBe(4);
    expect(q.countsByType).toEqual([
      { type: 'FUND_APPLICATION', count: 2 }, { type: 'LAND_REQUEST', count: 0 }, { type: 'MONTHLY_REPORT', count: 0 }, { type: 'PROJECT', count: 2 },
    ]);
  });

  it('pages forward and backward by cursor, and filters by type', async () => {
    const first = await queueOf(token, { first: 2 });
    expect(first.items.map((i: Item) => i.id)).toEqual([ids.returnedApplication, ids.draftApplication]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await queueOf(token, { first: 2, after: first.pageInfo.endCursor });
    expect(second.items.map((i: Item) => i.id)).toEqual([ids.draftProject, ids.returnedProject]);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const back = await queueOf(token, { last: 1, before: second.pageInfo.startCursor });
    expect(back.items.map((i: Item) => i.id)).toEqual([ids.draftApplication]);
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const lastTwo = await queueOf(token, { last: 2 });
    expect(lastTwo.items.map((i: Item) => i.id)).toEqual([ids.draftProject, ids.returnedProject]);

    const projects = await queueOf(token, { first: 10, f: { types: ['PROJECT'] } });
    expect(projects.items.map((i: Item) => i.id)).toEqual([ids.draftProject, ids.returnedProject]);
    expect(projects.countsByType).toEqual([{ type: 'PROJECT', count: 2 }]);
  });

  it('drops a record once its step is taken', async () => {
    const version = 1;
    const res = await t.gql(`mutation($i: TransitionInput!) { submitProject(input: $i) { project { libraryStatus } } }`, { i: { id: ids.returnedProject, expectedVersion: version } }, token);
    expect(res.data.submitProject.project.libraryStatus).toBe('SUBMITTED');
    const q = await queueOf(token);
    expect(q.items.map((i: Item) => i.id)).not.toContain(ids.returnedProject);
    expect(q.totalCount).toBe(3);
  });

  it('refuses a malformed cursor and an oversized page with BAD_USER_INPUT naming the argument', async () => {
    const bad = await t.gql(QUEUE, { first: 2, after: 'not-a-cursor' }, token);
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const big = await t.gql(QUEUE, { first: 101 }, token);
    expect(big.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});

describe('review queues', () => {
  it("gives a county what awaits its review in its territory — not what awaits the city, nor another county's", async () => {
    const fc = await createEnterprise(ds, 'MY-FC');
    const yx = await createEnterprise(ds, 'MY-YX');
    const lockedPeriod = '1998-06';
    await ds.manager.save(ds.manager.create(ReportPeriod, { period: lockedPeriod, lockedAt: new Date(), lockedById: 1 }));
    try {
      const mine = {
        submitted: await application(fc, F.SUBMITTED, '1998-01-05T00:00:00Z'),
        reviewing: await application(fc, F.COUNTY_REVIEW, '1998-01-02T00:00:00Z'),
        project: await libraryEntry(fc, LibraryStatus.SUBMITTED, '1998-01-03T00:00:00Z'),
        report: await report(fc, ReportStatus.SUBMITTED, '1998-05', '1998-01-04T00:00:00Z'),
        land: await land(fc, L.DRAFT, '1998-01-01T00:00:00Z'),
      };
      const notMine = {
        cityReview: await application(fc, F.CITY_REVIEW, '1998-01-01T00:00:00Z'),
        landSubmitted: await land(fc, L.SUBMITTED, '1998-01-01T00:00:00Z'),
        lockedReport: await report(fc, ReportStatus.SUBMITTED, lockedPeriod, '1998-01-01T00:00:00Z'),
        confirmed: await report(fc, ReportStatus.CONFIRMED, '1998-04', '1998-01-01T00:00:00Z'),
        otherCounty: await application(yx, F.SUBMITTED, '1998-01-01T00:00:00Z'),
      };
      const q = await queueOf(tok.fucheng);
      expect(only(q.items, [...Object.values(mine), ...Object.values(notMine)]).map((i) => [i.id, i.actions])).toEqual([
        [mine.land, ['submit']],
        [mine.reviewing, ['countyRecommend']],
        [mine.project, ['countyCheck']],
        [mine.report, ['confirm']],
        [mine.submitted, ['countyReview']],
      ]);
    } finally {
      await ds.manager.delete(ReportPeriod, { period: lockedPeriod });
    }
  });

  it('gives 经信局 and 财政局 the applications awaiting city steps, each with the steps its own rules allow', async () => {
    const e = await createEnterprise(ds, 'MY-GX');
    const ids = {
      recommended: await application(e, F.COUNTY_RECOMMENDED, '1997-01-01T00:00:00Z'),
      cityReview: await application(e, F.CITY_REVIEW, '1997-01-02T00:00:00Z'),
      notice: await application(e, F.PUBLIC_NOTICE, '1997-01-03T00:00:00Z'),
      approved: await application(e, F.APPROVED, '1997-01-04T00:00:00Z', { approvedAmount: '40' }),
      disbursing: await application(e, F.DISBURSING, '1997-01-05T00:00:00Z', { approvedAmount: '40', disbursedAmount: '10' }),
      disbursed: await application(e, F.DISBURSED, '1997-01-06T00:00:00Z'),
      checked: await libraryEntry(e, LibraryStatus.COUNTY_CHECKED, '1997-01-07T00:00:00Z'),
      submitted: await application(e, F.SUBMITTED, '1997-01-01T00:00:00Z'),
      closed: await application(e, F.CLOSED, '1997-01-01T00:00:00Z'),
    };
    const all = Object.values(ids);
    const jxj = only((await queueOf(tok.jxj)).items, all).map((i) => [i.id, i.actions]);
    expect(jxj).toEqual([[ids.recommended, ['cityReview']], [ids.cityReview, ['expertReview']], [ids.disbursed, ['accept']], [ids.checked, ['accept']]]);
    const czj = only((await queueOf(tok.czj)).items, all).map((i) => [i.id, i.actions]);
    expect(czj).toEqual([[ids.recommended, ['cityReview']], [ids.notice, ['approve']], [ids.approved, ['disburse']], [ids.disbursing, ['disburse']]]);
  });

  it('gives 自然资源局 the land requests from submission to delivery', async () => {
    const e = await createEnterprise(ds, 'MY-ST');
    const statuses = [L.SUBMITTED, L.NR_REVIEW, L.IN_SUPPLY_PLAN, L.LISTED, L.FAILED, L.TRANSACTED, L.CONTRACTED, L.DELIVERED];
    const waiting: string[] = [];
    for (const [i, status] of statuses.entries()) waiting.push(await land(e, status, `1996-01-0${i + 1}T00:00:00Z`, { plotNo: 'G-1' }));
    const idle = [await land(e, L.DRAFT, '1996-01-01T00:00:00Z'), await land(e, L.CLOSED, '1996-01-01T00:00:00Z'), await land(e, L.REJECTED, '1996-01-01T00:00:00Z')];
    const q = only((await queueOf(tok.zrzy, { first: 100, f: { types: ['LAND_REQUEST'] } })).items, [...waiting, ...idle]);
    expect(q.map((i) => [i.id, i.actions])).toEqual([
      [waiting[0], ['review']], [waiting[1], ['planSupply']], [waiting[2], ['list']], [waiting[3], ['transact']], [waiting[4], ['list']],
      [waiting[5], ['contract']], [waiting[6], ['deliver']], [waiting[7], ['close']],
    ]);
  });

  it('decides "may" with the rules in SQL: a custom role limited to one enterprise holds exactly its rows', async () => {
    const e1 = await createEnterprise(ds, 'MY-FC');
    const e2 = await createEnterprise(ds, 'MY-FC');
    const mine = [await application(e1, F.COUNTY_RECOMMENDED, '2002-02-02T00:00:00Z'), await application(e1, F.PUBLIC_NOTICE, '2002-02-01T00:00:00Z')];
    await application(e2, F.COUNTY_RECOMMENDED, '2002-02-01T00:00:00Z');
    await application(e1, F.CITY_REVIEW, '2002-02-01T00:00:00Z');
    const role = await ds.manager.save(ds.manager.create(Role, {
      key: unique('one_enterprise'), name: 'one enterprise reviewer', builtIn: false,
      rules: [
        { action: ['read', 'cityReview', 'approve'], subject: 'FundApplication', conditions: { enterpriseId: e1.id } },
        // May approve, but not read, another enterprise's applications: not actionable, so not queued.
        { action: 'approve', subject: 'FundApplication', conditions: { enterpriseId: e2.id } },
      ],
    }));
    const user = await createUser(ds);
    await bind(ds, user, role.key, 'MY');
    const q = await queueOf(await t.login(user.username));
    expect(q.items.map((i: Item) => [i.id, i.actions])).toEqual([[mine[1], ['approve']], [mine[0], ['cityReview']]]);
    expect(q.totalCount).toBe(2);
  });

  it('follows a record as it moves: recommended by the county, it leaves the county queue for the city queues', async () => {
    const e = await createEnterprise(ds, 'MY-FC');
    const id = await application(e, F.COUNTY_REVIEW, '1995-03-01T00:00:00Z');
    expect(only((await queueOf(tok.fucheng)).items, [id]).map((i) => i.actions)).toEqual([['countyRecommend']]);
    expect(only((await queueOf(tok.jxj)).items, [id])).toEqual([]);
    const res = await t.gql(`mutation($i: TransitionInput!) { countyRecommendFundApplication(input: $i) { application { status } } }`, { i: { id, expectedVersion: 1, comment: '同意推荐' } }, tok.fucheng);
    expect(res.data.countyRecommendFundApplication.application.status).toBe('COUNTY_RECOMMENDED');
    expect(only((await queueOf(tok.fucheng)).items, [id])).toEqual([]);
    // It now waits since the recommendation (today), after the records waiting since the 1990s.
    const jxj = await queueOf(tok.jxj, { first: 100, f: { types: ['FUND_APPLICATION'] } });
    const all = [jxj];
    let page = jxj;
    while (page.pageInfo.hasNextPage && !only(page.items, [id]).length) {
      page = await queueOf(tok.jxj, { first: 100, after: page.pageInfo.endCursor, f: { types: ['FUND_APPLICATION'] } });
      all.push(page);
    }
    const item = all.flatMap((p) => only(p.items, [id]))[0];
    expect(item).toMatchObject({ type: 'FUND_APPLICATION', actions: ['cityReview'] });
    expect(Date.now() - new Date(item.waitingSince).getTime()).toBeLessThan(60_000);
  });
});

it('loads each page in a bounded number of statements, whatever its size', async () => {
  const e = await createEnterprise(ds, 'MY-FC');
  for (let i = 0; i < 6; i++) await application(e, F.DRAFT, `2003-01-0${i + 1}T00:00:00Z`);
  const token = await tokenFor('enterprise_user', 'MY-FC', { enterpriseId: e.id });
  await queueOf(token, { first: 1 }); // warm the viewer cache
  const small = await countStatements(ds, () => queueOf(token, { first: 1 }));
  const large = await countStatements(ds, () => queueOf(token, { first: 6 }));
  expect(large.result.items).toHaveLength(6);
  expect(large.statements.length).toBe(small.statements.length);
});
