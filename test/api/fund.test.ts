/**
 * Fund programmes and applications through GraphQL: scope by every route, filters, drafting with its
 * guards, every workflow step for a role that may and one that may not, the money rules, and the
 * field rules on expert scores — each refused call leaving the database as it was.
 */
import { DataSource } from 'typeorm';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { AuditEvent } from '../../src/modules/audit/audit-event.entity';
import { Enterprise } from '../../src/modules/enterprise/enterprise.entity';
import { FundApplication, FundApplicationStatus as S } from '../../src/modules/fund/fund-application.entity';
import { FundDisbursement } from '../../src/modules/fund/fund-disbursement.entity';
import { FundBasis, FundProgram } from '../../src/modules/fund/fund-program.entity';
import { LibraryStatus, Project } from '../../src/modules/project/project.entity';
import { Role } from '../../src/modules/user/role.entity';
import { User } from '../../src/modules/user/user.entity';
import { WorkflowTransition } from '../../src/modules/workflow-history/workflow-transition.entity';
import { codeOf, errorOf, startTestApp, TestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createEnterprise, createFundApplication, createFundProgram, createProject } from '../helpers/domain-factories';
import { bind, createUser, unique, unitByCode } from '../helpers/factories';

let ds: DataSource;
let t: TestApp;
const gid = (type: string, id: number) => toGlobalId(type, id);
const DAY = 86_400_000;

const tokenFor = (role: string, scope: string, attrs: Partial<User> = {}) => t.tokenFor(role, scope, attrs);

/** Tokens of the city departments and a county (shared: their rules do not depend on the test's rows). */
const tok = {} as Record<'jxj' | 'czj' | 'zrzy' | 'leader' | 'fucheng' | 'youxian' | 'gaoxin', string>;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
  tok.jxj = await tokenFor('jxj_officer', 'MY');
  tok.czj = await tokenFor('czj_officer', 'MY');
  tok.zrzy = await tokenFor('zrzy_officer', 'MY');
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

/** An enterprise in `territory` with a project in the library. */
async function libraryProject(territory = 'MY-FC', attrs: Partial<Project> = {}) {
  const enterprise = await createEnterprise(ds, territory);
  const project = await createProject(ds, enterprise, { libraryStatus: LibraryStatus.IN_LIBRARY, ...attrs });
  return { enterprise, project };
}

/** An application in `status` to a fresh programme (ratio 0.1 of equipment 800, cap 500: at most 80 万元). */
async function applicationIn(status: S, attrs: Partial<FundApplication> = {}, territory = 'MY-FC') {
  const { enterprise, project } = await libraryProject(territory);
  const program = await createFundProgram(ds);
  const application = await createFundApplication(ds, program, project, { status, ...attrs });
  return { enterprise, project, program, application, id: gid('FundApplication', application.id) };
}

/** What a refused call must leave as it was: the row, its history and its audit trail. */
async function snapshotOf(applicationId: number) {
  return {
    row: await ds.manager.findOneByOrFail(FundApplication, { id: applicationId }),
    history: await ds.manager.countBy(WorkflowTransition, { subjectType: 'FundApplication', recordId: applicationId }),
    audit: await ds.manager.countBy(AuditEvent, { subjectType: 'FundApplication', recordId: applicationId }),
    tranches: await ds.manager.countBy(FundDisbursement, { applicationId }),
  };
}

const APPLICATION_FIELDS = `id version status requestedAmount basisAmount supportForm expertScore expertOpinion proposedAmount approvedAmount
  disbursedAmount countyOpinion cityOpinion acceptanceResult noticeStartsAt noticeEndsAt submittedAt`;
const APPLICATION = `query($id: ID!) { fundApplication(id: $id) { ${APPLICATION_FIELDS} } }`;
const step = (mutation: string, inputType = 'TransitionInput') =>
  `mutation($i: ${inputType}!) { ${mutation}(input: $i) { application { ${APPLICATION_FIELDS} disbursements { amount paidOn } } } }`;

// -----------------------------------------------------------------------------------------------

