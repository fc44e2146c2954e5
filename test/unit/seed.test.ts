/**
 * The seed: reference data (org tree, built-in roles) and the demo data, on a fresh database
 * (in-memory SQLite, or a dedicated MySQL database when DATABASE_URL names one).
 */
import { DataSource } from 'typeorm';
import { verifyPassword } from '../../src/core/auth/passwords';
import { addDecimals, compareDecimals, multiplyDecimals } from '../../src/core/db/decimal';
import { createDataSource } from '../../src/core/db/data-source';
import { Enterprise } from '../../src/modules/enterprise/enterprise.entity';
import { FundApplication } from '../../src/modules/fund/fund-application.entity';
import { FundDisbursement } from '../../src/modules/fund/fund-disbursement.entity';
import { FundProgram } from '../../src/modules/fund/fund-program.entity';
import { LandRequest, LandRequestStatus } from '../../src/modules/land/land-request.entity';
import { OrgUnit, OrgUnitKind } from '../../src/modules/org/org-unit.entity';
import { ProjectAnnualPlan } from '../../src/modules/project/project-annual-plan.entity';
import { ConstructionStage, LibraryStatus, Project } from '../../src/modules/project/project.entity';
import { MonthlyReport } from '../../src/modules/report/monthly-report.entity';
import { Role } from '../../src/modules/user/role.entity';
import { RoleBinding } from '../../src/modules/user/role-binding.entity';
import { User } from '../../src/modules/user/user.entity';
import { WorkflowTransition } from '../../src/modules/workflow-history/workflow-transition.entity';
import { creditCodeCheckChar, CREDIT_CODE_ALPHABET, isValidCreditCode } from '../../src/modules/enterprise/credit-code';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, LIER_NAME } from '../../src/seed/demo-data';
import { BUILT_IN_ROLE_KEYS } from '../../src/seed/roles';
import { seedDemoData, seedReferenceData } from '../../src/seed/seed';
import { ensureMysqlDatabase, testDatabaseConfig } from '../helpers/database';

const NOW = new Date('2026-11-29T00:00:00Z');

async function freshDatabase(name: string): Promise<DataSource> {
  const db = testDatabaseConfig(name);
  if (db.type === 'mysql') await ensureMysqlDatabase(db, true);
  const ds = createDataSource(db);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}

async function rowCounts(ds: DataSource): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { tableName } of ds.entityMetadatas) {
    const [{ c }] = await ds.query(`SELECT COUNT(*) AS c FROM ${tableName}`);
    counts[tableName] = Number(c);
  }
  return counts;
}

describe('credit codes (GB 32100-2015)', () => {
  // Published codes of well-known companies: Huawei Technologies, and Tencent's Shenzhen company (letter check).
  const REAL_CODES = ['914403001922038216', '9144030071526726XG'];

  it.each(REAL_CODES)('computes the published check character of %s', (code) => {
    expect(creditCodeCheckChar(code.slice(0, 17))).toBe(code[17]);
    expect(isValidCreditCode(code)).toBe(true);
  });

  it('detects every single-character change', () => {
    const code = REAL_CODES[0];
    for (let i = 0; i < 18; i++) {
      for (const c of CREDIT_CODE_ALPHABET) {
        if (c === code[i]) continue;
        expect(isValidCreditCode(code.slice(0, i) + c + code.slice(i + 1))).toBe(false);
      }
    }
  });

  it('rejects wrong lengths, lower case and the unused letters I, O, S, V, Z', () => {
    expect(isValidCreditCode('91440300192203821')).toBe(false);
    expect(isValidCreditCode('9144030071526726xg')).toBe(false);
    for (const letter of 'IOSVZ') expect(isValidCreditCode(`${letter}14403001922038216`)).toBe(false);
    expect(() => creditCodeCheckChar('9144030019220382I')).toThrow();
  });
});

