/**
 * Soak: a few thousand mixed requests from every demo role at once — reads, optimistic-locking
 * updates racing on one record, workflow steps back and forth, monthly report saves. Afterwards:
 * no 500s or masked errors, no lost update (the final value is the initial one plus every accepted
 * increment), exactly one audit event and history row per accepted write, and memory that levels off.
 * Bounded in count and time; traffic only to this process on 127.0.0.1.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DataSource } from 'typeorm';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { addDecimals } from '../../src/core/db/decimal';
import { currentMonth } from '../../src/core/validation';
import { AuditEvent } from '../../src/modules/audit/audit-event.entity';
import { Enterprise } from '../../src/modules/enterprise/enterprise.entity';
import { ConstructionStage, Project } from '../../src/modules/project/project.entity';
import { WorkflowTransition } from '../../src/modules/workflow-history/workflow-transition.entity';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, LIER_NAME } from '../../src/seed/demo-data';
import { seedDemoData } from '../../src/seed/seed';
import { startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createEnterprise, createProject } from '../helpers/domain-factories';

const TOTAL_REQUESTS = 2400;

/** A full garbage collection, so heap sizes compare live data rather than collection timing. */
setFlagsFromString('--expose_gc');
const collectGarbage = runInNewContext('gc') as () => void;
const liveHeap = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};
const WORKERS = 16;

let ds: DataSource;
let t: TestApp;

beforeAll(async () => {
  ds = await openTestDatabase();
  await seedDemoData(ds);
  t = await startTestApp(ds, { RATE_LIMIT_PER_MINUTE: '1000000' });
}, 60_000);
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

const READS = [
  `{ projects(first: 20) { totalCount edges { node { id name totalInvestment enterprise { name } fundApplications(first: 3) { edges { node { status requestedAmount } } } } } } }`,
  `{ enterprises(first: 10, orderBy: { field: NAME }) { totalCount edges { node { name tags projects(first: 2) { totalCount } } } } }`,
  `{ monthlyReports(first: 10) { totalCount edges { node { period cumulativeInvestment project { name } } } } }`,
  `{ myPermissions { role } me { username } orgUnits(first: 40) { totalCount } }`,
];

