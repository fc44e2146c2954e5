/**
 * Property: for random rule sets, the rows the compiled SQL selects are exactly the rows
 * `ability.can` accepts in memory (with the rule's relations attached to each row).
 *
 * One random dataset is inserted once; each case is a random rule set over Project, Enterprise or
 * FundApplication (fields and relation paths from the registry, every supported operator, NULLs,
 * negative numbers, inverted rules, other actions, field-restricted rules) and one SELECT.
 * Reproduce a failure with AUTHZ_PROPERTY_SEED=<the printed seed>.
 */
import { createMongoAbility, MongoAbility, RawRuleOf, subject } from '@casl/ability';
import { DataSource, EntityTarget, In, ObjectLiteral } from 'typeorm';
import { fieldsOf, SubjectName, subjectOf } from '../../src/core/authz/registry';
import { compileRulesToSql, ResolvedColumn, resolveColumn, RuleCompileError } from '../../src/core/authz/rules-to-sql';
import { ENTERPRISE_TAGS, Enterprise, EnterpriseScale } from '../../src/modules/enterprise/enterprise.entity';
import { FundApplication, FundApplicationStatus } from '../../src/modules/fund/fund-application.entity';
import { FundBasis, FundProgram, FundSource, SUPPORT_FORMS } from '../../src/modules/fund/fund-program.entity';
import {
  FarmlandType, LandRequest, LandRequestStatus, PlanConformity, SupplyMethod,
} from '../../src/modules/land/land-request.entity';
import { OrgUnit, OrgUnitKind } from '../../src/modules/org/org-unit.entity';
import { ConstructionNature, ConstructionStage, KeyLevel, LibraryStatus, Project, TECHNIQUES } from '../../src/modules/project/project.entity';
import { MonthlyReport, ReportStatus } from '../../src/modules/report/monthly-report.entity';
import { User } from '../../src/modules/user/user.entity';
import { Prng } from '../../src/seed/prng';
import { openTestDatabase } from '../helpers/database';

const SEED = Number(process.env.AUTHZ_PROPERTY_SEED ?? 20251129);
const CASES_PER_SUBJECT = 1000;
const SUBJECTS: SubjectName[] = ['Project', 'Enterprise', 'FundApplication'];
const ACTIONS = ['read', 'read', 'read', 'update', 'manage'];
const OPERATORS = ['$eq', '$ne', '$in', '$nin', '$lt', '$lte', '$gt', '$gte', '$exists'] as const;
const EQUALITY_OPERATORS = ['$eq', '$ne', '$in', '$nin', '$exists'] as const;

type Row = Record<string, unknown>;
type Rules = RawRuleOf<MongoAbility>[];

/** Unique codes and names: on MySQL the worker database keeps other test files' rows. */
let sequence = 0;
const unique = (prefix: string) => `${prefix}${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}${(++sequence).toString(36)}`;

const values = (e: Record<string, string>) => Object.values(e);

// ---------------------------------------------------------------------------------------------
// The dataset

/** Rows ordered by id, so value pools (and so the generated cases) are the same on every run. */
const byId = { order: { id: 'ASC' } } as const;

async function insert<T extends ObjectLiteral>(ds: DataSource, entity: EntityTarget<T>, rows: Partial<T>[]): Promise<number[]> {
  const result = await ds.manager.insert(entity, rows as never);
  return result.identifiers.map((identifier) => identifier.id as number);
}

