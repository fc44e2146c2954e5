/**
 * The role matrix: for every demo account and every subject, the rows the scoped read path returns
 * (`scopedQuery(ctx, Entity, 'x', 'read')`, i.e. the compiled rules as SQL) are exactly the rows
 * the role should see.
 *
 * The expectation is computed INDEPENDENTLY of the rule compiler and of CASL: from the stored rows
 * and the org tree (descendants found by `parentId`, never by `path`, never from the rules), using
 * the role table of domain.md §7.3 as the built-in rules (src/seed/role-rules.ts) state it, written
 * out below as a matrix a reviewer can read. Then a few write actions the same way, and the field
 * rules (expert scores before public notice, land deal prices) in memory on loaded rows.
 */
import { randomUUID } from 'node:crypto';
import { DataSource, ObjectLiteral } from 'typeorm';
import type { Context } from '../../src/app/context';
import { Permissions } from '../../src/core/authz/permissions';
import { scopedQuery } from '../../src/core/db/scoped';
import { AuditEvent } from '../../src/modules/audit/audit-event.entity';
import { Enterprise } from '../../src/modules/enterprise/enterprise.entity';
import { FundApplication, FundApplicationStatus } from '../../src/modules/fund/fund-application.entity';
import { FundProgram } from '../../src/modules/fund/fund-program.entity';
import { LandRequest } from '../../src/modules/land/land-request.entity';
import { OrgUnit } from '../../src/modules/org/org-unit.entity';
import { Project } from '../../src/modules/project/project.entity';
import { MonthlyReport } from '../../src/modules/report/monthly-report.entity';
import { Role } from '../../src/modules/user/role.entity';
import { User } from '../../src/modules/user/user.entity';
import { WorkflowTransition } from '../../src/modules/workflow-history/workflow-transition.entity';
import { LIER_NAME } from '../../src/seed/demo-data';
import { seedDemoData } from '../../src/seed/seed';
import { openTestDatabase } from '../helpers/database';
import { contextFor } from '../helpers/context';
import { bind, createUserWithRole } from '../helpers/factories';

// ---------------------------------------------------------------------------------------------
// What each account should see, per subject

/**
 * Every row / no row / rows in the account's territory (its scope units and everything below) / rows of its enterprise /
 * history rows of the listed record types only.
 */
type Expect = 'ALL' | '—' | 'TERRITORY' | 'OWN_ENTERPRISE' | `HISTORY:${string}`;
const HISTORY = (...subjectTypes: string[]): Expect => `HISTORY:${subjectTypes.join(',')}`;
const ALL: Expect = 'ALL';
const NONE: Expect = '—';
const TERR: Expect = 'TERRITORY';
const OWN: Expect = 'OWN_ENTERPRISE';

const SUBJECTS = {
  Enterprise, Project, MonthlyReport, FundProgram, FundApplication, LandRequest, WorkflowTransition, AuditEvent, OrgUnit, User, Role,
} as const;
type SubjectName = keyof typeof SUBJECTS;
const SUBJECT_NAMES = Object.keys(SUBJECTS) as SubjectName[];

const row = (...cells: Expect[]): Record<SubjectName, Expect> => {
  if (cells.length !== SUBJECT_NAMES.length) throw new Error('a matrix row needs one cell per subject');
  return Object.fromEntries(SUBJECT_NAMES.map((s, i) => [s, cells[i]])) as Record<SubjectName, Expect>;
};

interface Account {
  username: string;
  /** Codes of the units the account's bindings are scoped to (TERRITORY = these and their descendants). */
  scopeCodes: string[];
  /** OWN_ENTERPRISE = this enterprise (by name). */
  enterpriseName?: string;
}

/** The demo accounts (src/seed/demo-data.ts), plus the two built-in roles without one and a two-binding user, made here. */
const ACCOUNTS: Account[] = [
  { username: 'admin', scopeCodes: ['MY'] },
  { username: 'leader', scopeCodes: ['MY'] },
  { username: 'jxj', scopeCodes: ['MY'] },
  { username: 'fgw', scopeCodes: ['MY'] },
  { username: 'czj', scopeCodes: ['MY'] },
  { username: 'zrzy', scopeCodes: ['MY'] },
  { username: 'tjj', scopeCodes: ['MY'] },
  { username: 'fucheng', scopeCodes: ['MY-FC'] },
  { username: 'gaoxin', scopeCodes: ['MY-GX'] },
  { username: 'lier', scopeCodes: ['MY-JK'], enterpriseName: LIER_NAME },
  // Not demo accounts: created in beforeAll.
  { username: 'x-tcj', scopeCodes: ['MY'] },
  { username: 'x-oversight', scopeCodes: ['MY'] },
  /** county_officer at 游仙区 (which has a county-run park below it) and park_officer at 高新区: the union of both. */
  { username: 'x-youxian+gaoxin', scopeCodes: ['MY-YX', 'MY-GX'] },
];

