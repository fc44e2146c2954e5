/**
 * The fund workflow from draft to close, driven only through GraphQL as the demo accounts
 * (seed/demo-data.ts): 经信局 opens a programme; 高新区 declares a project of one of its enterprises,
 * which 经信局 accepts into the library; 高新区 applies on the enterprise's behalf, reviews and
 * recommends; 财政局 starts the city review, 经信局 sends it to the experts, proposes an allocation and
 * publishes the notice; after the notice 财政局 approves and pays in two tranches; 经信局 accepts and
 * closes. Each actor finds the application in `myQueue` when it is their turn, and the park sees the
 * expert score only from the notice on.
 *
 * The notice lasts 7 days and approval waits for its end: the test moves the clock (JavaScript's
 * Date only — timers, the database and HTTP run as usual) 8 days on before approving.
 */
import { DataSource } from 'typeorm';
import { DEMO_PASSWORD } from '../../src/seed/demo-data';
import { seedDemoData } from '../../src/seed/seed';
import { startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';

let ds: DataSource;
let t: TestApp;
const DAY = 86_400_000;

/** Every fake-able API except Date. */
const REAL_TIMERS = [
  'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback',
  'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout',
] as const;

beforeAll(async () => {
  ds = await openTestDatabase();
  await seedDemoData(ds);
  t = await startTestApp(ds);
});
afterAll(async () => {
  jest.useRealTimers();
  await t.close();
  await ds.destroy();
});

type Account = 'jxj' | 'czj' | 'gaoxin' | 'leader' | 'lier' | 'fucheng';
const tokens = {} as Record<Account, string>;
const signIn = async () => {
  for (const who of ['jxj', 'czj', 'gaoxin', 'leader', 'lier', 'fucheng'] as Account[]) tokens[who] = await t.login(who, DEMO_PASSWORD);
};

/** Runs `query` as a demo account and returns its data, failing the test on any error. */
async function as(who: Account, query: string, variables: Record<string, unknown> = {}) {
  const res = await t.gql(query, variables, tokens[who]);
  if (res.errors) throw new Error(`${who}: ${JSON.stringify(res.errors)}`);
  return res.data;
}

const APP = 'id version status requestedAmount expertScore proposedAmount approvedAmount disbursedAmount countyOpinion cityOpinion acceptanceResult';
const step = (mutation: string, inputType = 'TransitionInput') => `mutation($i: ${inputType}!) { ${mutation}(input: $i) { application { ${APP} } } }`;
const QUEUE = `query { myQueue(first: 100, filter: { types: [FUND_APPLICATION] }) { totalCount edges { node { actions record { ... on FundApplication { id } } } } } }`;

/** The steps `who` may take on the application now, according to their queue ([] if not in it). */
async function queued(who: Account, id: string): Promise<string[]> {
  const data = await as(who, QUEUE);
  return data.myQueue.edges.find((e: any) => e.node.record.id === id)?.node.actions ?? [];
}

it('runs an application from draft to close, each step by the account whose turn it is', async () => {
  await signIn();

  // 经信局 opens a programme: 8% of equipment investment, at most 500 万元.
  const program = (await as('jxj', `mutation($i: CreateFundProgramInput!) { createFundProgram(input: $i) { program { id windowOpen } } }`, {
    i: {
      year: 2026, name: `设备更新专项（演示${Date.now()}）`, source: 'CITY', supportForms: ['SUBSIDY'], basis: 'EQUIPMENT', maxRatio: '0.08', cap: '500',
      windowOpensAt: new Date(Date.now() - DAY).toISOString(), windowClosesAt: new Date(Date.now() + 60 * DAY).toISOString(),
    },
  })).createFundProgram.program;
  expect(program.windowOpen).toBe(true);

  // 高新区 declares a project for one of its enterprises; it goes through the library.
  const enterprise = (await as('gaoxin', `{ enterprises(first: 1) { edges { node { id territory { code } } } } }`)).enterprises.edges[0].node;
  expect(enterprise.territory.code).toBe('MY-GX');
  let project = (await as('gaoxin', `mutation($i: CreateProjectInput!) { createProject(input: $i) { project { id version libraryStatus } } }`, {
    i: {
      enterpriseId: enterprise.id, name: '智能制造产线升级改造（演示）', constructionNature: 'RENOVATION', techniques: ['SMART', 'EQUIPMENT_RENEWAL'],
      totalInvestment: '2600', equipmentInvestment: '1800', plannedStart: '2026-03', plannedCompletion: '2027-06',
    },
  })).createProject.project;
  for (const [who, mutation] of [['gaoxin', 'submitProject'], ['gaoxin', 'countyCheckProject'], ['jxj', 'acceptProject']] as const) {
    project = (await as(who, `mutation($i: TransitionInput!) { ${mutation}(input: $i) { project { id version libraryStatus } } }`, { i: { id: project.id, expectedVersion: project.version } }))[mutation].project;
  }
  expect(project.libraryStatus).toBe('IN_LIBRARY');

  // 高新区 applies on the enterprise's behalf for the most the programme allows: 8% of 1800 = 144.
  let app = (await as('gaoxin', `mutation($i: CreateFundApplicationInput!) { createFundApplication(input: $i) { application { ${APP} } } }`, {
    i: { programId: program.id, projectId: project.id, supportForm: 'SUBSIDY', requestedAmount: '144' },
  })).createFundApplication.application;
  const id = app.id;
  const run = async (who: Account, mutation: string, extra: Record<string, unknown> = {}, inputType?: string) => {
    app = (await as(who, step(mutation, inputType), { i: { id, expectedVersion: app.version, ...extra } }))[mutation].application;
    return app;
  };

  expect(await queued('gaoxin', id)).toEqual(['submit']);
  await run('gaoxin', 'submitFundApplication');
  expect(await queued('gaoxin', id)).toEqual(['countyReview']);
  expect(await queued('fucheng', id)).toEqual([]); // 高新区 is a city-run park: not in 涪城区's scope
  await run('gaoxin', 'countyReviewFundApplication');
  await run('gaoxin', 'countyRecommendFundApplication', { comment: '经高新区经发局、财政金融局联合初审，同意推荐。' });
  expect(app).toMatchObject({ status: 'COUNTY_RECOMMENDED', countyOpinion: '经高新区经发局、财政金融局联合初审，同意推荐。' });

  expect(await queued('jxj', id)).toEqual(['cityReview']);
  expect(await queued('czj', id)).toEqual(['cityReview']);
  expect(await queued('gaoxin', id)).toEqual([]);
  await run('czj', 'cityReviewFundApplication');
  expect(await queued('czj', id)).toEqual([]);
  await run('jxj', 'expertReviewFundApplication', { comment: '市经信局会同市财政局复审通过，提交专家评审。' });
  await run('jxj', 'proposeFundAllocation', { expertScore: '88.5', expertOpinion: '项目技术先进，投资真实，建议予以支持。', proposedAmount: '130' }, 'ProposeFundAllocationInput');
  expect(app).toMatchObject({ status: 'ALLOCATION_PROPOSED', expertScore: '88.5', proposedAmount: '130' });

  // Before the notice the park does not see the score or the proposal; leaders do.
  const read = `query($id: ID!) { fundApplication(id: $id) { status expertScore expertOpinion proposedAmount } }`;
  expect((await as('gaoxin', read, { id })).fundApplication).toEqual({ status: 'ALLOCATION_PROPOSED', expertScore: null, expertOpinion: null, proposedAmount: null });
  expect((await as('leader', read, { id })).fundApplication).toMatchObject({ expertScore: '88.5', proposedAmount: '130' });
  await run('jxj', 'publishFundNotice', {}, 'PublishFundNoticeInput');
  expect((await as('gaoxin', read, { id })).fundApplication).toEqual({
    status: 'PUBLIC_NOTICE', expertScore: '88.5', expertOpinion: '项目技术先进，投资真实，建议予以支持。', proposedAmount: '130',
  });

  // Approval waits for the notice to end.
  const early = await t.gql(step('approveFundApplication', 'ApproveFundApplicationInput'), { i: { id, expectedVersion: app.version } }, tokens.czj);
  expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'PUBLIC_NOTICE' });
  expect(await queued('czj', id)).toEqual(['approve']);

  jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: Date.now() + 8 * DAY });
  await signIn(); // yesterday's access tokens have expired
  await run('czj', 'approveFundApplication', { approvedAmount: '130' }, 'ApproveFundApplicationInput');
  expect(app).toMatchObject({ status: 'APPROVED', approvedAmount: '130' });

  // Paid in two tranches: 60% on approval, the rest on completion.
  expect(await queued('czj', id)).toEqual(['disburse']);
  await run('czj', 'disburseFundApplication', { amount: '78' }, 'DisburseFundApplicationInput');
  expect(app).toMatchObject({ status: 'DISBURSING', disbursedAmount: '78' });
  const tooMuch = await t.gql(step('disburseFundApplication', 'DisburseFundApplicationInput'), { i: { id, expectedVersion: app.version, amount: '52.0001' } }, tokens.czj);
  expect(tooMuch.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount' });
  await run('czj', 'disburseFundApplication', { amount: '52' }, 'DisburseFundApplicationInput');
  expect(app).toMatchObject({ status: 'DISBURSED', disbursedAmount: '130' });

  expect(await queued('jxj', id)).toEqual(['accept']);
  await run('jxj', 'acceptFundApplication', { comment: '项目已建成，资金专款专用，验收合格。' });
  await run('jxj', 'closeFundApplication');
  expect(app).toMatchObject({ status: 'CLOSED', acceptanceResult: '项目已建成，资金专款专用，验收合格。' });
  expect(await queued('jxj', id)).toEqual([]);

  // The park reads the whole story: every step, who did it (by its history), and the payments.
  const story = (await as('gaoxin', `query($id: ID!) { fundApplication(id: $id) {
    disbursements { amount } history(first: 20) { edges { node { action fromState toState } } } project { name } program { name }
  } }`, { id })).fundApplication;
  expect(story.disbursements).toEqual([{ amount: '78' }, { amount: '52' }]);
  expect(story.history.edges.map((e: any) => `${e.node.action}:${e.node.toState}`)).toEqual([
    'submit:SUBMITTED', 'countyReview:COUNTY_REVIEW', 'countyRecommend:COUNTY_RECOMMENDED', 'cityReview:CITY_REVIEW', 'expertReview:EXPERT_REVIEW',
    'proposeAllocation:ALLOCATION_PROPOSED', 'publishNotice:PUBLIC_NOTICE', 'approve:APPROVED', 'disburse:DISBURSING', 'disburse:DISBURSED',
    'accept:ACCEPTED', 'close:CLOSED',
  ]);
  jest.useRealTimers();
});

