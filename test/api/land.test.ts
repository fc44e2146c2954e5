/**
 * Land requests through GraphQL: scope by every route, filters, drafting, every workflow step for a
 * role that may and one that may not, the guards, and who sees the deal price — each refused call
 * leaving the database as it was.
 */
import { DataSource } from 'typeorm';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { AuditEvent } from '../../src/modules/audit/audit-event.entity';
import { Enterprise } from '../../src/modules/enterprise/enterprise.entity';
import { FarmlandType, LandRequest, LandRequestStatus as S, SupplyMethod } from '../../src/modules/land/land-request.entity';
import { Project } from '../../src/modules/project/project.entity';
import { User } from '../../src/modules/user/user.entity';
import { WorkflowTransition } from '../../src/modules/workflow-history/workflow-transition.entity';
import { codeOf, errorOf, startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createEnterprise, createLandRequest, createProject } from '../helpers/domain-factories';
import { unitByCode } from '../helpers/factories';

let ds: DataSource;
let t: TestApp;
const gid = (type: string, id: number) => toGlobalId(type, id);

const tokenFor = (role: string, scope: string, attrs: Partial<User> = {}) => t.tokenFor(role, scope, attrs);

const tok = {} as Record<'zrzy' | 'jxj' | 'czj' | 'leader' | 'fucheng' | 'youxian' | 'gaoxin', string>;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
  tok.zrzy = await tokenFor('zrzy_officer', 'MY');
  tok.jxj = await tokenFor('jxj_officer', 'MY');
  tok.czj = await tokenFor('czj_officer', 'MY');
  tok.leader = await tokenFor('city_leader', 'MY');
  tok.fucheng = await tokenFor('county_officer', 'MY-FC');
  tok.youxian = await tokenFor('county_officer', 'MY-YX');
  tok.gaoxin = await tokenFor('park_officer', 'MY-GX');
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

const enterpriseToken = (e: Enterprise, territory = 'MY-FC') => tokenFor('enterprise_user', territory, { enterpriseId: e.id });

async function requestIn(status: S, attrs: Partial<LandRequest> = {}, territory = 'MY-FC') {
  const enterprise = await createEnterprise(ds, territory);
  const project = await createProject(ds, enterprise);
  const request = await createLandRequest(ds, project, { status, ...attrs });
  return { enterprise, project, request, id: gid('LandRequest', request.id) };
}

async function snapshotOf(id: number) {
  return {
    row: await ds.manager.findOneByOrFail(LandRequest, { id }),
    history: await ds.manager.countBy(WorkflowTransition, { subjectType: 'LandRequest', recordId: id }),
    audit: await ds.manager.countBy(AuditEvent, { subjectType: 'LandRequest', recordId: id }),
  };
}

const FIELDS = 'id version status areaMu areaHectares plotNo dealPrice contractNo deliveredOn';
const REQUEST = `query($id: ID!) { landRequest(id: $id) { ${FIELDS} } }`;
const step = (mutation: string, inputType = 'TransitionInput') => `mutation($i: ${inputType}!) { ${mutation}(input: $i) { landRequest { ${FIELDS} } } }`;

// -----------------------------------------------------------------------------------------------