/**
 * READ. domain.md §7.3 as the built-in rules implement it. City department roles see what their
 * rules name, city-wide, and nothing else; territory roles their territory; the enterprise user its
 * own enterprise. Nobody but admin (and oversight) reads the audit log; only admin users and roles.
 */
const READ: Record<string, Record<SubjectName, Expect>> = {
  //                      Enterprise Project MonthlyReport FundProgram FundApplication LandRequest WorkflowTransition AuditEvent OrgUnit User  Role
  admin:               row(ALL,      ALL,    ALL,          ALL,        ALL,            ALL,        ALL,               ALL,       ALL,    ALL,  ALL),
  leader:              row(ALL,      ALL,    ALL,          ALL,        ALL,            ALL,        ALL,               NONE,      ALL,    NONE, NONE),
  jxj:                 row(ALL,      ALL,    ALL,          ALL,        ALL,            ALL,        ALL,               NONE,      ALL,    NONE, NONE),
  fgw:                 row(ALL,      ALL,    ALL,          ALL,        ALL,            ALL,        ALL,               NONE,      ALL,    NONE, NONE),
  czj:                 row(ALL,      ALL,    NONE,         ALL,        ALL,            NONE,       HISTORY('Project', 'FundApplication'), NONE, ALL, NONE, NONE),
  zrzy:                row(ALL,      ALL,    NONE,         NONE,       NONE,           ALL,        HISTORY('Project', 'LandRequest'), NONE, ALL, NONE, NONE),
  tjj:                 row(ALL,      ALL,    ALL,          NONE,       NONE,           NONE,       HISTORY('Project', 'MonthlyReport'), NONE, ALL, NONE, NONE),
  fucheng:             row(TERR,     TERR,   TERR,         ALL,        TERR,           TERR,       TERR,              NONE,      ALL,    NONE, NONE),
  gaoxin:              row(TERR,     TERR,   TERR,         ALL,        TERR,           TERR,       TERR,              NONE,      ALL,    NONE, NONE),
  lier:                row(OWN,      OWN,    OWN,          ALL,        OWN,            OWN,        OWN,               NONE,      ALL,    NONE, NONE),
  'x-tcj':             row(ALL,      ALL,    NONE,         NONE,       NONE,           NONE,       HISTORY('Project'), NONE,     ALL,    NONE, NONE),
  'x-oversight':       row(ALL,      ALL,    ALL,          ALL,        ALL,            ALL,        ALL,               ALL,       ALL,    NONE, NONE),
  'x-youxian+gaoxin':  row(TERR,     TERR,   TERR,         ALL,        TERR,           TERR,       TERR,              NONE,      ALL,    NONE, NONE),
};