describe('fund programmes', () => {
  const CREATE = `mutation($i: CreateFundProgramInput!) { createFundProgram(input: $i) { program { id version year name source supportForms basis maxRatio cap windowOpen ownerUnit { code } viewerCan { update } } } }`;
  const UPDATE = `mutation($i: UpdateFundProgramInput!) { updateFundProgram(input: $i) { program { id version name cap maxRatio } } }`;
  const input = (extra = {}) => ({
    year: 2026,
    name: '2026年度技术改造专项资金',
    source: 'CITY',
    supportForms: ['SUBSIDY', 'AWARD'],
    basis: 'EQUIPMENT',
    maxRatio: '0.08',
    cap: '500',
    windowOpensAt: new Date(Date.now() - DAY).toISOString(),
    windowClosesAt: new Date(Date.now() + 30 * DAY).toISOString(),
    ...extra,
  });

  it('requires authentication', async () => {
    expect(codeOf(await t.gql('{ fundPrograms { totalCount } }'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(CREATE, { i: input() }))).toBe('UNAUTHENTICATED');
  });

  it('lets 经信局 create a programme (owned by 经信局 by default) and change it with optimistic locking, audited', async () => {
    const res = await t.gql(CREATE, { i: input() }, tok.jxj);
    expect(res.errors).toBeUndefined();
    const program = res.data.createFundProgram.program;
    expect(program).toMatchObject({
      version: 1, year: 2026, source: 'CITY', supportForms: ['SUBSIDY', 'AWARD'], basis: 'EQUIPMENT', maxRatio: '0.08', cap: '500',
      windowOpen: true, ownerUnit: { code: 'MY-D-JXJ' }, viewerCan: { update: true },
    });
    const updated = await t.gql(UPDATE, { i: { id: program.id, expectedVersion: 1, cap: '450.5' } }, tok.jxj);
    expect(updated.data.updateFundProgram.program).toMatchObject({ version: 2, cap: '450.5', maxRatio: '0.08' });
    expect(codeOf(await t.gql(UPDATE, { i: { id: program.id, expectedVersion: 1, cap: '1' } }, tok.jxj))).toBe('CONFLICT');
    const audits = await ds.manager.findBy(AuditEvent, { subjectType: 'FundProgram' });
    expect(audits.filter((a) => a.changes?.after?.name === '2026年度技术改造专项资金' || a.changes?.after?.cap === '450.5').length).toBeGreaterThanOrEqual(2);
  });

  it('refuses programme writes to everyone but 经信局, changing nothing', async () => {
    const program = await createFundProgram(ds);
    const before = await ds.manager.count(FundProgram);
    const { enterprise } = await libraryProject();
    for (const token of [tok.czj, tok.fucheng, tok.leader, await enterpriseToken(enterprise)]) {
      expect(codeOf(await t.gql(CREATE, { i: input() }, token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(UPDATE, { i: { id: gid('FundProgram', program.id), expectedVersion: 1, name: 'x' } }, token))).toBe('FORBIDDEN');
    }
    expect(await ds.manager.count(FundProgram)).toBe(before);
    expect((await ds.manager.findOneByOrFail(FundProgram, { id: program.id })).version).toBe(1);
  });

  it.each([
    ['maxRatio', { maxRatio: '0' }],
    ['maxRatio', { maxRatio: '1.01' }],
    ['cap', { cap: '0' }],
    ['cap', { cap: '-5' }],
    ['windowClosesAt', { windowClosesAt: new Date(Date.now() - 2 * DAY).toISOString() }],
    ['supportForms', { supportForms: [] }],
    ['year', { year: 1999 }],
    ['name', { name: '  ' }],
    ['ownerUnitId', { ownerUnitId: toGlobalId('OrgUnit', 1) }],
  ])('rejects a bad %s with BAD_USER_INPUT naming it, creating nothing', async (field, extra) => {
    const before = await ds.manager.count(FundProgram);
    const res = await t.gql(CREATE, { i: input(extra) }, tok.jxj);
    expect(errorOf(res)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await ds.manager.count(FundProgram)).toBe(before);
  });

  it('lists programmes to every role that reads them, newest year first, filtered by year and open window', async () => {
    const year = 2090 + Math.floor(Math.random() * 9);
    const open = await createFundProgram(ds, { year });
    const closed = await createFundProgram(ds, { year, windowOpensAt: new Date(Date.now() - 60 * DAY), windowClosesAt: new Date(Date.now() - 30 * DAY) });
    const { enterprise } = await libraryProject();
    const q = `query($f: FundProgramFilter) { fundPrograms(first: 100, filter: $f) { totalCount edges { node { id year windowOpen viewerCan { update } } } } }`;
    for (const token of [tok.fucheng, tok.czj, await enterpriseToken(enterprise)]) {
      const res = await t.gql(q, { f: { years: [year] } }, token);
      expect(res.errors).toBeUndefined();
      expect(res.data.fundPrograms.edges.map((e: any) => e.node.id).sort()).toEqual([gid('FundProgram', open.id), gid('FundProgram', closed.id)].sort());
      expect(res.data.fundPrograms.edges.every((e: any) => e.node.viewerCan.update === false)).toBe(true);
    }
    const onlyOpen = await t.gql(q, { f: { years: [year], windowOpen: true } }, tok.jxj);
    expect(onlyOpen.data.fundPrograms.edges.map((e: any) => e.node)).toEqual([{ id: gid('FundProgram', open.id), year, windowOpen: true, viewerCan: { update: true } }]);
    const all = await t.gql(`{ fundPrograms(first: 2) { edges { node { year } } } }`, {}, tok.jxj);
    const years = all.data.fundPrograms.edges.map((e: any) => e.node.year);
    expect(years).toEqual([...years].sort((a: number, b: number) => b - a));
    // zrzy has no rule on programmes at all.
    expect(codeOf(await t.gql(q, {}, tok.zrzy))).toBe('FORBIDDEN');
  });

  it('answers NOT_FOUND for an unknown programme and BAD_USER_INPUT for an id of another type', async () => {
    const q = `query($id: ID!) { fundProgram(id: $id) { id } }`;
    expect(codeOf(await t.gql(q, { id: gid('FundProgram', 99999999) }, tok.jxj))).toBe('NOT_FOUND');
    expect(errorOf(await t.gql(q, { id: gid('Project', 1) }, tok.jxj))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});

// -----------------------------------------------------------------------------------------------

describe('reading applications', () => {
  it('requires authentication', async () => {
    expect(codeOf(await t.gql('{ fundApplications { totalCount } }'))).toBe('UNAUTHENTICATED');
  });

  it('shows a county officer only its territory (with its parks), by every route', async () => {
    const mine = await applicationIn(S.SUBMITTED);
    const park = await applicationIn(S.SUBMITTED, {}, 'MY-YX-GXY');
    const theirs = await applicationIn(S.SUBMITTED, {}, 'MY-YX');
    const ids = (res: any) => res.data.fundApplications.edges.map((e: any) => e.node.id);
    const list = `query($f: FundApplicationFilter) { fundApplications(first: 100, filter: $f) { totalCount edges { node { id } } } }`;

    const fc = await t.gql(list, { f: { programId: gid('FundProgram', mine.program.id) } }, tok.fucheng);
    expect(ids(fc)).toEqual([mine.id]);
    const yx = await t.gql(list, { f: { statuses: ['SUBMITTED'], territoryId: gid('OrgUnit', (await unitByCode(ds, 'MY-YX')).id) } }, tok.youxian);
    expect(ids(yx)).toEqual(expect.arrayContaining([park.id, theirs.id]));
    expect(ids(yx)).not.toContain(mine.id);
    // The same filter from fucheng: nothing of 游仙区 leaks, not even in the count.
    const leak = await t.gql(list, { f: { territoryId: gid('OrgUnit', (await unitByCode(ds, 'MY-YX')).id) } }, tok.fucheng);
    expect(leak.data.fundApplications).toEqual({ totalCount: 0, edges: [] });

    for (const route of [`query($id: ID!) { fundApplication(id: $id) { id } }`, `query($id: ID!) { node(id: $id) { id } }`]) {
      expect(codeOf(await t.gql(route, { id: theirs.id }, tok.fucheng))).toBe('NOT_FOUND');
      expect((await t.gql(route, { id: mine.id }, tok.fucheng)).errors).toBeUndefined();
    }
    const nested = await t.gql(`query($id: ID!) { project(id: $id) { fundApplications { totalCount edges { node { id status } } } } }`, { id: gid('Project', mine.project.id) }, tok.fucheng);
    expect(nested.data.project.fundApplications).toEqual({ totalCount: 1, edges: [{ node: { id: mine.id, status: 'SUBMITTED' } }] });
  });

  it("shows an enterprise user only its own enterprise's applications", async () => {
    const mine = await applicationIn(S.DRAFT);
    const other = await applicationIn(S.DRAFT);
    const token = await enterpriseToken(mine.enterprise);
    const res = await t.gql(`{ fundApplications(first: 100) { totalCount edges { node { id enterprise { id } program { id } project { id } } } } }`, {}, token);
    expect(res.data.fundApplications.totalCount).toBe(1);
    expect(res.data.fundApplications.edges[0].node).toEqual({
      id: mine.id, enterprise: { id: gid('Enterprise', mine.enterprise.id) }, program: { id: gid('FundProgram', mine.program.id) }, project: { id: gid('Project', mine.project.id) },
    });
    expect(codeOf(await t.gql(APPLICATION, { id: other.id }, token))).toBe('NOT_FOUND');
  });

  it('filters by status, programme, project, enterprise, support form and requested amount; every condition must hold', async () => {
    const a = await applicationIn(S.CITY_REVIEW, { requestedAmount: '60' });
    const program = a.program;
    const b = await createFundApplication(ds, program, (await libraryProject()).project, { status: S.DRAFT, requestedAmount: '20', supportForm: 'AWARD' });
    const q = `query($f: FundApplicationFilter) { fundApplications(first: 100, filter: $f) { totalCount edges { node { id } } } }`;
    const run = async (f: object) => (await t.gql(q, { f: { programId: gid('FundProgram', program.id), ...f } }, tok.jxj)).data.fundApplications.edges.map((e: any) => e.node.id);
    const bId = gid('FundApplication', b.id);
    expect((await run({})).sort()).toEqual([a.id, bId].sort());
    expect(await run({ statuses: ['CITY_REVIEW'] })).toEqual([a.id]);
    expect(await run({ projectId: gid('Project', a.project.id) })).toEqual([a.id]);
    expect(await run({ enterpriseId: gid('Enterprise', b.enterpriseId) })).toEqual([bId]);
    expect(await run({ supportForms: ['AWARD'] })).toEqual([bId]);
    expect(await run({ requestedAmount: { min: '50' } })).toEqual([a.id]);
    expect(await run({ statuses: ['CITY_REVIEW'], supportForms: ['AWARD'] })).toEqual([]);
    const ordered = await t.gql(`query($f: FundApplicationFilter) { fundApplications(filter: $f, orderBy: { field: REQUESTED_AMOUNT, direction: DESC }) { edges { node { requestedAmount } } } }`, { f: { programId: gid('FundProgram', program.id) } }, tok.jxj);
    expect(ordered.data.fundApplications.edges.map((e: any) => e.node.requestedAmount)).toEqual(['60', '20']);
  });

  it('offers no filter or sort on expert scores and proposals (a filter on a hidden field would leak it)', async () => {
    const res = await t.gql(`{ fundApplications(filter: { expertScore: { min: "90" } }) { totalCount } }`, {}, tok.fucheng);
    expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    const sort = await t.gql(`{ fundApplications(orderBy: { field: EXPERT_SCORE }) { totalCount } }`, {}, tok.fucheng);
    expect(codeOf(sort)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('is refused to roles with no rule on applications at all (自然资源局)', async () => {
    expect(codeOf(await t.gql('{ fundApplications { totalCount } }', {}, tok.zrzy))).toBe('FORBIDDEN');
  });
});

// -----------------------------------------------------------------------------------------------

describe('drafting applications', () => {
  const CREATE = `mutation($i: CreateFundApplicationInput!) { createFundApplication(input: $i) { application { ${APPLICATION_FIELDS} territory { code } viewerCan { update submit countyReview } } } }`;
  const UPDATE = `mutation($i: UpdateFundApplicationInput!) { updateFundApplication(input: $i) { application { id version requestedAmount basisAmount supportForm } } }`;
  const input = (program: FundProgram, project: Project, extra = {}) => ({
    programId: gid('FundProgram', program.id),
    projectId: gid('Project', project.id),
    supportForm: 'SUBSIDY',
    requestedAmount: '80',
    ...extra,
  });

  it('lets an enterprise draft for its own project in the library: basis from the project, at most ratio × basis exactly, audited', async () => {
    const { enterprise, project } = await libraryProject('MY-FC', { equipmentInvestment: '800' });
    const program = await createFundProgram(ds, { maxRatio: '0.1', cap: '500' });
    const token = await enterpriseToken(enterprise);
    const res = await t.gql(CREATE, { i: input(program, project) }, token);
    expect(res.errors).toBeUndefined();
    expect(res.data.createFundApplication.application).toMatchObject({
      version: 1, status: 'DRAFT', requestedAmount: '80', basisAmount: '800', supportForm: 'SUBSIDY', territory: { code: 'MY-FC' },
      viewerCan: { update: true, submit: true, countyReview: false },
    });
    const audits = await ds.manager.findBy(AuditEvent, { subjectType: 'FundApplication', action: 'create', enterpriseId: enterprise.id });
    expect(audits).toHaveLength(1);
  });

  it('lets a county draft on behalf of an enterprise of its territory; the scope keys follow the project', async () => {
    const { project } = await libraryProject('MY-FC');
    const program = await createFundProgram(ds);
    const res = await t.gql(CREATE, { i: input(program, project, { requestedAmount: '12.3456' }) }, tok.fucheng);
    expect(res.data.createFundApplication.application).toMatchObject({ requestedAmount: '12.3456', territory: { code: 'MY-FC' } });
    const row = await ds.manager.findOneByOrFail(FundApplication, { programId: program.id });
    expect(row).toMatchObject({ territoryId: project.territoryId, enterpriseId: project.enterpriseId });
  });

  it.each([
    ['requestedAmount', 'one ten-thousandth of a yuan over ratio × basis', { requestedAmount: '80.0001' }, {}],
    ['requestedAmount', 'over the cap', { requestedAmount: '60' }, { cap: '50' }],
    ['requestedAmount', 'zero', { requestedAmount: '0' }, {}],
    ['supportForm', 'a form the programme does not offer', { supportForm: 'INTEREST_SUBSIDY' }, {}],
    ['basisAmount', 'a basis above the equipment investment', { basisAmount: '800.01', requestedAmount: '1' }, {}],
    ['basisAmount', 'no basis for a loan-interest programme', {}, { basis: FundBasis.LOAN_INTEREST }],
    ['programId', 'a window not open yet', {}, { windowOpensAt: new Date(Date.now() + DAY), windowClosesAt: new Date(Date.now() + 9 * DAY) }],
    ['programId', 'a window closed', {}, { windowOpensAt: new Date(Date.now() - 9 * DAY), windowClosesAt: new Date(Date.now() - DAY) }],
  ])('refuses %s (%s) with BAD_USER_INPUT naming it, writing nothing', async (field, _what, extra, programAttrs) => {
    const { project } = await libraryProject('MY-FC', { equipmentInvestment: '800' });
    const program = await createFundProgram(ds, { maxRatio: '0.1', cap: '500', ...programAttrs });
    const before = await ds.manager.count(FundApplication);
    const res = await t.gql(CREATE, { i: input(program, project, extra) }, tok.fucheng);
    expect(errorOf(res)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await ds.manager.count(FundApplication)).toBe(before);
  });

  it('accepts exactly min(cap, ratio × basis), with an explicit basis', async () => {
    const { project } = await libraryProject('MY-FC', { equipmentInvestment: '333.3333' });
    const program = await createFundProgram(ds, { maxRatio: '0.0833', cap: '500' });
    // 0.0833 × 333.3333 = 27.76666389: 27.7666 fits, 27.7667 does not.
    const over = await t.gql(CREATE, { i: input(program, project, { requestedAmount: '27.7667' }) }, tok.fucheng);
    expect(errorOf(over)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'requestedAmount' });
    expect(errorOf(over)?.message).toContain('27.7666');
    const ok = await t.gql(CREATE, { i: input(program, project, { requestedAmount: '27.7666' }) }, tok.fucheng);
    expect(ok.data.createFundApplication.application).toMatchObject({ requestedAmount: '27.7666', basisAmount: '333.3333' });
  });

  it('refuses a project not in the library (先入库、再申报)', async () => {
    for (const status of [LibraryStatus.DRAFT, LibraryStatus.COUNTY_CHECKED, LibraryStatus.WITHDRAWN]) {
      const { project } = await libraryProject('MY-FC', { libraryStatus: status });
      const res = await t.gql(CREATE, { i: input(await createFundProgram(ds), project) }, tok.fucheng);
      expect(errorOf(res)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'projectId' });
    }
  });

  it('allows one application per enterprise per programme: a second one, even for another project, is CONFLICT', async () => {
    const { enterprise, project } = await libraryProject();
    const second = await createProject(ds, enterprise, { libraryStatus: LibraryStatus.IN_LIBRARY });
    const program = await createFundProgram(ds);
    expect((await t.gql(CREATE, { i: input(program, project) }, tok.fucheng)).errors).toBeUndefined();
    const before = await ds.manager.count(FundApplication);
    const res = await t.gql(CREATE, { i: input(program, second) }, tok.fucheng);
    expect(errorOf(res)?.extensions).toMatchObject({ code: 'CONFLICT', field: 'programId' });
    expect(await ds.manager.count(FundApplication)).toBe(before);
    // Another programme is fine.
    expect((await t.gql(CREATE, { i: input(await createFundProgram(ds), second) }, tok.fucheng)).errors).toBeUndefined();
  });

  it('answers NOT_FOUND for an unknown programme and for a project outside scope; FORBIDDEN to roles that do not draft', async () => {
    const { project } = await libraryProject('MY-YX');
    const program = await createFundProgram(ds);
    const before = await ds.manager.count(FundApplication);
    const unknown = await t.gql(CREATE, { i: input(program, project, { programId: gid('FundProgram', 99999999) }) }, tok.youxian);
    expect(codeOf(unknown)).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(CREATE, { i: input(program, project) }, tok.fucheng))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(CREATE, { i: input(program, project) }, tok.jxj))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(CREATE, { i: input(program, project) }, tok.czj))).toBe('FORBIDDEN');
    expect(await ds.manager.count(FundApplication)).toBe(before);
  });

  it('changes a draft or returned application within the rules, and nothing once it is under review', async () => {
    const draft = await applicationIn(S.DRAFT);
    const ok = await t.gql(UPDATE, { i: { id: draft.id, expectedVersion: 1, requestedAmount: '70', supportForm: 'SUBSIDY' } }, tok.fucheng);
    expect(ok.data.updateFundApplication.application).toMatchObject({ version: 2, requestedAmount: '70' });
    const over = await t.gql(UPDATE, { i: { id: draft.id, expectedVersion: 2, basisAmount: '100' } }, tok.fucheng);
    expect(errorOf(over)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'requestedAmount' });
    const returned = await applicationIn(S.RETURNED);
    expect((await t.gql(UPDATE, { i: { id: returned.id, expectedVersion: 1, requestedAmount: '1' } }, tok.fucheng)).errors).toBeUndefined();

    const reviewing = await applicationIn(S.COUNTY_REVIEW);
    const before = await snapshotOf(reviewing.application.id);
    const res = await t.gql(UPDATE, { i: { id: reviewing.id, expectedVersion: 1, requestedAmount: '1' } }, tok.fucheng);
    expect(errorOf(res)?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'COUNTY_REVIEW' });
    expect(await snapshotOf(reviewing.application.id)).toEqual(before);
  });
});