it('keeps every change and every audit event under concurrent mixed load', async () => {
  const tokens = Object.fromEntries(await Promise.all(DEMO_ACCOUNTS.map(async (a) => [a.username, await t.login(a.username, DEMO_PASSWORD)] as const)));
  const lier = await ds.manager.findOneByOrFail(Enterprise, { name: LIER_NAME });
  // Records the writers race on: a 涪城区 counter project, and two projects of 利尔化学.
  const counter = await createProject(ds, await createEnterprise(ds, 'MY-FC'), { totalInvestment: '1000', equipmentInvestment: '10' });
  const stepped = await createProject(ds, lier);
  const reported = await createProject(ds, lier, { stage: ConstructionStage.UNDER_CONSTRUCTION, actualStart: '2026-01', plannedStart: '2026-01' });
  const auditBefore = await ds.manager.count(AuditEvent);
  const historyBefore = await ds.manager.countBy(WorkflowTransition, { subjectType: 'Project', recordId: stepped.id });

  const tally = { requests: 0, accepted: { increment: 0, step: 0, report: 0 }, conflicts: 0, refused: 0, unexpected: [] as string[] };
  const heap: number[] = [];
  const call = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
    tally.requests++;
    const res = await t.gql(query, variables, token);
    const code = res.errors?.[0]?.extensions?.code;
    if (res.status >= 500 || code === 'INTERNAL_SERVER_ERROR' || code === 'SERVICE_UNAVAILABLE') tally.unexpected.push(`${res.status} ${code} ${res.errors?.[0]?.message}`);
    if (code === 'CONFLICT') tally.conflicts++;
    else if (code) tally.refused++;
    return res;
  };

  const increment = async (token: string) => {
    const read = await call(token, `query($id: ID!) { project(id: $id) { version totalInvestment } }`, { id: toGlobalId('Project', counter.id) });
    const { version, totalInvestment } = read.data.project;
    const res = await call(token, `mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { version } } }`, {
      i: { id: toGlobalId('Project', counter.id), expectedVersion: version, totalInvestment: addDecimals(totalInvestment, 1) },
    });
    if (!res.errors) tally.accepted.increment++;
  };

  const step = async (token: string, mutation: 'submitProject' | 'returnProject') => {
    const read = await call(token, `query($id: ID!) { project(id: $id) { version } }`, { id: toGlobalId('Project', stepped.id) });
    const res = await call(token, `mutation($i: TransitionInput!) { ${mutation}(input: $i) { project { libraryStatus } } }`, {
      i: { id: toGlobalId('Project', stepped.id), expectedVersion: read.data.project.version, comment: '压力测试' },
    });
    if (!res.errors) tally.accepted.step++;
  };

  const report = async (token: string, n: number) => {
    const read = await call(token, `query($id: ID!) { project(id: $id) { monthlyReports(first: 1) { edges { node { period version } } } } }`, {
      id: toGlobalId('Project', reported.id),
    });
    const existing = read.data.project.monthlyReports.edges.find((e: any) => e.node.period === currentMonth())?.node;
    const res = await call(token, `mutation($i: SaveMonthlyReportInput!) { saveMonthlyReport(input: $i) { report { version } } }`, {
      i: { projectId: toGlobalId('Project', reported.id), period: currentMonth(), monthInvestment: String(n % 97), progressPercent: '10', expectedVersion: existing?.version },
    });
    if (!res.errors) tally.accepted.report++;
  };

  const readers = DEMO_ACCOUNTS.map((a) => a.username);
  const worker = async (w: number) => {
    for (let i = 0; tally.requests < TOTAL_REQUESTS; i++) {
      switch ((w + i) % 8) {
        case 0:
          await increment(tokens[w % 2 ? 'fucheng' : 'jxj']);
          break;
        case 1:
          await step(w % 2 ? tokens.lier : tokens.jxj, w % 2 ? 'submitProject' : 'returnProject');
          break;
        case 2:
          await report(tokens.lier, w * 1000 + i);
          break;
        default:
          await call(tokens[readers[(w + i) % readers.length]], READS[(w + i) % READS.length]);
      }
      if (w === 0 && i % 12 === 0) heap.push(liveHeap());
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));

  console.log(`soak: ${JSON.stringify({ requests: tally.requests, accepted: tally.accepted, conflicts: tally.conflicts, refused: tally.refused, heapMiB: heap.map((r) => Math.round(r / 1048576)) })}`);
  expect(tally.unexpected).toEqual([]);
  expect(tally.requests).toBeGreaterThanOrEqual(TOTAL_REQUESTS);
  expect(tally.accepted.increment).toBeGreaterThan(0);
  expect(tally.conflicts).toBeGreaterThan(0); // the race was real

  // No lost update: every accepted increment is in the final value.
  const final = await ds.manager.findOneByOrFail(Project, { id: counter.id });
  expect(final.totalInvestment).toBe(addDecimals('1000', tally.accepted.increment));
  expect(final.version).toBe(1 + tally.accepted.increment);
  // One history row per accepted step, one audit event per accepted write.
  expect(await ds.manager.countBy(WorkflowTransition, { subjectType: 'Project', recordId: stepped.id })).toBe(historyBefore + tally.accepted.step);
  const writes = tally.accepted.increment + tally.accepted.step + tally.accepted.report;
  expect(await ds.manager.count(AuditEvent)).toBe(auditBefore + writes);
  // Memory levels off: live heap in the second half grows far less than a leak per request would
  // (1,200 requests leaking even 20 KiB each would add 24 MiB).
  const half = heap[Math.floor(heap.length / 2)];
  expect(heap.length).toBeGreaterThan(4);
  expect(heap[heap.length - 1] - half).toBeLessThan(16 * 1024 * 1024);
}, 180_000);