/** WRITE actions: who may do them to which rows. An account not listed may do it to none. */
const WRITES: { action: string; subject: SubjectName; who: Record<string, Expect> }[] = [
  // 发改委's update rule names fields only (keyLevel, reserveBatch, projectCode): in CASL that is "may update some field" of every project.
  { action: 'update', subject: 'Project', who: { jxj: ALL, fgw: ALL, fucheng: TERR, gaoxin: TERR, lier: OWN, 'x-youxian+gaoxin': TERR } },
  { action: 'create', subject: 'Project', who: { jxj: ALL, fucheng: TERR, gaoxin: TERR, lier: OWN, 'x-tcj': ALL, 'x-youxian+gaoxin': TERR } },
  { action: 'accept', subject: 'Project', who: { jxj: ALL } },
  { action: 'countyCheck', subject: 'Project', who: { fucheng: TERR, gaoxin: TERR, 'x-youxian+gaoxin': TERR } },
  { action: 'registerStats', subject: 'Project', who: { tjj: ALL } },
  { action: 'update', subject: 'Enterprise', who: { jxj: ALL, fucheng: TERR, gaoxin: TERR, lier: OWN, 'x-youxian+gaoxin': TERR } },
  { action: 'approve', subject: 'FundApplication', who: { czj: ALL } },
  { action: 'cityReview', subject: 'FundApplication', who: { jxj: ALL, czj: ALL } },
  { action: 'countyRecommend', subject: 'FundApplication', who: { fucheng: TERR, gaoxin: TERR, 'x-youxian+gaoxin': TERR } },
  { action: 'submit', subject: 'FundApplication', who: { fucheng: TERR, gaoxin: TERR, lier: OWN, 'x-youxian+gaoxin': TERR } },
  { action: 'update', subject: 'FundProgram', who: { jxj: ALL } },
  { action: 'submit', subject: 'MonthlyReport', who: { fucheng: TERR, gaoxin: TERR, lier: OWN, 'x-youxian+gaoxin': TERR } },
  { action: 'confirm', subject: 'MonthlyReport', who: { jxj: ALL, fucheng: TERR, gaoxin: TERR, 'x-youxian+gaoxin': TERR } },
  { action: 'lock', subject: 'MonthlyReport', who: { jxj: ALL } },
  { action: 'unlock', subject: 'MonthlyReport', who: { admin: ALL } },
  { action: 'submit', subject: 'LandRequest', who: { fucheng: TERR, gaoxin: TERR, 'x-youxian+gaoxin': TERR } },
  { action: 'deliver', subject: 'LandRequest', who: { zrzy: ALL } },
  { action: 'update', subject: 'User', who: { admin: ALL } },
  { action: 'update', subject: 'Role', who: { admin: ALL } },
  { action: 'update', subject: 'OrgUnit', who: { admin: ALL } },
  { action: 'update', subject: 'WorkflowTransition', who: {} },
  { action: 'update', subject: 'AuditEvent', who: {} },
];

// ---------------------------------------------------------------------------------------------
// The world, loaded once

let ds: DataSource;
let units: OrgUnit[];
const contexts = new Map<string, Context>();
const permissionsOf = (username: string): Permissions => contexts.get(username)!.viewer!.permissions;
/** Every stored row of every subject, read without any scoping. */
const rowsOf = new Map<SubjectName, ObjectLiteral[]>();

const unitId = (code: string): number => {
  const unit = units.find((u) => u.code === code);
  if (!unit) throw new Error(`no org unit ${code}`);
  return unit.id;
};

/** `code`'s unit and all its descendants, following parentId (independent of the materialised path). */
function descendantsOf(code: string): Set<number> {
  const found = new Set([unitId(code)]);
  let frontier = [...found];
  while (frontier.length > 0) {
    const next = units.filter((u) => u.parentId !== null && frontier.includes(u.parentId) && !found.has(u.id)).map((u) => u.id);
    next.forEach((id) => found.add(id));
    frontier = next;
  }
  return found;
}

function enterpriseIdOf(name: string): number {
  const enterprise = rowsOf.get('Enterprise')!.find((e) => e.name === name);
  if (!enterprise) throw new Error(`no enterprise ${name}`);
  return enterprise.id;
}

/** The ids `account` should be able to `expect` on `subject`, from the stored rows alone. */
function expectedIds(account: Account, subject: SubjectName, expect: Expect): number[] {
  const rows = rowsOf.get(subject)!;
  let selected: ObjectLiteral[];
  if (expect.startsWith('HISTORY:')) {
    const types = new Set(expect.slice('HISTORY:'.length).split(','));
    return rows.filter((r) => types.has(r.subjectType)).map((r) => Number(r.id)).sort((a, b) => a - b);
  }
  switch (expect) {
    case 'ALL':
      selected = rows;
      break;
    case '—':
      selected = [];
      break;
    case 'TERRITORY': {
      const territory = new Set(account.scopeCodes.flatMap((code) => [...descendantsOf(code)]));
      if (!rows.every((r) => 'territoryId' in r)) throw new Error(`${subject} has no territoryId`);
      selected = rows.filter((r) => territory.has(Number(r.territoryId)));
      break;
    }
    case 'OWN_ENTERPRISE': {
      const enterpriseId = enterpriseIdOf(account.enterpriseName!);
      selected = subject === 'Enterprise' ? rows.filter((r) => r.id === enterpriseId) : rows.filter((r) => Number(r.enterpriseId) === enterpriseId);
      break;
    }
    default:
      throw new Error(`unknown expectation ${expect}`);
  }
  return selected.map((r) => Number(r.id)).sort((a, b) => a - b);
}