/** Inserts the random dataset and returns the ids of its rows per subject. */
async function insertDataset(ds: DataSource, rng: Prng): Promise<Record<SubjectName, number[]>> {
  const units = await ds.manager.find(OrgUnit, byId);
  const territories = units.filter((u) => u.kind !== OrgUnitKind.DEPARTMENT && u.kind !== OrgUnitKind.CITY).map((u) => u.id);
  const parks = units.filter((u) => u.kind === OrgUnitKind.CITY_PARK || u.kind === OrgUnitKind.COUNTY_PARK).map((u) => u.id);
  const maybe = <T>(value: T, probability = 0.4): T | null => (rng.chance(probability) ? null : value);
  const version = () => rng.int(1, 3);

  const userIds = await insert(ds, User, [1, 2].map(() => ({ username: unique('prop'), displayName: 'Property', passwordHash: 'x' })));
  const enterpriseIds = await insert(ds, Enterprise, Array.from({ length: 30 }, () => ({
    creditCode: unique('E'), name: unique('e'), industryCode: 'C34', territoryId: rng.pick(territories),
    scale: rng.pick(values(EnterpriseScale)) as EnterpriseScale, tagFlags: rng.int(0, 2 ** ENTERPRISE_TAGS.length - 1), version: version(),
  })));
  // The last five enterprises have no project, so to-many tests meet empty sets.
  const projectIds = await insert(ds, Project, Array.from({ length: 80 }, () => ({
    name: unique('p'), projectCode: maybe(unique('PC')), enterpriseId: rng.pick(enterpriseIds.slice(0, 25)), territoryId: rng.pick(territories),
    parkId: maybe(rng.pick(parks)), industryCode: 'C34', constructionNature: rng.pick(values(ConstructionNature)) as ConstructionNature,
    techniqueFlags: rng.int(0, 2 ** TECHNIQUES.length - 1), totalInvestment: '100', equipmentInvestment: '40', plannedStart: '2026-01',
    plannedCompletion: '2026-12', keyLevel: rng.pick(values(KeyLevel)) as KeyLevel, libraryStatus: rng.pick(values(LibraryStatus)) as LibraryStatus,
    stage: rng.pick(values(ConstructionStage)) as ConstructionStage, version: version(),
  })));
  const projects = await ds.manager.find(Project, { where: { id: In(projectIds) }, ...byId });
  const someProjects = (count: number) => rng.sample(projects, count);

  await insert(ds, MonthlyReport, someProjects(40).flatMap((p) => ['2026-01', '2026-02', '2026-03'].slice(0, rng.int(1, 3)).map((period) => ({
    projectId: p.id, enterpriseId: p.enterpriseId, territoryId: p.territoryId, period, monthInvestment: '1', cumulativeInvestment: '1',
    status: rng.pick(values(ReportStatus)) as ReportStatus, submittedById: maybe(rng.pick(userIds), 0.5), confirmedById: maybe(rng.pick(userIds), 0.7),
    version: version(),
  }))));
  await insert(ds, LandRequest, someProjects(30).map((p) => ({
    projectId: p.id, enterpriseId: p.enterpriseId, territoryId: rng.chance(0.8) ? p.territoryId : rng.pick(territories), areaMu: '10',
    landUse: 'industrial', location: 'somewhere', planConformity: rng.pick(values(PlanConformity)) as PlanConformity,
    farmlandType: rng.pick(values(FarmlandType)) as FarmlandType, supplyMethod: rng.pick(values(SupplyMethod)) as SupplyMethod,
    status: rng.pick(values(LandRequestStatus)) as LandRequestStatus, version: version(),
  })));
  const programIds = await insert(ds, FundProgram, [2024, 2025, 2026, 2026].map((year) => ({
    year, name: unique('fp'), source: rng.pick(values(FundSource)) as FundSource, supportFormFlags: rng.int(0, 7),
    basis: rng.pick(values(FundBasis)) as FundBasis, maxRatio: '0.1', cap: '500', windowOpensAt: new Date('2026-01-01T00:00:00Z'),
    windowClosesAt: new Date('2026-03-01T00:00:00Z'), ownerUnitId: rng.pick(units).id, version: version(),
  })));
  const applicationIds = await insert(ds, FundApplication, programIds.flatMap((programId) => someProjects(15)
    .filter((p, i, chosen) => chosen.findIndex((q) => q.enterpriseId === p.enterpriseId) === i)
    .map((p) => ({
      programId, projectId: p.id, enterpriseId: p.enterpriseId, territoryId: p.territoryId, supportForm: rng.pick(SUPPORT_FORMS),
      requestedAmount: '10', basisAmount: '100', status: rng.pick(values(FundApplicationStatus)) as FundApplicationStatus, version: version(),
    }))));
  return { Project: projectIds, Enterprise: enterpriseIds, FundApplication: applicationIds } as Record<SubjectName, number[]>;
}

