/**
 * Loads the seed. Reference data (the org tree and the built-in roles) belongs in every database and
 * is topped up on every start (built-in roles' rules are kept equal to the code's); demo data is
 * loaded once, outside production, into a database that has none. Existing org units are left alone.
 *
 * This is a bulk import, so it writes rows directly rather than through the services: no audit
 * events, and the workflow history is written as data (see demo-workflows.ts).
 */
import { DataSource, EntityManager } from 'typeorm';
import { hashPassword } from '../core/auth/passwords';
import { validateRoleRules } from '../core/authz/permissions';
import { bumpAuthzVersion } from '../core/authz/version';
import { Enterprise } from '../modules/enterprise/enterprise.entity';
import { FundApplication } from '../modules/fund/fund-application.entity';
import { FundDisbursement } from '../modules/fund/fund-disbursement.entity';
import { FundProgram } from '../modules/fund/fund-program.entity';
import { LandRequest } from '../modules/land/land-request.entity';
import { OrgUnit } from '../modules/org/org-unit.entity';
import { ProjectAnnualPlan } from '../modules/project/project-annual-plan.entity';
import { Project } from '../modules/project/project.entity';
import { MonthlyReport } from '../modules/report/monthly-report.entity';
import { ReportPeriod } from '../modules/report/report-period.entity';
import { Role } from '../modules/user/role.entity';
import { RoleBinding } from '../modules/user/role-binding.entity';
import { User } from '../modules/user/user.entity';
import { WorkflowTransition } from '../modules/workflow-history/workflow-transition.entity';
import {
  buildAnnualPlans, buildEnterprises, buildProjects, DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SEED, demoActors, EnterpriseDraft,
  LIER_NAME, Territory,
} from './demo-data';
import { buildFundApplications, buildFundPrograms, disbursementRows } from './demo-funds';
import { buildLandRequests } from './demo-land';
import { buildLockedPeriods, buildMonthlyReports } from './demo-reports';
import { Actors, HistoryStep, transitionRows } from './demo-workflows';
import { countyOfTerritory, ORG_TREE, OrgUnitSeed, TERRITORIES } from './org-tree';
import { Prng } from './prng';
import { BUILT_IN_RULES } from './role-rules';
import { BUILT_IN_ROLES } from './roles';
import { Draft, idOf, insertDrafts, insertRows, NewRow } from './rows';

// ---------------------------------------------------------------------------------------------
// Reference data

/** Inserts whichever units and built-in roles are missing, in one transaction. */
export async function seedReferenceData(ds: DataSource): Promise<void> {
  await ds.transaction(async (m) => {
    const added = (await seedOrgTree(m)) + (await seedBuiltInRoles(m));
    // New units change subtrees and new roles can be bound: abilities cached before are stale.
    if (added > 0) await bumpAuthzVersion(m);
  });
}

function orgUnitRow(unit: OrgUnitSeed): Omit<NewRow<OrgUnit>, 'parentId' | 'path'> {
  return {
    code: unit.code,
    name: unit.name,
    nameEn: unit.nameEn,
    kind: unit.kind,
    regionCode: unit.regionCode ?? null,
    departmentType: unit.departmentType ?? null,
    parkLevel: unit.parkLevel ?? null,
    validFrom: null,
    validTo: null,
  };
}

/** Units one at a time, parents first: a unit's path ends with its own id, known only once it is inserted. */
async function seedOrgTree(m: EntityManager): Promise<number> {
  const known = new Map((await m.find(OrgUnit, { select: { id: true, code: true, path: true } })).map((u) => [u.code, u]));
  let added = 0;
  for (const unit of ORG_TREE) {
    if (known.has(unit.code)) continue;
    const parent = unit.parentCode === null ? null : known.get(unit.parentCode);
    if (parent === undefined) throw new Error(`org unit ${unit.code}: parent ${unit.parentCode} is missing`);
    const [id] = await insertRows(m, OrgUnit, [{ ...orgUnitRow(unit), parentId: parent?.id ?? null, path: '' }]);
    const path = `${parent?.path ?? '/'}${id}/`;
    await m.update(OrgUnit, id, { path });
    known.set(unit.code, Object.assign(new OrgUnit(), { id, code: unit.code, path }));
    added++;
  }
  return added;
}

/**
 * Built-in roles are maintained in code (role-rules.ts): missing ones are inserted and the rules of
 * existing ones brought up to date, so an upgrade reaches every database. Returns how many changed.
 */