async function actualIds(username: string, subject: SubjectName, action: string): Promise<number[]> {
  const raw = await scopedQuery(contexts.get(username)!, SUBJECTS[subject] as never, 'x', action).select('x.id', 'id').getRawMany<{ id: unknown }>();
  return raw.map((r) => Number(r.id)).sort((a, b) => a - b);
}

beforeAll(async () => {
  ds = await openTestDatabase();
  await seedDemoData(ds);
  // Accounts for the built-in roles that have no demo account, and one with two bindings.
  const tcj = await createUserWithRole(ds, 'tcj_officer', 'MY', { username: `x-tcj-${randomUUID().slice(0, 8)}` });
  const oversight = await createUserWithRole(ds, 'oversight_officer', 'MY', { username: `x-ov-${randomUUID().slice(0, 8)}` });
  const both = await createUserWithRole(ds, 'county_officer', 'MY-YX', { username: `x-yg-${randomUUID().slice(0, 8)}` });
  await bind(ds, both, 'park_officer', 'MY-GX');

  // The demo data has no audit events (it is a bulk import): add two, so the audit log is not trivially empty.
  const fc = await ds.manager.findOneByOrFail(OrgUnit, { code: 'MY-FC' });
  await ds.manager.insert(AuditEvent, [
    { actorId: null, actorBindings: null, requestId: null, action: 'update', subjectType: 'Project', recordId: 1, changes: null, territoryId: fc.id, enterpriseId: null },
    { actorId: null, actorBindings: null, requestId: null, action: 'create', subjectType: 'User', recordId: 1, changes: null, territoryId: null, enterpriseId: null },
  ]);

  units = await ds.manager.find(OrgUnit);
  for (const [name, entity] of Object.entries(SUBJECTS)) rowsOf.set(name as SubjectName, await ds.manager.find(entity as never));

  const usersByName: Record<string, User> = { 'x-tcj': tcj, 'x-oversight': oversight, 'x-youxian+gaoxin': both };
  for (const account of ACCOUNTS) {
    const user = usersByName[account.username] ?? (await ds.manager.findOneBy(User, { username: account.username }));
    if (!user) throw new Error(`demo account ${account.username} is missing: was the demo data loaded?`);
    contexts.set(account.username, await contextFor(ds, user));
  }
}, 120_000);

afterAll(async () => {
  await ds?.destroy();
});

// ---------------------------------------------------------------------------------------------

it('the matrix covers every account and the data covers every subject', () => {
  expect(Object.keys(READ).sort()).toEqual(ACCOUNTS.map((a) => a.username).sort());
  for (const subject of SUBJECT_NAMES) expect({ subject, rows: rowsOf.get(subject)!.length > 0 }).toEqual({ subject, rows: true });
  // The enterprise account acts for 利尔化学.
  expect(contexts.get('lier')!.viewer!.user.enterpriseId).toBe(enterpriseIdOf(LIER_NAME));
});

describe.each(ACCOUNTS.map((a) => [a.username, a] as const))('%s reads', (username, account) => {
  it.each(SUBJECT_NAMES)('%s', async (subject) => {
    const expect_ = READ[username][subject];
    const expected = expectedIds(account, subject, expect_);
    // Where the role should see something, there is something to see; a scope that narrows, narrows.
    if (expect_ !== NONE) expect({ username, subject, nonEmpty: expected.length > 0 }).toEqual({ username, subject, nonEmpty: true });
    if (expect_ === TERR || expect_ === OWN) {
      expect({ username, subject, narrower: expected.length < rowsOf.get(subject)!.length }).toEqual({ username, subject, narrower: true });
    }
    const actual = await actualIds(username, subject, 'read');
    expect({ username, subject, ids: actual }).toEqual({ username, subject, ids: expected });
    // Counting goes through the same predicate.
    expect(await scopedQuery(contexts.get(username)!, SUBJECTS[subject] as never, 'x', 'read').getCount()).toBe(expected.length);
  });
});

describe.each(WRITES.map((w) => [`${w.action} ${w.subject}`, w] as const))('%s', (_name, write) => {
  it.each(ACCOUNTS.map((a) => [a.username, a] as const))('%s', async (username, account) => {
    const expect_ = write.who[username] ?? NONE;
    const expected = expectedIds(account, write.subject, expect_);
    if (expect_ !== NONE) expect({ username, nonEmpty: expected.length > 0 }).toEqual({ username, nonEmpty: true });
    const actual = await actualIds(username, write.subject, write.action);
    expect({ username, action: write.action, subject: write.subject, ids: actual }).toEqual({ username, action: write.action, subject: write.subject, ids: expected });
  });
});