it("shows 利尔 its own applications, with expert scores only from the notice on, and nobody else's", async () => {
  await signIn();
  const BEFORE_NOTICE = ['DRAFT', 'SUBMITTED', 'COUNTY_REVIEW', 'COUNTY_RECOMMENDED', 'CITY_REVIEW', 'EXPERT_REVIEW', 'ALLOCATION_PROPOSED', 'RETURNED', 'REJECTED'];
  const q = `query($e: ID) { fundApplications(first: 100, filter: { enterpriseId: $e }) { totalCount edges { node { id status expertScore enterprise { id name } } } } }`;
  const lier = (await as('lier', q)).fundApplications.edges.map((e: any) => e.node);
  expect(lier.length).toBeGreaterThan(0);
  expect(new Set(lier.map((a: any) => a.enterprise.name))).toEqual(new Set(['利尔化学股份有限公司']));
  const leader = new Map((await as('leader', q, { e: lier[0].enterprise.id })).fundApplications.edges.map((e: any) => [e.node.id, e.node.expertScore]));
  expect(leader.size).toBe(lier.length);
  for (const a of lier) expect([a.status, a.expertScore]).toEqual([a.status, BEFORE_NOTICE.includes(a.status) ? null : leader.get(a.id)]);
  // The demo's closed 2025 application was scored: 利尔 sees its score now that it was published.
  expect(lier.some((a: any) => a.status === 'CLOSED' && a.expertScore !== null)).toBe(true);
});