describe('seed', () => {
  let ds: DataSource;
  let units: OrgUnit[];
  const unit = (code: string) => units.find((u) => u.code === code)!;
  const byId = (id: number | null) => units.find((u) => u.id === id);

  beforeAll(async () => {
    ds = await freshDatabase('seed');
    const started = Date.now();
    expect(await seedDemoData(ds, NOW)).toBe(true);
    // Not a benchmark, a guard against row-by-row inserts creeping back in.
    expect(Date.now() - started).toBeLessThan(10_000);
    units = await ds.manager.find(OrgUnit);
  });

  afterAll(() => ds?.destroy());

  describe('org tree', () => {
    it('has the nine counties with their GB/T 2260 codes under the city', () => {
      const city = unit('MY');
      expect(city).toMatchObject({ kind: OrgUnitKind.CITY, regionCode: '510700', parentId: null });
      const counties = units.filter((u) => u.kind === OrgUnitKind.COUNTY).map((u) => [u.name, u.regionCode, u.parentId]);
      expect(counties.sort()).toEqual(
        [
          ['涪城区', '510703'], ['游仙区', '510704'], ['安州区', '510705'], ['三台县', '510722'], ['盐亭县', '510723'],
          ['梓潼县', '510725'], ['北川羌族自治县', '510726'], ['平武县', '510727'], ['江油市', '510781'],
        ].map(([name, code]) => [name, code, city.id]).sort(),
      );
    });

    it('puts county-run parks under their county, city-run parks and departments under the city', () => {
      const countyParks = Object.fromEntries(units.filter((u) => u.kind === OrgUnitKind.COUNTY_PARK).map((p) => [p.name, byId(p.parentId)!.name]));
      expect(countyParks).toEqual({
        游仙高新技术产业园区: '游仙区',
        江油高新技术产业园区: '江油市',
        四川三台工业园区: '三台县',
        北川经济开发区: '北川羌族自治县',
        安州工业园区: '安州区',
        盐亭经济开发区: '盐亭县',
        梓潼经济开发区: '梓潼县',
        平武飞地工业园区: '平武县',
      });
      const cityChildren = (kind: OrgUnitKind) => units.filter((u) => u.kind === kind).map((u) => [u.name, byId(u.parentId)!.code]);
      expect(cityChildren(OrgUnitKind.CITY_PARK).sort()).toEqual([['仙海区', 'MY'], ['科创区', 'MY'], ['经开区', 'MY'], ['高新区', 'MY']].sort());
      const departments = units.filter((u) => u.kind === OrgUnitKind.DEPARTMENT);
      expect(departments.map((d) => d.departmentType).sort()).toEqual(['CZJ', 'DCS', 'FGW', 'JXB', 'JXJ', 'TCJ', 'TJJ', 'ZRZY']);
      expect(new Set(departments.map((d) => d.parentId))).toEqual(new Set([unit('MY').id]));
    });

    it('gives every unit a unique code, an English name, and the path of its parent plus its own id', () => {
      expect(new Set(units.map((u) => u.code)).size).toBe(units.length);
      for (const u of units) {
        expect(u.nameEn).not.toBe('');
        const parent = byId(u.parentId);
        expect(u.path).toBe(`${parent?.path ?? '/'}${u.id}/`);
      }
    });

    it('creates the built-in roles', async () => {
      const roles = await ds.manager.find(Role);
      expect(roles.map((r) => r.key).sort()).toEqual([...BUILT_IN_ROLE_KEYS].sort());
      for (const role of roles) expect(role.builtIn).toBe(true);
    });
  });

  it('changes nothing when run again', async () => {
    const before = await rowCounts(ds);
    await seedReferenceData(ds);
    expect(await seedDemoData(ds, NOW)).toBe(false);
    expect(await rowCounts(ds)).toEqual(before);
  });

  it('produces the same data on every run', async () => {
    const other = await freshDatabase('seed2');
    try {
      await seedDemoData(other, NOW);
      const fingerprint = async (db: DataSource) => ({
        enterprises: (await db.manager.find(Enterprise, { order: { id: 'ASC' } })).map((e) => [e.creditCode, e.name]),
        projects: (await db.manager.find(Project, { order: { id: 'ASC' } })).map((p) => [p.name, p.totalInvestment, p.libraryStatus, p.stage]),
      });
      expect(await fingerprint(other)).toEqual(await fingerprint(ds));
    } finally {
      await other.destroy();
    }
  });

  describe('demo data', () => {
    let enterprises: Enterprise[];
    let projects: Project[];
    const projectById = (id: number) => projects.find((p) => p.id === id)!;

    beforeAll(async () => {
      enterprises = await ds.manager.find(Enterprise);
      projects = await ds.manager.find(Project);
    });

    it('has about 50 enterprises, including the four visited in 2020, with valid credit codes', () => {
      expect(enterprises.length).toBeGreaterThanOrEqual(45);
      const names = enterprises.map((e) => e.name);
      expect(names).toEqual(expect.arrayContaining([
        '四川东材科技集团股份有限公司', LIER_NAME, '中国重汽集团绵阳专用汽车有限公司', '四川长虹智能制造技术有限公司',
      ]));
      for (const e of enterprises) {
        expect(isValidCreditCode(e.creditCode)).toBe(true);
        const territory = byId(e.territoryId)!;
        expect([OrgUnitKind.COUNTY, OrgUnitKind.CITY_PARK, OrgUnitKind.COUNTY_PARK]).toContain(territory.kind);
        // Region code of the territory's county (its own, its parent's, or 涪城/游仙 for the city parks on their land).
        const regionCode = e.creditCode.slice(2, 8);
        expect(units.some((u) => u.kind === OrgUnitKind.COUNTY && u.regionCode === regionCode)).toBe(true);
        if (territory.kind !== OrgUnitKind.CITY_PARK) {
          const county = territory.kind === OrgUnitKind.COUNTY ? territory : byId(territory.parentId)!;
          expect(regionCode).toBe(county.regionCode);
        }
      }
      expect(new Set(enterprises.map((e) => e.creditCode)).size).toBe(enterprises.length);
    });

    it('has about 200 projects in every county and park, each in its enterprise territory', () => {
      expect(projects.length).toBeGreaterThanOrEqual(180);
      const territories = units.filter((u) => [OrgUnitKind.COUNTY, OrgUnitKind.CITY_PARK, OrgUnitKind.COUNTY_PARK].includes(u.kind));
      expect(new Set(projects.map((p) => p.territoryId))).toEqual(new Set(territories.map((t) => t.id)));
      for (const p of projects) {
        const enterprise = enterprises.find((e) => e.id === p.enterpriseId)!;
        expect(p.territoryId).toBe(enterprise.territoryId);
        expect(p.parkId).toBe(byId(p.territoryId)!.kind === OrgUnitKind.COUNTY ? null : p.territoryId);
      }
      expect(projects.filter((p) => p.libraryStatus === LibraryStatus.IN_LIBRARY).length).toBeGreaterThanOrEqual(80);
      expect(new Set(projects.map((p) => p.libraryStatus))).toEqual(new Set(Object.values(LibraryStatus)));
      expect(new Set(projects.map((p) => p.stage))).toEqual(new Set(Object.values(ConstructionStage)));
    });

    it('keeps project dates and flags consistent with the stage', () => {
      const started = [ConstructionStage.UNDER_CONSTRUCTION, ConstructionStage.COMPLETED, ConstructionStage.IN_PRODUCTION, ConstructionStage.SUSPENDED];
      const finished = [ConstructionStage.COMPLETED, ConstructionStage.IN_PRODUCTION];
      for (const p of projects) {
        expect(p.actualStart !== null).toBe(started.includes(p.stage));
        expect(p.actualCompletion !== null).toBe(finished.includes(p.stage));
        if (p.actualCompletion) expect(p.actualCompletion > p.actualStart!).toBe(true);
        expect(p.plannedCompletion > p.plannedStart).toBe(true);
        expect(compareDecimals(p.equipmentInvestment, p.totalInvestment)).toBeLessThanOrEqual(0);
        if (p.statsRegisteredAt) {
          expect(started).toContain(p.stage);
          expect(compareDecimals(p.totalInvestment, 500)).toBeGreaterThanOrEqual(0);
        }
      }
    });

    it('keeps annual plans summing to the total investment', async () => {
      const rows = await ds.manager.find(ProjectAnnualPlan);
      for (const p of projects) {
        expect(addDecimals(...rows.filter((r) => r.projectId === p.id).map((r) => r.plannedInvestment))).toBe(p.totalInvestment);
      }
    });

    it('reports monthly with the cumulative amount the running sum of the month amounts', async () => {
      const reports = await ds.manager.find(MonthlyReport, { order: { projectId: 'ASC', period: 'ASC' } });
      expect(reports.length).toBeGreaterThan(300);
      expect(reports.some((r) => r.period.startsWith('2026-'))).toBe(true);
      expect(new Set(reports.map((r) => r.status)).size).toBeGreaterThanOrEqual(4);
      let sum = '0';
      reports.forEach((r, i) => {
        if (i === 0 || reports[i - 1].projectId !== r.projectId) sum = '0';
        sum = addDecimals(sum, r.monthInvestment);
        expect(r.cumulativeInvestment).toBe(sum);
        const project = projectById(r.projectId);
        expect([r.territoryId, r.enterpriseId]).toEqual([project.territoryId, project.enterpriseId]);
        expect(r.period >= project.actualStart!).toBe(true);
        expect(compareDecimals(r.cumulativeInvestment, project.totalInvestment)).toBeLessThanOrEqual(0);
      });
    });

    it('applies for funds only with library projects, once per enterprise and programme, within ratio and cap', async () => {
      const programmes = await ds.manager.find(FundProgram);
      expect(programmes).toHaveLength(2);
      expect(programmes.filter((p) => p.windowOpensAt <= NOW && NOW <= p.windowClosesAt)).toHaveLength(1);
      const applications = await ds.manager.find(FundApplication);
      expect(applications.length).toBeGreaterThan(20);
      expect(new Set(applications.map((a) => `${a.programId}/${a.enterpriseId}`)).size).toBe(applications.length);
      expect(new Set(applications.map((a) => a.status)).size).toBeGreaterThanOrEqual(8);
      const disbursements = await ds.manager.find(FundDisbursement);
      for (const a of applications) {
        const project = projectById(a.projectId);
        const programme = programmes.find((p) => p.id === a.programId)!;
        expect(project.libraryStatus).toBe(LibraryStatus.IN_LIBRARY);
        expect([a.enterpriseId, a.territoryId]).toEqual([project.enterpriseId, project.territoryId]);
        expect(compareDecimals(a.requestedAmount, programme.cap)).toBeLessThanOrEqual(0);
        expect(compareDecimals(a.requestedAmount, multiplyDecimals(programme.maxRatio, a.basisAmount))).toBeLessThanOrEqual(0);
        const paid = disbursements.filter((d) => d.applicationId === a.id).map((d) => d.amount);
        expect(addDecimals('0', ...paid)).toBe(a.disbursedAmount);
        if (a.approvedAmount) expect(compareDecimals(a.disbursedAmount, a.approvedAmount)).toBeLessThanOrEqual(0);
      }
    });

    it('sets land deal prices only from the transaction on', async () => {
      const requests = await ds.manager.find(LandRequest);
      expect(requests.length).toBeGreaterThanOrEqual(20);
      const transacted = [LandRequestStatus.TRANSACTED, LandRequestStatus.CONTRACTED, LandRequestStatus.DELIVERED, LandRequestStatus.CLOSED];
      for (const r of requests) {
        expect(r.dealPrice !== null).toBe(transacted.includes(r.status));
        expect(r.territoryId).toBe(projectById(r.projectId).territoryId);
      }
      expect(requests.find((r) => r.areaMu === '180')).toMatchObject({ status: LandRequestStatus.CLOSED });
    });

    it('records a history whose last step reaches each record state', async () => {
      const transitions = await ds.manager.find(WorkflowTransition, { order: { id: 'ASC' } });
      const last = new Map<string, WorkflowTransition>();
      for (const t of transitions) last.set(`${t.subjectType}/${t.recordId}/${t.axis}`, t);
      const expectState = (key: string, state: string, initial: string) => {
        if (state === initial) expect(last.has(key)).toBe(false);
        else expect(last.get(key)?.toState).toBe(state);
      };
      for (const p of projects) {
        expectState(`Project/${p.id}/libraryStatus`, p.libraryStatus, LibraryStatus.DRAFT);
        expectState(`Project/${p.id}/stage`, p.stage, ConstructionStage.PLANNING);
      }
      for (const a of await ds.manager.find(FundApplication)) expectState(`FundApplication/${a.id}/status`, a.status, 'DRAFT');
      for (const r of await ds.manager.find(LandRequest)) expectState(`LandRequest/${r.id}/status`, r.status, 'DRAFT');
      const accounts = new Set((await ds.manager.find(User)).map((u) => u.id));
      for (const t of transitions) expect(accounts.has(t.actorId)).toBe(true);
    });

    it('creates the demo accounts with their bindings', async () => {
      const users = await ds.manager.find(User);
      expect(users.map((u) => u.username).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.username).sort());
      const roles = await ds.manager.find(Role);
      const bindings = await ds.manager.find(RoleBinding);
      for (const account of DEMO_ACCOUNTS) {
        const user = users.find((u) => u.username === account.username)!;
        const [binding] = bindings.filter((b) => b.userId === user.id);
        expect(roles.find((r) => r.id === binding.roleId)!.key).toBe(account.role);
        expect(byId(binding.scopeUnitId)!.code).toBe(account.scopeCode);
      }
      const lier = users.find((u) => u.username === 'lier')!;
      const lierEnterprise = enterprises.find((e) => e.name === LIER_NAME)!;
      expect(lier.enterpriseId).toBe(lierEnterprise.id);
      expect(byId(lierEnterprise.territoryId)!.code).toBe('MY-JK');
      expect(await verifyPassword(DEMO_PASSWORD, lier.passwordHash)).toBe(true);
    });
  });
});