// ---------------------------------------------------------------------------------------------
// Field rules, in memory on loaded rows

const BEFORE_NOTICE: FundApplicationStatus[] = [
  FundApplicationStatus.DRAFT, FundApplicationStatus.SUBMITTED, FundApplicationStatus.COUNTY_REVIEW,
  FundApplicationStatus.COUNTY_RECOMMENDED, FundApplicationStatus.CITY_REVIEW, FundApplicationStatus.EXPERT_REVIEW,
  FundApplicationStatus.ALLOCATION_PROPOSED, FundApplicationStatus.RETURNED, FundApplicationStatus.REJECTED,
];
const AFTER_NOTICE: FundApplicationStatus[] = [
  FundApplicationStatus.PUBLIC_NOTICE, FundApplicationStatus.APPROVED, FundApplicationStatus.DISBURSING,
  FundApplicationStatus.DISBURSED, FundApplicationStatus.ACCEPTED, FundApplicationStatus.CLOSED, FundApplicationStatus.CLAWBACK,
];

describe('field rules', () => {
  const applications = () => rowsOf.get('FundApplication') as FundApplication[];
  const landRequests = () => rowsOf.get('LandRequest') as LandRequest[];
  /** The same loaded row in another status (the entity class is kept, so CASL detects the subject). */
  const inStatus = (app: FundApplication, status: FundApplicationStatus) => Object.assign(new FundApplication(), app, { status });
  const REVIEW_FIELDS = ['expertScore', 'expertOpinion', 'proposedAmount'];

  it.each([
    ['fucheng', (a: FundApplication) => descendantsOf('MY-FC').has(a.territoryId)],
    ['gaoxin', (a: FundApplication) => descendantsOf('MY-GX').has(a.territoryId)],
    ['lier', (a: FundApplication) => a.enterpriseId === enterpriseIdOf(LIER_NAME)],
  ] as const)('%s: expert scores and the proposed allocation of own applications are hidden until public notice', (username, own) => {
    const p = permissionsOf(username);
    const mine = applications().filter(own);
    expect(mine.length).toBeGreaterThan(0);
    // Real rows of the demo data, in whatever status they are in…
    for (const app of mine) {
      const published = AFTER_NOTICE.includes(app.status);
      expect({ id: app.id, status: app.status, row: p.can('read', 'FundApplication', app) }).toEqual({ id: app.id, status: app.status, row: true });
      for (const field of REVIEW_FIELDS) {
        expect({ id: app.id, status: app.status, field, can: p.can('read', 'FundApplication', app, field) }).toEqual({ id: app.id, status: app.status, field, can: published });
      }
      expect(p.can('read', 'FundApplication', app, 'requestedAmount')).toBe(true);
    }
    // …and one of them taken through every status.
    for (const status of BEFORE_NOTICE) expect({ status, can: p.can('read', 'FundApplication', inStatus(mine[0], status), 'expertScore') }).toEqual({ status, can: false });
    for (const status of AFTER_NOTICE) expect({ status, can: p.can('read', 'FundApplication', inStatus(mine[0], status), 'expertScore') }).toEqual({ status, can: true });
  });

  it('the demo data has own applications both before and after notice for fucheng', () => {
    const mine = applications().filter((a) => descendantsOf('MY-FC').has(a.territoryId));
    expect(mine.some((a) => BEFORE_NOTICE.includes(a.status))).toBe(true);
    expect(mine.some((a) => AFTER_NOTICE.includes(a.status))).toBe(true);
  });

  it.each(['jxj', 'czj', 'leader', 'admin'])('%s reads expert scores in every status', (username) => {
    const p = permissionsOf(username);
    for (const status of [...BEFORE_NOTICE, ...AFTER_NOTICE]) {
      for (const app of applications().slice(0, 5)) {
        expect({ status, can: p.can('read', 'FundApplication', inStatus(app, status), 'expertScore') }).toEqual({ status, can: true });
      }
    }
  });

  it('outside their territory a county user reads no field at all', () => {
    const other = applications().find((a) => !descendantsOf('MY-FC').has(a.territoryId))!;
    expect(permissionsOf('fucheng').can('read', 'FundApplication', inStatus(other, FundApplicationStatus.CLOSED), 'expertScore')).toBe(false);
    expect(permissionsOf('fucheng').can('read', 'FundApplication', other, 'requestedAmount')).toBe(false);
  });

  it('land deal prices: natural resources, city roles and the owning territory, never the enterprise', () => {
    const fcLand = landRequests().filter((l) => descendantsOf('MY-FC').has(l.territoryId));
    const lierLand = landRequests().filter((l) => l.enterpriseId === enterpriseIdOf(LIER_NAME));
    const elsewhere = landRequests().filter((l) => !descendantsOf('MY-FC').has(l.territoryId));
    expect(fcLand.length).toBeGreaterThan(0);
    expect(lierLand.length).toBeGreaterThan(0);
    expect(elsewhere.length).toBeGreaterThan(0);
    const can = (username: string, land: LandRequest, field?: string) => permissionsOf(username).can('read', 'LandRequest', land, field);

    for (const land of lierLand) {
      expect({ id: land.id, row: can('lier', land), dealPrice: can('lier', land, 'dealPrice'), areaMu: can('lier', land, 'areaMu') })
        .toEqual({ id: land.id, row: true, dealPrice: false, areaMu: true });
    }
    for (const land of landRequests()) {
      for (const username of ['zrzy', 'leader', 'jxj', 'admin']) {
        expect({ username, id: land.id, dealPrice: can(username, land, 'dealPrice') }).toEqual({ username, id: land.id, dealPrice: true });
      }
    }
    for (const land of fcLand) expect({ id: land.id, dealPrice: can('fucheng', land, 'dealPrice') }).toEqual({ id: land.id, dealPrice: true });
    for (const land of elsewhere) expect({ id: land.id, dealPrice: can('fucheng', land, 'dealPrice') }).toEqual({ id: land.id, dealPrice: false });
    // 财政局 and 统计局 do not read land requests at all.
    expect(can('czj', lierLand[0], 'dealPrice')).toBe(false);
    expect(can('tjj', lierLand[0], 'dealPrice')).toBe(false);
  });

  it("an enterprise user reads other enterprises' contacts never, its own always", () => {
    const p = permissionsOf('lier');
    const enterprises = rowsOf.get('Enterprise') as Enterprise[];
    const own = enterprises.find((e) => e.id === enterpriseIdOf(LIER_NAME))!;
    expect(p.can('read', 'Enterprise', own, 'contactPhone')).toBe(true);
    for (const other of enterprises.filter((e) => e.id !== own.id)) {
      expect({ id: other.id, contactPhone: p.can('read', 'Enterprise', other, 'contactPhone') }).toEqual({ id: other.id, contactPhone: false });
    }
  });

  it('update rules name the fields each role may change', () => {
    const projects = rowsOf.get('Project') as Project[];
    const lierProject = projects.find((p) => p.enterpriseId === enterpriseIdOf(LIER_NAME))!;
    const fcUnits = descendantsOf('MY-FC');
    const fcProject = projects.find((p) => fcUnits.has(p.territoryId))!;
    const may = (username: string, project: Project, field: string) => permissionsOf(username).can('update', 'Project', project, field);

    expect(['name', 'totalInvestment', 'plannedStart'].map((f) => may('lier', lierProject, f))).toEqual([true, true, true]);
    expect(['territoryId', 'parkId', 'keyLevel', 'reserveBatch', 'libraryStatus', 'stage', 'statsRegisteredAt'].map((f) => may('lier', lierProject, f)))
      .toEqual([false, false, false, false, false, false, false]);
    expect(['name', 'territoryId', 'totalInvestment'].map((f) => may('fucheng', fcProject, f))).toEqual([true, true, true]);
    expect(['keyLevel', 'reserveBatch', 'libraryStatus', 'stage', 'statsRegisteredAt'].map((f) => may('fucheng', fcProject, f)))
      .toEqual([false, false, false, false, false]);
    expect(['keyLevel', 'reserveBatch', 'projectCode', 'name', 'totalInvestment'].map((f) => may('fgw', fcProject, f)))
      .toEqual([true, true, true, false, false]);

    const own = (rowsOf.get('Enterprise') as Enterprise[]).find((e) => e.id === enterpriseIdOf(LIER_NAME))!;
    const mayEnterprise = (field: string) => permissionsOf('lier').can('update', 'Enterprise', own, field);
    expect(['contactPhone', 'address', 'name'].map(mayEnterprise)).toEqual([true, true, true]);
    expect(['territoryId', 'scale', 'tagFlags'].map(mayEnterprise)).toEqual([false, false, false]);
  });
});