// ---------------------------------------------------------------------------------------------
// Rows with their relations attached, as `ability.can` sees them

/** Loads the dataset's rows of `name` from the database, each with every registry relation attached. */
async function loadSubjects(ds: DataSource, name: SubjectName, ids: number[]): Promise<Row[]> {
  const definition = subjectOf(name)!;
  const rows = (await ds.manager.find(definition.entity, { where: { id: In(ids) }, ...byId })) as Row[];
  for (const [relationName, relation] of Object.entries(definition.relations)) {
    const target = subjectOf(relation.target)!.entity;
    if (relation.kind === 'toOne') {
      const keys = rows.map((row) => row[relation.foreignKey]).filter((key) => key !== null);
      const related = (await ds.manager.find(target, { where: { id: In(keys) }, ...byId })) as Row[];
      for (const row of rows) row[relationName] = copy(related.find((r) => r.id === row[relation.foreignKey]));
    } else {
      const children = (await ds.manager.find(target, { where: { [relation.foreignKey]: In(ids) }, ...byId })) as Row[];
      for (const row of rows) row[relationName] = children.filter((c) => c[relation.foreignKey] === row.id).map(copy);
    }
  }
  return rows;
}

const copy = (row: Row | undefined): Row | undefined => (row ? { ...row } : undefined);

// ---------------------------------------------------------------------------------------------
// Random rules

interface Testable {
  path: string;
  column: ResolvedColumn;
  /** Values seen in the data for integer columns, plus small and negative numbers. */
  numbers: number[];
}

/** Every field and relation path of `name` that rules may test, with values taken from the dataset's rows. */
function testableColumns(ds: DataSource, name: SubjectName, rows: Row[]): Testable[] {
  const own = fieldsOf(name).map((field) => ({ path: field, owner: name, field, rows }));
  const related = Object.entries(subjectOf(name)!.relations).flatMap(([relationName, relation]) => {
    const targets = rows.flatMap((row) => row[relationName] ?? []) as Row[];
    return fieldsOf(relation.target).map((field) => ({ path: `${relationName}.${field}`, owner: relation.target, field, rows: targets }));
  });
  return [...own, ...related].flatMap(({ path, owner, field, rows: pool }) => {
    try {
      const column = resolveColumn(ds, owner, field);
      const seen = pool.map((row) => row[field]).filter((v): v is number => typeof v === 'number');
      return [{ path, column, numbers: [...new Set([...seen, -3, -1, 0, 1, 2])] }];
    } catch (error) {
      if (error instanceof RuleCompileError) return [];
      throw error;
    }
  });
}

function randomValue(rng: Prng, target: Testable, allowNull: boolean): unknown {
  if (allowNull && rng.chance(0.12)) return null;
  switch (target.column.kind) {
    case 'integer':
      return rng.pick(target.numbers);
    case 'boolean':
      return rng.chance(0.5);
    case 'enum':
      return rng.pick(target.column.enumValues);
  }
}

function randomCondition(rng: Prng, target: Testable): Record<string, unknown> {
  const operator = rng.pick(target.column.kind === 'integer' ? OPERATORS : EQUALITY_OPERATORS);
  if (operator === '$exists') return { $exists: rng.chance(0.5) };
  if (operator === '$in' || operator === '$nin') {
    return { [operator]: Array.from({ length: rng.int(0, 4) }, () => randomValue(rng, target, true)) };
  }
  return { [operator]: randomValue(rng, target, operator === '$eq' || operator === '$ne') };
}