// -----------------------------------------------------------------------------------------------

type Who = 'fucheng' | 'youxian' | 'jxj' | 'czj' | 'enterprise';

interface StepCase {
  mutation: string;
  inputType?: string;
  from: S;
  to: S;
  may: Who;
  mayNot: Who;
  /** A user who holds the action somewhere but cannot see this row: NOT_FOUND. */
  outOfScope?: Who;
  input?: Record<string, unknown>;
  attrs?: Partial<FundApplication>;
}

const past = () => new Date(Date.now() - 8 * DAY);

const STEPS: StepCase[] = [
  { mutation: 'submitFundApplication', from: S.DRAFT, to: S.SUBMITTED, may: 'enterprise', mayNot: 'jxj', outOfScope: 'youxian' },
  { mutation: 'submitFundApplication', from: S.RETURNED, to: S.SUBMITTED, may: 'fucheng', mayNot: 'czj', outOfScope: 'youxian' },
  { mutation: 'countyReviewFundApplication', from: S.SUBMITTED, to: S.COUNTY_REVIEW, may: 'fucheng', mayNot: 'enterprise', outOfScope: 'youxian' },
  { mutation: 'countyRecommendFundApplication', from: S.COUNTY_REVIEW, to: S.COUNTY_RECOMMENDED, may: 'fucheng', mayNot: 'jxj', outOfScope: 'youxian', input: { comment: '经区经信、财政联合初审，同意推荐' } },
  { mutation: 'cityReviewFundApplication', from: S.COUNTY_RECOMMENDED, to: S.CITY_REVIEW, may: 'czj', mayNot: 'fucheng' },
  { mutation: 'cityReviewFundApplication', from: S.COUNTY_RECOMMENDED, to: S.CITY_REVIEW, may: 'jxj', mayNot: 'enterprise' },
  { mutation: 'expertReviewFundApplication', from: S.CITY_REVIEW, to: S.EXPERT_REVIEW, may: 'jxj', mayNot: 'czj', input: { comment: '复审通过' } },
  {
    mutation: 'proposeFundAllocation', inputType: 'ProposeFundAllocationInput', from: S.EXPERT_REVIEW, to: S.ALLOCATION_PROPOSED, may: 'jxj', mayNot: 'czj',
    input: { expertScore: '86.5', expertOpinion: '建议支持', proposedAmount: '45' },
  },
  { mutation: 'publishFundNotice', inputType: 'PublishFundNoticeInput', from: S.ALLOCATION_PROPOSED, to: S.PUBLIC_NOTICE, may: 'jxj', mayNot: 'czj' },
  { mutation: 'objectToFundApplication', from: S.PUBLIC_NOTICE, to: S.CITY_REVIEW, may: 'jxj', mayNot: 'czj', input: { comment: '公示期收到实名异议' } },
  {
    mutation: 'approveFundApplication', inputType: 'ApproveFundApplicationInput', from: S.PUBLIC_NOTICE, to: S.APPROVED, may: 'czj', mayNot: 'jxj',
    attrs: { proposedAmount: '45', noticeStartsAt: past(), noticeEndsAt: new Date(Date.now() - DAY) },
  },
  {
    mutation: 'disburseFundApplication', inputType: 'DisburseFundApplicationInput', from: S.APPROVED, to: S.DISBURSING, may: 'czj', mayNot: 'jxj',
    input: { amount: '20' }, attrs: { approvedAmount: '45' },
  },
  { mutation: 'acceptFundApplication', from: S.DISBURSED, to: S.ACCEPTED, may: 'jxj', mayNot: 'czj', input: { comment: '验收合格' } },
  { mutation: 'closeFundApplication', from: S.ACCEPTED, to: S.CLOSED, may: 'jxj', mayNot: 'czj' },
  { mutation: 'returnFundApplication', from: S.COUNTY_REVIEW, to: S.RETURNED, may: 'fucheng', mayNot: 'enterprise', outOfScope: 'youxian', input: { comment: '请补充发票' } },
  { mutation: 'returnFundApplication', from: S.CITY_REVIEW, to: S.RETURNED, may: 'czj', mayNot: 'enterprise', input: { comment: '请补充设备清单' } },
  { mutation: 'rejectFundApplication', from: S.CITY_REVIEW, to: S.REJECTED, may: 'jxj', mayNot: 'enterprise', input: { comment: '已获其他财政资金支持' } },
  { mutation: 'rejectFundApplication', from: S.SUBMITTED, to: S.REJECTED, may: 'fucheng', mayNot: 'enterprise', outOfScope: 'youxian', input: { comment: '不符合条件' } },
  { mutation: 'clawBackFundApplication', from: S.ACCEPTED, to: S.CLAWBACK, may: 'czj', mayNot: 'jxj', input: { comment: '资金未专账核算' } },
  { mutation: 'clawBackFundApplication', from: S.DISBURSING, to: S.CLAWBACK, may: 'czj', mayNot: 'fucheng', input: { comment: '虚报投资' }, attrs: { approvedAmount: '40', disbursedAmount: '20' } },
];