describe('reading land requests', () => {
  it('requires authentication', async () => {
    expect(codeOf(await t.gql('{ landRequests { totalCount } }'))).toBe('UNAUTHENTICATED');
  });

  it('shows a county only its own territory and an enterprise only its own, by every route; 自然资源局 sees all', async () => {
    const mine = await requestIn(S.SUBMITTED);
    const theirs = await requestIn(S.SUBMITTED, {}, 'MY-YX');
    const list = `query($f: LandRequestFilter) { landRequests(first: 100, filter: $f) { totalCount edges { node { id } } } }`;
    const ids = (res: any) => res.data.landRequests.edges.map((e: any) => e.node.id);
    const f = { projectId: null };
    const fc = await t.gql(list, { f }, tok.fucheng);
    expect(ids(fc)).toContain(mine.id);
    expect(ids(fc)).not.toContain(theirs.id);
    for (const route of [REQUEST, `query($id: ID!) { node(id: $id) { id } }`]) {
      expect(codeOf(await t.gql(route, { id: theirs.id }, tok.fucheng))).toBe('NOT_FOUND');
    }
    const nested = await t.gql(`query($id: ID!) { project(id: $id) { landRequests { totalCount edges { node { id } } } } }`, { id: gid('Project', mine.project.id) }, tok.fucheng);
    expect(nested.data.project.landRequests).toEqual({ totalCount: 1, edges: [{ node: { id: mine.id } }] });

    const own = await enterpriseToken(mine.enterprise);
    expect(ids(await t.gql(list, { f }, own))).toEqual([mine.id]);
    expect(codeOf(await t.gql(REQUEST, { id: theirs.id }, own))).toBe('NOT_FOUND');

    const all = ids(await t.gql(list, { f: { projectId: gid('Project', theirs.project.id) } }, tok.zrzy));
    expect(all).toEqual([theirs.id]);
    // 财政局 has no rule on land requests at all.
    expect(codeOf(await t.gql(list, {}, tok.czj))).toBe('FORBIDDEN');
  });

  it('filters by status, territory subtree, enterprise, supply method, farmland and area; orders by area', async () => {
    const a = await requestIn(S.LISTED, { areaMu: '120.5', supplyMethod: SupplyMethod.AUCTION }, 'MY-YX-GXY');
    const b = await createLandRequest(ds, a.project, { status: S.DRAFT, areaMu: '30', farmlandType: FarmlandType.CULTIVATED });
    const bId = gid('LandRequest', b.id);
    const q = `query($f: LandRequestFilter, $o: LandRequestOrder) { landRequests(first: 100, filter: $f, orderBy: $o) { edges { node { id areaMu } } } }`;
    const run = async (f: object, o?: object) =>
      (await t.gql(q, { f: { enterpriseId: gid('Enterprise', a.enterprise.id), ...f }, o }, tok.zrzy)).data.landRequests.edges.map((e: any) => e.node.id);
    expect(await run({ statuses: ['LISTED'] })).toEqual([a.id]);
    expect(await run({ territoryId: gid('OrgUnit', (await unitByCode(ds, 'MY-YX')).id) }, { field: 'AREA', direction: 'DESC' })).toEqual([a.id, bId]);
    expect(await run({ territoryId: gid('OrgUnit', (await unitByCode(ds, 'MY-FC')).id) })).toEqual([]);
    expect(await run({ supplyMethods: ['AUCTION'] })).toEqual([a.id]);
    expect(await run({ farmlandTypes: ['CULTIVATED'] })).toEqual([bId]);
    expect(await run({ areaMu: { min: '100' } })).toEqual([a.id]);
  });

  it('derives hectares exactly from 亩 (15 亩 = 1 ha)', async () => {
    const { id } = await requestIn(S.DRAFT, { areaMu: '100' });
    expect((await t.gql(REQUEST, { id }, tok.zrzy)).data.landRequest).toMatchObject({ areaMu: '100', areaHectares: '6.6667' });
    const { id: id2 } = await requestIn(S.DRAFT, { areaMu: '180' });
    expect((await t.gql(REQUEST, { id: id2 }, tok.zrzy)).data.landRequest).toMatchObject({ areaMu: '180', areaHectares: '12' });
  });

  it('offers no filter on the deal price', async () => {
    expect(codeOf(await t.gql(`{ landRequests(filter: { dealPrice: { min: "1" } }) { totalCount } }`, {}, tok.zrzy))).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

// -----------------------------------------------------------------------------------------------

describe('drafting land requests', () => {
  const CREATE = `mutation($i: CreateLandRequestInput!) { createLandRequest(input: $i) { landRequest { ${FIELDS} territory { code } viewerCan { update submit review } } } }`;
  const UPDATE = `mutation($i: UpdateLandRequestInput!) { updateLandRequest(input: $i) { landRequest { id version areaMu location plotRatio } } }`;
  const input = (project: Project, extra = {}) => ({
    projectId: gid('Project', project.id),
    areaMu: '45.5',
    landUse: '工业用地（二类）',
    location: '涪城区东片区',
    planConformity: 'CONFORMS',
    farmlandType: 'NONE',
    supplyMethod: 'LISTING',
    investmentIntensity: '300',
    taxPerMu: '15',
    plotRatio: '1.2',
    expectedDate: '2027-03',
    ...extra,
  });

  it('lets a county draft a request for a project of its territory, audited; the scope keys follow the project', async () => {
    const project = await createProject(ds, await createEnterprise(ds, 'MY-FC'));
    const res = await t.gql(CREATE, { i: input(project) }, tok.fucheng);
    expect(res.errors).toBeUndefined();
    expect(res.data.createLandRequest.landRequest).toMatchObject({
      version: 1, status: 'DRAFT', areaMu: '45.5', areaHectares: '3.0333', territory: { code: 'MY-FC' }, viewerCan: { update: true, submit: true, review: false },
    });
    const row = await ds.manager.findOneByOrFail(LandRequest, { projectId: project.id });
    expect(row).toMatchObject({ territoryId: project.territoryId, enterpriseId: project.enterpriseId });
    expect(await ds.manager.countBy(AuditEvent, { subjectType: 'LandRequest', recordId: row.id, action: 'create' })).toBe(1);
  });

  it('refuses outside scope (NOT_FOUND) and to roles that do not draft (FORBIDDEN), writing nothing', async () => {
    const enterprise = await createEnterprise(ds, 'MY-YX');
    const project = await createProject(ds, enterprise);
    const before = await ds.manager.count(LandRequest);
    expect(codeOf(await t.gql(CREATE, { i: input(project) }, tok.fucheng))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(CREATE, { i: input(project) }, tok.zrzy))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(CREATE, { i: input(project) }, await enterpriseToken(enterprise, 'MY-YX')))).toBe('FORBIDDEN');
    expect(await ds.manager.count(LandRequest)).toBe(before);
  });

  it.each([
    ['areaMu', { areaMu: '0' }],
    ['areaMu', { areaMu: '12.345' }],
    ['landUse', { landUse: ' ' }],
    ['location', { location: 'x'.repeat(301) }],
    ['plotRatio', { plotRatio: '1.234' }],
    ['plotRatio', { plotRatio: '0' }],
    ['taxPerMu', { taxPerMu: '-1' }],
    ['projectId', { projectId: gid('Enterprise', 1) }],
  ])('rejects a bad %s with BAD_USER_INPUT naming it, writing nothing', async (field, extra) => {
    const project = await createProject(ds, await createEnterprise(ds, 'MY-FC'));
    const before = await ds.manager.count(LandRequest);
    const res = await t.gql(CREATE, { i: input(project, extra) }, tok.fucheng);
    expect(errorOf(res)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await ds.manager.count(LandRequest)).toBe(before);
  });

  it('changes a draft, and nothing once submitted', async () => {
    const draft = await requestIn(S.DRAFT);
    const ok = await t.gql(UPDATE, { i: { id: draft.id, expectedVersion: 1, areaMu: '60', plotRatio: null } }, tok.fucheng);
    expect(ok.data.updateLandRequest.landRequest).toMatchObject({ version: 2, areaMu: '60', plotRatio: null });
    expect(codeOf(await t.gql(UPDATE, { i: { id: draft.id, expectedVersion: 1, areaMu: '61' } }, tok.fucheng))).toBe('CONFLICT');
    const submitted = await requestIn(S.SUBMITTED);
    const before = await snapshotOf(submitted.request.id);
    const res = await t.gql(UPDATE, { i: { id: submitted.id, expectedVersion: 1, areaMu: '61' } }, tok.fucheng);
    expect(errorOf(res)?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'SUBMITTED' });
    expect(await snapshotOf(submitted.request.id)).toEqual(before);
    expect(codeOf(await t.gql(UPDATE, { i: { id: draft.id, expectedVersion: 2, areaMu: '1' } }, tok.zrzy))).toBe('FORBIDDEN');
  });
});

// -----------------------------------------------------------------------------------------------

type Who = 'fucheng' | 'youxian' | 'zrzy' | 'jxj' | 'enterprise';

interface StepCase {
  mutation: string;
  inputType?: string;
  from: S;
  to: S;
  may: Who;
  mayNot: Who;
  outOfScope?: Who;
  input?: Record<string, unknown>;
  attrs?: Partial<LandRequest>;
}

const STEPS: StepCase[] = [
  { mutation: 'submitLandRequest', from: S.DRAFT, to: S.SUBMITTED, may: 'fucheng', mayNot: 'zrzy', outOfScope: 'youxian' },
  { mutation: 'reviewLandRequest', from: S.SUBMITTED, to: S.NR_REVIEW, may: 'zrzy', mayNot: 'fucheng' },
  { mutation: 'planLandSupply', from: S.NR_REVIEW, to: S.IN_SUPPLY_PLAN, may: 'zrzy', mayNot: 'jxj' },
  { mutation: 'listLandRequest', inputType: 'ListLandRequestInput', from: S.IN_SUPPLY_PLAN, to: S.LISTED, may: 'zrzy', mayNot: 'fucheng', input: { plotNo: 'MY-FC-2026-G01' } },
  { mutation: 'recordLandListingFailure', from: S.LISTED, to: S.FAILED, may: 'zrzy', mayNot: 'fucheng', input: { comment: '流拍' } },
  { mutation: 'listLandRequest', inputType: 'ListLandRequestInput', from: S.FAILED, to: S.LISTED, may: 'zrzy', mayNot: 'enterprise', attrs: { plotNo: 'MY-FC-2026-G02' } },
  { mutation: 'transactLandRequest', inputType: 'TransactLandRequestInput', from: S.LISTED, to: S.TRANSACTED, may: 'zrzy', mayNot: 'jxj', input: { dealPrice: '1260.5' } },
  { mutation: 'contractLandRequest', inputType: 'ContractLandRequestInput', from: S.TRANSACTED, to: S.CONTRACTED, may: 'zrzy', mayNot: 'fucheng', input: { contractNo: '5107032026B00012' } },
  { mutation: 'deliverLandRequest', inputType: 'DeliverLandRequestInput', from: S.CONTRACTED, to: S.DELIVERED, may: 'zrzy', mayNot: 'fucheng', input: { deliveredOn: '2026-01-20' } },
  { mutation: 'closeLandRequest', from: S.DELIVERED, to: S.CLOSED, may: 'zrzy', mayNot: 'fucheng' },
  { mutation: 'rejectLandRequest', from: S.NR_REVIEW, to: S.REJECTED, may: 'zrzy', mayNot: 'fucheng', input: { comment: '涉及永久基本农田' } },
  { mutation: 'withdrawLandRequest', from: S.SUBMITTED, to: S.WITHDRAWN, may: 'fucheng', mayNot: 'zrzy', outOfScope: 'youxian', input: { comment: '企业调整选址' } },
  { mutation: 'withdrawLandRequest', from: S.DRAFT, to: S.WITHDRAWN, may: 'fucheng', mayNot: 'enterprise', input: { comment: '不再需要' } },
];

describe('the land workflow, step by step', () => {
  const tokenOf = async (who: Who, enterprise: Enterprise) => (who === 'enterprise' ? enterpriseToken(enterprise) : tok[who]);

  it.each(STEPS.map((s) => [`${s.mutation} ${s.from} → ${s.to} by ${s.may}, not by ${s.mayNot}${s.outOfScope ? ` nor ${s.outOfScope}` : ''}`, s]))(
    '%s',
    async (_name, s) => {
      const { request, id, enterprise } = await requestIn(s.from, s.attrs);
      const q = step(s.mutation, s.inputType);
      const i = { id, expectedVersion: 1, ...s.input };
      const before = await snapshotOf(request.id);
      expect(codeOf(await t.gql(q, { i }, await tokenOf(s.mayNot, enterprise)))).toBe('FORBIDDEN');
      expect(await snapshotOf(request.id)).toEqual(before);
      if (s.outOfScope) {
        expect(codeOf(await t.gql(q, { i }, await tokenOf(s.outOfScope, enterprise)))).toBe('NOT_FOUND');
        expect(await snapshotOf(request.id)).toEqual(before);
      }
      const res = await t.gql(q, { i }, await tokenOf(s.may, enterprise));
      expect(res.errors).toBeUndefined();
      expect(res.data[s.mutation].landRequest).toMatchObject({ status: s.to, version: 2 });
      const history = await ds.manager.findBy(WorkflowTransition, { subjectType: 'LandRequest', recordId: request.id });
      expect(history.map((h) => [h.fromState, h.toState])).toEqual([[s.from, s.to]]);
      expect(await ds.manager.countBy(AuditEvent, { subjectType: 'LandRequest', recordId: request.id })).toBe(before.audit + 1);
    },
  );

  it('records the plot, the deal price, the contract and the delivery day as it goes; relisting keeps the plot', async () => {
    const { id } = await requestIn(S.IN_SUPPLY_PLAN);
    const run = async (mutation: string, inputType: string, version: number, extra = {}) =>
      (await t.gql(step(mutation, inputType), { i: { id, expectedVersion: version, ...extra } }, tok.zrzy)).data[mutation].landRequest;
    expect(await run('listLandRequest', 'ListLandRequestInput', 1, { plotNo: 'G-07' })).toMatchObject({ status: 'LISTED', plotNo: 'G-07' });
    expect(await run('recordLandListingFailure', 'TransitionInput', 2)).toMatchObject({ status: 'FAILED', plotNo: 'G-07' });
    expect(await run('listLandRequest', 'ListLandRequestInput', 3)).toMatchObject({ status: 'LISTED', plotNo: 'G-07' });
    expect(await run('transactLandRequest', 'TransactLandRequestInput', 4, { dealPrice: '1080.25' })).toMatchObject({ status: 'TRANSACTED', dealPrice: '1080.25' });
    expect(await run('contractLandRequest', 'ContractLandRequestInput', 5, { contractNo: 'HT-2026-001' })).toMatchObject({ status: 'CONTRACTED', contractNo: 'HT-2026-001' });
    const delivered = await run('deliverLandRequest', 'DeliverLandRequestInput', 6);
    expect(delivered.status).toBe('DELIVERED');
    expect(delivered.deliveredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it.each([
    ['planLandSupply', 'TransitionInput', S.NR_REVIEW, 'farmlandType', {}, { farmlandType: FarmlandType.PERMANENT_BASIC }],
    ['listLandRequest', 'ListLandRequestInput', S.IN_SUPPLY_PLAN, 'plotNo', {}, {}],
    ['transactLandRequest', 'TransactLandRequestInput', S.LISTED, 'dealPrice', { dealPrice: '0' }, {}],
    ['contractLandRequest', 'ContractLandRequestInput', S.TRANSACTED, 'contractNo', { contractNo: '  ' }, {}],
    ['deliverLandRequest', 'DeliverLandRequestInput', S.CONTRACTED, 'deliveredOn', { deliveredOn: '2099-01-01' }, {}],
    ['deliverLandRequest', 'DeliverLandRequestInput', S.CONTRACTED, 'deliveredOn', { deliveredOn: '01/02/2026' }, {}],
  ] as const)('%s refuses a bad %s… (%s → field %s)', async (mutation, inputType, from, field, extra, attrs) => {
    const { request, id } = await requestIn(from, attrs);
    const before = await snapshotOf(request.id);
    const res = await t.gql(step(mutation, inputType), { i: { id, expectedVersion: 1, ...extra } }, tok.zrzy);
    expect(errorOf(res)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await snapshotOf(request.id)).toEqual(before);
  });

  it('allows no rejection or withdrawal once the land is sold, naming the allowed steps', async () => {
    const { request, id } = await requestIn(S.TRANSACTED, { dealPrice: '500' });
    const before = await snapshotOf(request.id);
    const rejected = await t.gql(step('rejectLandRequest'), { i: { id, expectedVersion: 1, comment: '不予供地' } }, tok.zrzy);
    expect(errorOf(rejected)?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'TRANSACTED', allowedActions: ['contract'] });
    const withdrawn = await t.gql(step('withdrawLandRequest'), { i: { id, expectedVersion: 1, comment: '撤回' } }, tok.fucheng);
    expect(codeOf(withdrawn)).toBe('INVALID_TRANSITION');
    expect(await snapshotOf(request.id)).toEqual(before);
  });

  it('needs a comment to reject or withdraw, and the version read', async () => {
    const { request, id } = await requestIn(S.SUBMITTED);
    const before = await snapshotOf(request.id);
    expect(errorOf(await t.gql(step('rejectLandRequest'), { i: { id, expectedVersion: 1 } }, tok.zrzy))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'comment' });
    expect(codeOf(await t.gql(step('reviewLandRequest'), { i: { id, expectedVersion: 7 } }, tok.zrzy))).toBe('CONFLICT');
    expect(await snapshotOf(request.id)).toEqual(before);
  });
});

// -----------------------------------------------------------------------------------------------

describe('who sees the deal price', () => {
  const q = `query($id: ID!) { landRequest(id: $id) { status dealPrice } }`;

  it('shows it to 自然资源局, city roles and the owning territory; never to the enterprise', async () => {
    const { id, enterprise } = await requestIn(S.TRANSACTED, { dealPrice: '2160' });
    for (const token of [tok.zrzy, tok.jxj, tok.leader, tok.fucheng]) {
      expect((await t.gql(q, { id }, token)).data.landRequest).toEqual({ status: 'TRANSACTED', dealPrice: '2160' });
    }
    expect((await t.gql(q, { id }, await enterpriseToken(enterprise))).data.landRequest).toEqual({ status: 'TRANSACTED', dealPrice: null });
    expect(codeOf(await t.gql(q, { id }, tok.youxian))).toBe('NOT_FOUND');
  });

  it('hides it from the enterprise in lists too', async () => {
    const { enterprise } = await requestIn(S.CLOSED, { dealPrice: '999' });
    const res = await t.gql(`{ landRequests { edges { node { dealPrice } } } }`, {}, await enterpriseToken(enterprise));
    expect(res.data.landRequests.edges).toEqual([{ node: { dealPrice: null } }]);
  });
});