function randomConditions(rng: Prng, testables: Testable[]): Record<string, unknown> {
  const conditions: Record<string, Record<string, unknown>> = {};
  for (let i = rng.int(1, 2); i > 0; i--) {
    // Relation paths get half the draws, so to-one and to-many paths come up often.
    const related = testables.filter((t) => t.path.includes('.'));
    const target = rng.chance(0.5) && related.length ? rng.pick(related) : rng.pick(testables.filter((t) => !t.path.includes('.')));
    conditions[target.path] = { ...conditions[target.path], ...randomCondition(rng, target) };
  }
  return conditions;
}

function randomRules(rng: Prng, name: SubjectName, testables: Testable[]): Rules {
  return Array.from({ length: rng.int(1, 4) }, () => {
    const rule: RawRuleOf<MongoAbility> = { action: rng.pick(ACTIONS), subject: name };
    if (rng.chance(0.85)) rule.conditions = randomConditions(rng, testables);
    if (rng.chance(0.4)) rule.inverted = true;
    if (rng.chance(0.1)) rule.fields = ['id'];
    return rule;
  });
}

// ---------------------------------------------------------------------------------------------
// The property

describe(`rules → SQL agrees with CASL (seed ${SEED})`, () => {
  let ds: DataSource;
  const data = new Map<SubjectName, Row[]>();
  const ids = new Map<SubjectName, number[]>();

  beforeAll(async () => {
    console.log(`AUTHZ_PROPERTY_SEED=${SEED}`);
    ds = await openTestDatabase();
    const inserted = await insertDataset(ds, new Prng(SEED));
    for (const name of SUBJECTS) {
      ids.set(name, inserted[name]);
      data.set(name, await loadSubjects(ds, name, inserted[name]));
    }
  }, 60_000);

  afterAll(() => ds?.destroy());

  it.each(SUBJECTS)('%s: the compiled condition selects exactly the rows CASL allows', async (name) => {
    const rng = new Prng(SEED + 7919 * SUBJECTS.indexOf(name));
    const rows = data.get(name)!;
    const testables = testableColumns(ds, name, rows);
    const mine = ids.get(name)!;
    const entity = subjectOf(name)!.entity;
    let nonTrivial = 0;

    for (let index = 0; index < CASES_PER_SUBJECT; index++) {
      const rules = randomRules(rng, name, testables);
      const ability = createMongoAbility(rules);
      const { sql, params } = compileRulesToSql(ability, 'read', name, ds, 'row');
      const selected = await ds.createQueryBuilder(entity, 'row').select('row.id', 'id')
        .where('row.id IN (:...mine)', { mine }).andWhere(sql, params).getRawMany();
      const bySql = new Set(selected.map((r: { id: number | string }) => Number(r.id)));
      const byCasl = new Set(rows.filter((row) => ability.can('read', subject(name, row))).map((row) => row.id as number));
      if (bySql.size > 0 && bySql.size < rows.length) nonTrivial++;
      const differing = rows.filter((row) => bySql.has(row.id as number) !== byCasl.has(row.id as number));
      if (differing.length > 0) {
        const row = differing[0];
        throw new Error([
          `Mismatch for ${name}, case ${index}, AUTHZ_PROPERTY_SEED=${SEED}`,
          `rules: ${JSON.stringify(rules)}`,
          `sql: ${sql}`,
          `params: ${JSON.stringify(params)}`,
          `row ${row.id}: SQL ${bySql.has(row.id as number) ? 'selects' : 'drops'} it, CASL ${byCasl.has(row.id as number) ? 'allows' : 'denies'} it`,
          `row: ${JSON.stringify(row)}`,
        ].join('\n'));
      }
    }
    // The generator must produce interesting cases, not only all-or-nothing ones.
    expect(nonTrivial).toBeGreaterThan(CASES_PER_SUBJECT / 4);
  });
});