describe('the application workflow, step by step', () => {
  const tokenOf = async (who: Who, enterprise: Enterprise) => (who === 'enterprise' ? enterpriseToken(enterprise) : tok[who]);

  it.each(STEPS.map((s) => [`${s.mutation} ${s.from} → ${s.to} by ${s.may}, not by ${s.mayNot}${s.outOfScope ? ` nor ${s.outOfScope}` : ''}`, s]))(
    '%s',
    async (_name, s) => {
      const { application, id, enterprise } = await applicationIn(s.from, { requestedAmount: '50', ...s.attrs });
      const q = step(s.mutation, s.inputType);
      const i = { id, expectedVersion: 1, ...s.input };
      const before = await snapshotOf(application.id);

      // The row is visible to the role that may not: FORBIDDEN, nothing written.
      const refused = await t.gql(q, { i }, await tokenOf(s.mayNot, enterprise));
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(await snapshotOf(application.id)).toEqual(before);
      // Invisible to a county that holds the action for its own territory: NOT_FOUND.
      if (s.outOfScope) {
        expect(codeOf(await t.gql(q, { i }, await tokenOf(s.outOfScope, enterprise)))).toBe('NOT_FOUND');
        expect(await snapshotOf(application.id)).toEqual(before);
      }

      const res = await t.gql(q, { i }, await tokenOf(s.may, enterprise));
      expect(res.errors).toBeUndefined();
      expect(res.data[s.mutation].application).toMatchObject({ status: s.to, version: 2 });
      const history = await ds.manager.findBy(WorkflowTransition, { subjectType: 'FundApplication', recordId: application.id });
      expect(history.map((h) => [h.fromState, h.toState, h.comment ?? null])).toEqual([[s.from, s.to, (s.input?.comment as string) ?? null]]);
      expect(await ds.manager.countBy(AuditEvent, { subjectType: 'FundApplication', recordId: application.id })).toBe(before.audit + 1);
    },
  );

  it('answers INVALID_TRANSITION from the wrong state, naming the current state and the allowed steps', async () => {
    const { application, id } = await applicationIn(S.COUNTY_RECOMMENDED);
    const before = await snapshotOf(application.id);
    const res = await t.gql(step('countyReviewFundApplication'), { i: { id, expectedVersion: 1 } }, tok.fucheng);
    expect(errorOf(res)?.extensions).toMatchObject({
      code: 'INVALID_TRANSITION', currentState: 'COUNTY_RECOMMENDED', allowedActions: ['cityReview', 'return', 'reject'],
    });
    expect(await snapshotOf(application.id)).toEqual(before);
  });

  it('answers CONFLICT to a stale expectedVersion, changing nothing', async () => {
    const { application, id } = await applicationIn(S.SUBMITTED);
    await ds.manager.update(FundApplication, application.id, { version: 3 });
    const before = await snapshotOf(application.id);
    const res = await t.gql(step('countyReviewFundApplication'), { i: { id, expectedVersion: 2 } }, tok.fucheng);
    expect(errorOf(res)?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 3 });
    expect(await snapshotOf(application.id)).toEqual(before);
  });

  it.each([
    ['returnFundApplication', S.SUBMITTED, 'fucheng'],
    ['rejectFundApplication', S.CITY_REVIEW, 'jxj'],
    ['countyRecommendFundApplication', S.COUNTY_REVIEW, 'fucheng'],
    ['objectToFundApplication', S.PUBLIC_NOTICE, 'jxj'],
    ['acceptFundApplication', S.DISBURSED, 'jxj'],
    ['clawBackFundApplication', S.DISBURSED, 'czj'],
  ] as const)('%s needs a comment', async (mutation, from, who) => {
    const { application, id } = await applicationIn(from);
    const before = await snapshotOf(application.id);
    const res = await t.gql(step(mutation), { i: { id, expectedVersion: 1, comment: '  ' } }, tok[who]);
    expect(errorOf(res)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'comment' });
    expect(await snapshotOf(application.id)).toEqual(before);
  });

  it('keeps the county opinion, city opinion and acceptance result from the comments', async () => {
    const rec = await applicationIn(S.COUNTY_REVIEW);
    const r1 = await t.gql(step('countyRecommendFundApplication'), { i: { id: rec.id, expectedVersion: 1, comment: '同意推荐' } }, tok.fucheng);
    expect(r1.data.countyRecommendFundApplication.application.countyOpinion).toBe('同意推荐');
    const city = await applicationIn(S.CITY_REVIEW);
    const r2 = await t.gql(step('expertReviewFundApplication'), { i: { id: city.id, expectedVersion: 1, comment: '复审通过，提交专家评审' } }, tok.jxj);
    expect(r2.data.expertReviewFundApplication.application.cityOpinion).toBe('复审通过，提交专家评审');
    const paid = await applicationIn(S.DISBURSED);
    const r3 = await t.gql(step('acceptFundApplication'), { i: { id: paid.id, expectedVersion: 1, comment: '验收合格' } }, tok.jxj);
    expect(r3.data.acceptFundApplication.application.acceptanceResult).toBe('验收合格');
  });
});