async function seedBuiltInRoles(m: EntityManager): Promise<number> {
  const existing = new Map((await m.find(Role)).map((r) => [r.key, r]));
  let changed = 0;
  for (const role of BUILT_IN_ROLES) {
    const rules = BUILT_IN_RULES[role.key];
    const problems = validateRoleRules(rules, m.connection);
    if (problems.length) throw new Error(`Built-in role ${role.key} has invalid rules: ${problems.map((p) => `#${p.index} ${p.message}`).join('; ')}`);
    const current = existing.get(role.key);
    if (!current) {
      await insertRows(m, Role, [{ ...role, builtIn: true, rules }]);
      changed++;
    } else if (JSON.stringify(current.rules) !== JSON.stringify(rules) || !current.builtIn) {
      await m.update(Role, current.id, { rules, builtIn: true, version: current.version + 1 });
      changed++;
    }
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------
// Demo data

/** Either marker means the demo data, or an account it would clash with, is already there. */
async function demoDataPresent(m: EntityManager): Promise<boolean> {
  return (await m.existsBy(User, { username: 'admin' })) || (await m.existsBy(Enterprise, { name: LIER_NAME }));
}

/**
 * Loads the demo data (after making sure the reference data is there) unless it is already
 * loaded, in one transaction. `now` only decides when this year's fund window closes.
 * Returns whether anything was loaded.
 */
export async function seedDemoData(ds: DataSource, now = new Date()): Promise<boolean> {
  await seedReferenceData(ds);
  if (await demoDataPresent(ds.manager)) return false;
  // Hashing first: scrypt takes tens of milliseconds per account and needs no transaction.
  const passwordHashes = await Promise.all(DEMO_ACCOUNTS.map(() => hashPassword(DEMO_PASSWORD)));
  return ds.transaction(async (m) => {
    if (await demoDataPresent(m)) return false;
    await insertDemoData(m, passwordHashes, now);
    return true;
  });
}

async function unitIds(m: EntityManager): Promise<Map<string, number>> {
  return new Map((await m.find(OrgUnit, { select: { id: true, code: true } })).map((u) => [u.code, u.id]));
}

function unitIdOrThrow(units: Map<string, number>, code: string): number {
  const id = units.get(code);
  if (id === undefined) throw new Error(`org unit ${code} is missing: run seedReferenceData first`);
  return id;
}

function territories(units: Map<string, number>): Territory[] {
  return TERRITORIES.map((seed) => ({ id: unitIdOrThrow(units, seed.code), seed, county: countyOfTerritory(seed.code) }));
}

/** The demo accounts and their bindings; returns who is who for the history. */
async function insertAccounts(m: EntityManager, passwordHashes: string[], units: Map<string, number>, enterprises: EnterpriseDraft[]): Promise<Actors> {
  const enterpriseId = (name: string) => idOf(enterprises.find((e) => e.row.name === name)!);
  const userIds = await insertRows(m, User, DEMO_ACCOUNTS.map((a, i) => ({
    username: a.username,
    displayName: a.displayName,
    passwordHash: passwordHashes[i],
    enterpriseId: a.enterpriseName ? enterpriseId(a.enterpriseName) : null,
    phone: null,
    disabled: false,
    mustChangePassword: false,
  })));
  const roleIds = new Map((await m.find(Role, { select: { id: true, key: true } })).map((r) => [r.key, r.id]));
  await insertRows(m, RoleBinding, DEMO_ACCOUNTS.map((a, i) => ({
    userId: userIds[i],
    roleId: roleIds.get(a.role)!,
    scopeUnitId: unitIdOrThrow(units, a.scopeCode),
  })));
  await bumpAuthzVersion(m);
  const byUsername = new Map(DEMO_ACCOUNTS.map((a, i) => [a.username, userIds[i]]));
  return demoActors(byUsername, units, enterpriseId(LIER_NAME));
}

type HistoryDraft = Draft<{ territoryId: number; enterpriseId: number }> & { history: HistoryStep[] };

/** Every record's history as transition rows, oldest first so ids follow time. */
function historyRows(actors: Actors, bySubject: Record<string, HistoryDraft[]>): NewRow<WorkflowTransition>[] {
  const rows = Object.entries(bySubject).flatMap(([subjectType, drafts]) =>
    drafts.flatMap((d) => transitionRows(subjectType, idOf(d), d.row, d.history, actors)),
  );
  return rows.sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime());
}

/** Generation and inserts interleave: each builder needs the ids of the rows before it. */
async function insertDemoData(m: EntityManager, passwordHashes: string[], now: Date): Promise<void> {
  const rng = new Prng(DEMO_SEED);
  const units = await unitIds(m);
  const enterprises = buildEnterprises(rng, territories(units));
  await insertDrafts(m, Enterprise, enterprises);
  const actors = await insertAccounts(m, passwordHashes, units, enterprises);

  const projects = buildProjects(rng, enterprises);
  await insertDrafts(m, Project, projects);
  await insertRows(m, ProjectAnnualPlan, buildAnnualPlans(projects));

  const reports = buildMonthlyReports(rng, projects, actors);
  await insertDrafts(m, MonthlyReport, reports);
  await insertRows(m, ReportPeriod, buildLockedPeriods(actors));

  const programmes = buildFundPrograms(unitIdOrThrow(units, 'MY-D-JXJ'), now);
  await insertDrafts(m, FundProgram, programmes);
  const applications = buildFundApplications(rng, programmes, projects);
  await insertDrafts(m, FundApplication, applications);
  await insertRows(m, FundDisbursement, disbursementRows(applications, actors));

  const landRequests = buildLandRequests(rng, projects);
  await insertDrafts(m, LandRequest, landRequests);

  await insertRows(m, WorkflowTransition, historyRows(actors, {
    Project: projects, MonthlyReport: reports, FundApplication: applications, LandRequest: landRequests,
  }));
}

/** The demo accounts as a Markdown table, for the README. */
export function demoAccountsTable(): string {
  const lines = DEMO_ACCOUNTS.map((a) => `| \`${a.username}\` | ${a.role} | ${ORG_TREE.find((u) => u.code === a.scopeCode)!.name} | ${a.displayName} |`);
  return [`Password for all: \`${DEMO_PASSWORD}\``, '', '| username | role | scope | who |', '| --- | --- | --- | --- |', ...lines].join('\n');
}
