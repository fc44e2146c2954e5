/**
 * The land-supply workflow from draft to close, driven only through GraphQL as the demo accounts
 * (seed/demo-data.ts): 高新区 drafts and submits a request for one of its projects; 自然资源和规划局
 * reviews it, puts it in the supply plan, lists it, records a failed listing (流拍), lists it again,
 * records the transaction with its deal price, the contract and the delivery, and closes it. Each
 * finds it in `myQueue` when it is their turn; the deal price is seen by the owning park and city
 * roles, never by the enterprise.
 */
import { DataSource } from 'typeorm';
import { DEMO_PASSWORD } from '../../src/seed/demo-data';
import { seedDemoData } from '../../src/seed/seed';
import { startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';

let ds: DataSource;
let t: TestApp;

type Account = 'zrzy' | 'gaoxin' | 'leader' | 'lier' | 'fucheng' | 'jxj';
const tokens = {} as Record<Account, string>;

beforeAll(async () => {
  ds = await openTestDatabase();
  await seedDemoData(ds);
  t = await startTestApp(ds);
  for (const who of ['zrzy', 'gaoxin', 'leader', 'lier', 'fucheng', 'jxj'] as Account[]) tokens[who] = await t.login(who, DEMO_PASSWORD);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

async function as(who: Account, query: string, variables: Record<string, unknown> = {}) {
  const res = await t.gql(query, variables, tokens[who]);
  if (res.errors) throw new Error(`${who}: ${JSON.stringify(res.errors)}`);
  return res.data;
}

const FIELDS = 'id version status areaMu areaHectares plotNo dealPrice contractNo deliveredOn';
const step = (mutation: string, inputType = 'TransitionInput') => `mutation($i: ${inputType}!) { ${mutation}(input: $i) { landRequest { ${FIELDS} } } }`;
const QUEUE = `query { myQueue(first: 100, filter: { types: [LAND_REQUEST] }) { edges { node { actions record { ... on LandRequest { id } } } } } }`;

async function queued(who: Account, id: string): Promise<string[]> {
  const data = await as(who, QUEUE);
  return data.myQueue.edges.find((e: any) => e.node.record.id === id)?.node.actions ?? [];
}

it('runs a land request from draft to close, each step by the account whose turn it is', async () => {
  const project = (await as('gaoxin', `{ projects(first: 1, filter: { libraryStatuses: [IN_LIBRARY] }) { edges { node { id territory { code } } } } }`)).projects.edges[0].node;
  expect(project.territory.code).toBe('MY-GX');

  let request = (await as('gaoxin', `mutation($i: CreateLandRequestInput!) { createLandRequest(input: $i) { landRequest { ${FIELDS} } } }`, {
    i: {
      projectId: project.id, areaMu: '82.5', landUse: '工业用地（二类）', location: '高新区南片区', planConformity: 'CONFORMS', farmlandType: 'NONE',
      supplyMethod: 'LISTING', investmentIntensity: '300', taxPerMu: '20', plotRatio: '1.5', expectedDate: '2027-03',
    },
  })).createLandRequest.landRequest;
  expect(request).toMatchObject({ status: 'DRAFT', areaMu: '82.5', areaHectares: '5.5' });
  const id = request.id;
  const run = async (who: Account, mutation: string, extra: Record<string, unknown> = {}, inputType?: string) => {
    request = (await as(who, step(mutation, inputType), { i: { id, expectedVersion: request.version, ...extra } }))[mutation].landRequest;
    return request;
  };

  expect(await queued('gaoxin', id)).toEqual(['submit']);
  await run('gaoxin', 'submitLandRequest');
  expect(await queued('gaoxin', id)).toEqual([]);
  expect(await queued('zrzy', id)).toEqual(['review']);
  await run('zrzy', 'reviewLandRequest');
  expect(await queued('zrzy', id)).toEqual(['planSupply']);
  await run('zrzy', 'planLandSupply');
  await run('zrzy', 'listLandRequest', { plotNo: 'MY-GX-2026-G18' }, 'ListLandRequestInput');
  expect(request).toMatchObject({ status: 'LISTED', plotNo: 'MY-GX-2026-G18' });
  expect(await queued('zrzy', id)).toEqual(['transact']);
  await run('zrzy', 'recordLandListingFailure', { comment: '挂牌期内无竞买人，流拍。' });
  expect(await queued('zrzy', id)).toEqual(['list']);
  await run('zrzy', 'listLandRequest', {}, 'ListLandRequestInput');
  expect(request).toMatchObject({ status: 'LISTED', plotNo: 'MY-GX-2026-G18' });
  await run('zrzy', 'transactLandRequest', { dealPrice: '1980' }, 'TransactLandRequestInput');
  await run('zrzy', 'contractLandRequest', { contractNo: '5107002026B00018' }, 'ContractLandRequestInput');
  await run('zrzy', 'deliverLandRequest', { deliveredOn: '2026-01-05' }, 'DeliverLandRequestInput');
  expect(await queued('zrzy', id)).toEqual(['close']);
  await run('zrzy', 'closeLandRequest');
  expect(request).toMatchObject({ status: 'CLOSED', dealPrice: '1980', contractNo: '5107002026B00018', deliveredOn: '2026-01-05' });
  expect(await queued('zrzy', id)).toEqual([]);

  const story = (await as('gaoxin', `query($id: ID!) { landRequest(id: $id) { dealPrice history { edges { node { action toState } } } } }`, { id })).landRequest;
  expect(story.dealPrice).toBe('1980');
  expect(story.history.edges.map((e: any) => `${e.node.action}:${e.node.toState}`)).toEqual([
    'submit:SUBMITTED', 'review:NR_REVIEW', 'planSupply:IN_SUPPLY_PLAN', 'list:LISTED', 'recordFailure:FAILED', 'list:LISTED',
    'transact:TRANSACTED', 'contract:CONTRACTED', 'deliver:DELIVERED', 'close:CLOSED',
  ]);

  // The deal price: city roles see it; 涪城区 cannot see the request at all (高新区 is city-run).
  for (const who of ['leader', 'jxj', 'zrzy'] as const) {
    expect((await as(who, `query($id: ID!) { landRequest(id: $id) { dealPrice } }`, { id })).landRequest.dealPrice).toBe('1980');
  }
  const fucheng = await t.gql(`query($id: ID!) { landRequest(id: $id) { dealPrice } }`, { id }, tokens.fucheng);
  expect(fucheng.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
});

it("hides the deal price of 利尔's own land from 利尔, while 自然资源局 sees it", async () => {
  const q = `{ landRequests(first: 10) { edges { node { id status areaMu areaHectares dealPrice project { name } } } } }`;
  const lier = (await as('lier', q)).landRequests.edges.map((e: any) => e.node);
  expect(lier.length).toBeGreaterThan(0);
  expect(lier.every((r: any) => r.dealPrice === null)).toBe(true);
  const own = lier.find((r: any) => r.areaMu === '180');
  expect(own).toMatchObject({ status: 'CLOSED', areaHectares: '12' });
  const zrzy = await as('zrzy', `query($id: ID!) { landRequest(id: $id) { dealPrice } }`, { id: own.id });
  expect(zrzy.landRequest.dealPrice).not.toBeNull();
});