// -----------------------------------------------------------------------------------------------

describe('guards of the workflow', () => {
  it('checks eligibility again at submission: the window, the library and the amount as they are now', async () => {
    const closed = await applicationIn(S.DRAFT);
    await ds.manager.update(FundProgram, closed.program.id, { windowClosesAt: new Date(Date.now() - DAY) });
    const withdrawn = await applicationIn(S.DRAFT);
    await ds.manager.update(Project, withdrawn.project.id, { libraryStatus: LibraryStatus.WITHDRAWN });
    const lowered = await applicationIn(S.RETURNED, { requestedAmount: '60' });
    await ds.manager.update(FundProgram, lowered.program.id, { cap: '59.9999' });
    for (const [c, field] of [[closed, 'programId'], [withdrawn, 'projectId'], [lowered, 'requestedAmount']] as const) {
      const before = await snapshotOf(c.application.id);
      const res = await t.gql(step('submitFundApplication'), { i: { id: c.id, expectedVersion: 1 } }, tok.fucheng);
      expect(errorOf(res)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await snapshotOf(c.application.id)).toEqual(before);
    }
    const ok = await applicationIn(S.DRAFT);
    const res = await t.gql(step('submitFundApplication'), { i: { id: ok.id, expectedVersion: 1 } }, tok.fucheng);
    expect(res.data.submitFundApplication.application.submittedAt).not.toBeNull();
  });

  it.each([
    ['expertScore', { expertScore: '-1' }],
    ['expertScore', { expertScore: '100.01' }],
    ['expertScore', { expertScore: '88.125' }],
    ['proposedAmount', { proposedAmount: '50.0001' }],
    ['proposedAmount', { proposedAmount: '0' }],
  ])('refuses a proposal with a bad %s', async (field, extra) => {
    const { application, id } = await applicationIn(S.EXPERT_REVIEW, { requestedAmount: '50' });
    const before = await snapshotOf(application.id);
    const i = { id, expectedVersion: 1, expertScore: '90', proposedAmount: '50', ...extra };
    const res = await t.gql(step('proposeFundAllocation', 'ProposeFundAllocationInput'), { i }, tok.jxj);
    expect(errorOf(res)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await snapshotOf(application.id)).toEqual(before);
  });

  it('accepts expert scores of 0 and 100', async () => {
    for (const score of ['0', '100']) {
      const { id } = await applicationIn(S.EXPERT_REVIEW, { requestedAmount: '50' });
      const res = await t.gql(step('proposeFundAllocation', 'ProposeFundAllocationInput'), { i: { id, expectedVersion: 1, expertScore: score, proposedAmount: '50' } }, tok.jxj);
      expect(res.data.proposeFundAllocation.application).toMatchObject({ expertScore: score, proposedAmount: '50' });
    }
  });

  it('runs the notice for the days given (7 by default, 1–30)', async () => {
    const { id } = await applicationIn(S.ALLOCATION_PROPOSED);
    const bad = await t.gql(step('publishFundNotice', 'PublishFundNoticeInput'), { i: { id, expectedVersion: 1, noticeDays: 0 } }, tok.jxj);
    expect(errorOf(bad)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'noticeDays' });
    const res = await t.gql(step('publishFundNotice', 'PublishFundNoticeInput'), { i: { id, expectedVersion: 1 } }, tok.jxj);
    const a = res.data.publishFundNotice.application;
    expect(new Date(a.noticeEndsAt).getTime() - new Date(a.noticeStartsAt).getTime()).toBe(7 * DAY);
  });

  it('approves only after the notice has ended, up to the requested amount, the proposal by default', async () => {
    const running = await applicationIn(S.PUBLIC_NOTICE, { proposedAmount: '45', noticeStartsAt: new Date(), noticeEndsAt: new Date(Date.now() + 3 * DAY) });
    const before = await snapshotOf(running.application.id);
    const early = await t.gql(step('approveFundApplication', 'ApproveFundApplicationInput'), { i: { id: running.id, expectedVersion: 1 } }, tok.czj);
    expect(errorOf(early)?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'PUBLIC_NOTICE', allowedActions: ['object'] });
    expect(await snapshotOf(running.application.id)).toEqual(before);

    const ended = { proposedAmount: '45', requestedAmount: '50', noticeStartsAt: past(), noticeEndsAt: new Date(Date.now() - DAY) };
    const over = await applicationIn(S.PUBLIC_NOTICE, ended);
    const res = await t.gql(step('approveFundApplication', 'ApproveFundApplicationInput'), { i: { id: over.id, expectedVersion: 1, approvedAmount: '50.0001' } }, tok.czj);
    expect(errorOf(res)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'approvedAmount' });
    const byDefault = await applicationIn(S.PUBLIC_NOTICE, ended);
    const ok = await t.gql(step('approveFundApplication', 'ApproveFundApplicationInput'), { i: { id: byDefault.id, expectedVersion: 1 } }, tok.czj);
    expect(ok.data.approveFundApplication.application).toMatchObject({ status: 'APPROVED', approvedAmount: '45' });
    const full = await applicationIn(S.PUBLIC_NOTICE, ended);
    const ok2 = await t.gql(step('approveFundApplication', 'ApproveFundApplicationInput'), { i: { id: full.id, expectedVersion: 1, approvedAmount: '50' } }, tok.czj);
    expect(ok2.data.approveFundApplication.application.approvedAmount).toBe('50');
  });

  it('pays in tranches that never exceed the approved amount: DISBURSING until paid in full, then DISBURSED', async () => {
    const { application, id } = await applicationIn(S.APPROVED, { approvedAmount: '33.3333' });
    const pay = (version: number, amount: string, extra = {}) =>
      t.gql(step('disburseFundApplication', 'DisburseFundApplicationInput'), { i: { id, expectedVersion: version, amount, ...extra } }, tok.czj);

    const first = await pay(1, '11.1111', { paidOn: '2026-01-15' });
    expect(first.data.disburseFundApplication.application).toMatchObject({ status: 'DISBURSING', disbursedAmount: '11.1111', version: 2 });
    expect(first.data.disburseFundApplication.application.disbursements).toEqual([{ amount: '11.1111', paidOn: '2026-01-15' }]);

    for (const [amount, extra, field] of [['22.2223', {}, 'amount'], ['0', {}, 'amount'], ['1', { paidOn: '2099-01-01' }, 'paidOn'], ['1', { paidOn: '2026-02-30' }, 'paidOn']] as const) {
      const before = await snapshotOf(application.id);
      expect(errorOf(await pay(2, amount, extra))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(await snapshotOf(application.id)).toEqual(before);
    }

    const second = await pay(2, '11.1111');
    expect(second.data.disburseFundApplication.application).toMatchObject({ status: 'DISBURSING', disbursedAmount: '22.2222' });
    const last = await pay(3, '11.1111');
    expect(last.data.disburseFundApplication.application).toMatchObject({ status: 'DISBURSED', disbursedAmount: '33.3333' });
    expect(last.data.disburseFundApplication.application.disbursements.map((d: any) => d.amount)).toEqual(['11.1111', '11.1111', '11.1111']);

    const more = await pay(4, '0.0001');
    expect(errorOf(more)?.extensions).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'DISBURSED' });
    const history = await ds.manager.find(WorkflowTransition, { where: { subjectType: 'FundApplication', recordId: application.id }, order: { id: 'ASC' } });
    expect(history.map((h) => [h.action, h.toState])).toEqual([['disburse', 'DISBURSING'], ['disburse', 'DISBURSING'], ['disburse', 'DISBURSED']]);
    const rows = await ds.manager.findBy(FundDisbursement, { applicationId: application.id });
    expect(rows.every((r) => r.territoryId === application.territoryId && r.enterpriseId === application.enterpriseId)).toBe(true);
  });

  it('pays a single tranche of the whole approved amount straight to DISBURSED', async () => {
    const { id } = await applicationIn(S.APPROVED, { approvedAmount: '45' });
    const res = await t.gql(step('disburseFundApplication', 'DisburseFundApplicationInput'), { i: { id, expectedVersion: 1, amount: '45' } }, tok.czj);
    expect(res.data.disburseFundApplication.application).toMatchObject({ status: 'DISBURSED', disbursedAmount: '45' });
  });

  it('sends an application back to city review on an objection during the notice, ending the notice and hiding the scores again', async () => {
    const { id, enterprise } = await applicationIn(S.PUBLIC_NOTICE, { expertScore: '88', proposedAmount: '45', noticeStartsAt: new Date(), noticeEndsAt: new Date(Date.now() + 7 * DAY) });
    const lier = await enterpriseToken(enterprise);
    expect((await t.gql(APPLICATION, { id }, lier)).data.fundApplication.expertScore).toBe('88');
    const res = await t.gql(step('objectToFundApplication'), { i: { id, expectedVersion: 1, comment: '收到异议' } }, tok.jxj);
    expect(res.data.objectToFundApplication.application).toMatchObject({ status: 'CITY_REVIEW', noticeStartsAt: null, noticeEndsAt: null });
    expect((await t.gql(APPLICATION, { id }, lier)).data.fundApplication).toMatchObject({ status: 'CITY_REVIEW', expertScore: null, proposedAmount: null });
  });

  it('lets a returned application be changed and submitted again', async () => {
    const { id } = await applicationIn(S.COUNTY_REVIEW, { requestedAmount: '80' });
    await t.gql(step('returnFundApplication'), { i: { id, expectedVersion: 1, comment: '金额偏高' } }, tok.fucheng);
    const upd = `mutation($i: UpdateFundApplicationInput!) { updateFundApplication(input: $i) { application { version requestedAmount } } }`;
    expect((await t.gql(upd, { i: { id, expectedVersion: 2, requestedAmount: '60' } }, tok.fucheng)).data.updateFundApplication.application).toEqual({ version: 3, requestedAmount: '60' });
    const res = await t.gql(step('submitFundApplication'), { i: { id, expectedVersion: 3 } }, tok.fucheng);
    expect(res.data.submitFundApplication.application.status).toBe('SUBMITTED');
  });

  it('answers NOT_FOUND to a user who holds the step only for rows it cannot read (custom role)', async () => {
    const role = await ds.manager.save(ds.manager.create(Role, {
      key: unique('fc_reviewer'), name: 'reviewer of 涪城区 only', builtIn: false,
      rules: [{ action: ['read', 'cityReview'], subject: 'FundApplication', conditions: { territoryId: { $in: '${scope.subtree}' } } }],
    }));
    const user = await createUser(ds);
    await bind(ds, user, role.key, 'MY-FC');
    const token = await t.login(user.username);
    const { application, id } = await applicationIn(S.COUNTY_RECOMMENDED, {}, 'MY-YX');
    const before = await snapshotOf(application.id);
    expect(codeOf(await t.gql(step('cityReviewFundApplication'), { i: { id, expectedVersion: 1 } }, token))).toBe('NOT_FOUND');
    expect(await snapshotOf(application.id)).toEqual(before);
    const mine = await applicationIn(S.COUNTY_RECOMMENDED);
    expect((await t.gql(step('cityReviewFundApplication'), { i: { id: mine.id, expectedVersion: 1 } }, token)).data.cityReviewFundApplication.application.status).toBe('CITY_REVIEW');
  });
});

