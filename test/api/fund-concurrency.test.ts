/**
 * Two reviewers acting on the same application at once (DESIGN.md §7): exactly one wins, the other
 * gets CONFLICT, and nothing is written twice. The requests are fired in parallel over HTTP with two
 * different users' tokens; on MariaDB (CI) their transactions really overlap, so this exercises the
 * versioned UPDATE … WHERE version = expected, not only the version check before it.
 */
import { DataSource } from 'typeorm';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { AuditEvent } from '../../src/modules/audit/audit-event.entity';
import { FundApplication, FundApplicationStatus as S } from '../../src/modules/fund/fund-application.entity';
import { FundDisbursement } from '../../src/modules/fund/fund-disbursement.entity';
import { LibraryStatus } from '../../src/modules/project/project.entity';
import { WorkflowTransition } from '../../src/modules/workflow-history/workflow-transition.entity';
import { codeOf, startTestApp, TestApp } from '../helpers/app';
import { isMysql, openTestDatabase } from '../helpers/database';
import { createEnterprise, createFundApplication, createFundProgram, createProject } from '../helpers/domain-factories';

let ds: DataSource;
let t: TestApp;
const ROUNDS = 8;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

const tokenFor = (role: string, scope: string) => t.tokenFor(role, scope);

async function applicationIn(status: S, attrs: Partial<FundApplication> = {}) {
  const enterprise = await createEnterprise(ds, 'MY-FC');
  const project = await createProject(ds, enterprise, { libraryStatus: LibraryStatus.IN_LIBRARY });
  const program = await createFundProgram(ds);
  return createFundApplication(ds, program, project, { status, ...attrs });
}

it(`runs on ${isMysql() ? 'MariaDB/MySQL' : 'SQLite'}`, () => {
  expect(ds.options.type).toBe(isMysql() ? 'mysql' : 'better-sqlite3');
});

it('lets exactly one of 经信局 and 财政局 start the city review of the same application; the other gets CONFLICT', async () => {
  const jxj = await tokenFor('jxj_officer', 'MY');
  const czj = await tokenFor('czj_officer', 'MY');
  const q = `mutation($i: TransitionInput!) { cityReviewFundApplication(input: $i) { application { status version } } }`;
  for (let round = 0; round < ROUNDS; round++) {
    const app = await applicationIn(S.COUNTY_RECOMMENDED);
    const i = { id: toGlobalId('FundApplication', app.id), expectedVersion: 1 };
    const answers = await Promise.all([t.gql(q, { i }, jxj), t.gql(q, { i }, czj)]);
    const codes = answers.map(codeOf);
    expect(codes.sort()).toEqual(['CONFLICT', undefined]);
    expect(answers.find((a) => !a.errors)!.data.cityReviewFundApplication.application).toEqual({ status: 'CITY_REVIEW', version: 2 });
    expect(await ds.manager.findOneByOrFail(FundApplication, { id: app.id })).toMatchObject({ status: 'CITY_REVIEW', version: 2 });
    expect(await ds.manager.countBy(WorkflowTransition, { subjectType: 'FundApplication', recordId: app.id })).toBe(1);
    expect(await ds.manager.countBy(AuditEvent, { subjectType: 'FundApplication', recordId: app.id })).toBe(1);
  }
});

it('records one of two tranches fired at once by two 财政局 officers: the approved amount is never exceeded', async () => {
  const first = await tokenFor('czj_officer', 'MY');
  const second = await tokenFor('czj_officer', 'MY');
  const q = `mutation($i: DisburseFundApplicationInput!) { disburseFundApplication(input: $i) { application { status disbursedAmount } } }`;
  for (let round = 0; round < ROUNDS; round++) {
    const app = await applicationIn(S.APPROVED, { approvedAmount: '40' });
    const i = { id: toGlobalId('FundApplication', app.id), expectedVersion: 1, amount: '30' };
    const answers = await Promise.all([t.gql(q, { i }, first), t.gql(q, { i }, second)]);
    expect(answers.map(codeOf).sort()).toEqual(['CONFLICT', undefined]);
    expect(await ds.manager.findOneByOrFail(FundApplication, { id: app.id })).toMatchObject({ status: 'DISBURSING', disbursedAmount: '30', version: 2 });
    expect(await ds.manager.countBy(FundDisbursement, { applicationId: app.id })).toBe(1);
  }
});

it('keeps one application per enterprise per programme when two drafts are created at once', async () => {
  const county = await tokenFor('county_officer', 'MY-FC');
  const other = await tokenFor('county_officer', 'MY-FC');
  const q = `mutation($i: CreateFundApplicationInput!) { createFundApplication(input: $i) { application { id } } }`;
  for (let round = 0; round < ROUNDS; round++) {
    const enterprise = await createEnterprise(ds, 'MY-FC');
    const projects = [
      await createProject(ds, enterprise, { libraryStatus: LibraryStatus.IN_LIBRARY }),
      await createProject(ds, enterprise, { libraryStatus: LibraryStatus.IN_LIBRARY }),
    ];
    const program = await createFundProgram(ds);
    const input = (p: number) => ({
      programId: toGlobalId('FundProgram', program.id), projectId: toGlobalId('Project', projects[p].id), supportForm: 'SUBSIDY', requestedAmount: '10',
    });
    const answers = await Promise.all([t.gql(q, { i: input(0) }, county), t.gql(q, { i: input(1) }, other)]);
    expect(answers.map(codeOf).sort()).toEqual(['CONFLICT', undefined]);
    expect(await ds.manager.countBy(FundApplication, { programId: program.id })).toBe(1);
  }
});