// -----------------------------------------------------------------------------------------------

describe('expert scores and proposals before and after the notice', () => {
  const REVIEW = 'expertScore expertOpinion proposedAmount';
  const q = `query($id: ID!) { fundApplication(id: $id) { status ${REVIEW} } }`;
  const values = { expertScore: '91.5', expertOpinion: '技术先进', proposedAmount: '40', requestedAmount: '50' };

  it.each([S.EXPERT_REVIEW, S.ALLOCATION_PROPOSED, S.RETURNED, S.REJECTED])(
    'hides them from the county and the enterprise while %s; shows them to 经信局, 财政局 and leaders',
    async (status) => {
      const { id, enterprise } = await applicationIn(status, values);
      for (const token of [tok.fucheng, await enterpriseToken(enterprise)]) {
        const res = await t.gql(q, { id }, token);
        expect(res.errors).toBeUndefined();
        expect(res.data.fundApplication).toEqual({ status, expertScore: null, expertOpinion: null, proposedAmount: null });
      }
      for (const token of [tok.jxj, tok.czj, tok.leader]) {
        expect((await t.gql(q, { id }, token)).data.fundApplication).toEqual({ status, expertScore: '91.5', expertOpinion: '技术先进', proposedAmount: '40' });
      }
    },
  );

  it.each([S.PUBLIC_NOTICE, S.APPROVED, S.DISBURSING, S.DISBURSED, S.ACCEPTED, S.CLOSED, S.CLAWBACK])('shows them to everyone who reads the application once %s', async (status) => {
    const { id, enterprise } = await applicationIn(status, values);
    for (const token of [tok.fucheng, await enterpriseToken(enterprise), tok.jxj]) {
      expect((await t.gql(q, { id }, token)).data.fundApplication).toEqual({ status, expertScore: '91.5', expertOpinion: '技术先进', proposedAmount: '40' });
    }
  });

  it('applies to lists and mutation payloads alike: publishing the notice reveals them in the same response to nobody but who may see them', async () => {
    const { id, program } = await applicationIn(S.ALLOCATION_PROPOSED, values);
    const list = `query($f: FundApplicationFilter) { fundApplications(filter: $f) { edges { node { ${REVIEW} } } } }`;
    const f = { programId: gid('FundProgram', program.id) };
    expect((await t.gql(list, { f }, tok.fucheng)).data.fundApplications.edges[0].node).toEqual({ expertScore: null, expertOpinion: null, proposedAmount: null });
    await t.gql(step('publishFundNotice', 'PublishFundNoticeInput'), { i: { id, expectedVersion: 1 } }, tok.jxj);
    expect((await t.gql(list, { f }, tok.fucheng)).data.fundApplications.edges[0].node).toEqual({ expertScore: '91.5', expertOpinion: '技术先进', proposedAmount: '40' });
  });
});

describe('returning and rejecting by stage', () => {
  const RETURN = `mutation($i: TransitionInput!) { returnFundApplication(input: $i) { application { status } } }`;

  it('lets a county return only at the county stage; later it is the city’s call', async () => {
    const early = await applicationIn(S.COUNTY_REVIEW);
    const returned = await t.gql(RETURN, { i: { id: early.id, expectedVersion: 1, comment: '材料不全' } }, tok.fucheng);
    expect(returned.errors).toBeUndefined();
    expect(returned.data.returnFundApplication.application.status).toBe('RETURNED');

    const late = await applicationIn(S.CITY_REVIEW);
    const before = await snapshotOf(late.application.id);
    const refused = await t.gql(RETURN, { i: { id: late.id, expectedVersion: 1, comment: '材料不全' } }, tok.fucheng);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(await snapshotOf(late.application.id)).toEqual(before);
    const city = await t.gql(RETURN, { i: { id: late.id, expectedVersion: 1, comment: '材料不全' } }, tok.jxj);
    expect(city.data.returnFundApplication.application.status).toBe('RETURNED');
  });
});
