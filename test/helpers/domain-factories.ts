/**
 * Factories for business records. Each fills every required column with a valid value, takes
 * overrides, and copies scope keys from the parent record the way the services do.
 */
import { DataSource, EntityManager } from 'typeorm';
import { CREDIT_CODE_ALPHABET, creditCodeCheckChar } from '../../src/modules/enterprise/credit-code';
import { Enterprise, EnterpriseScale } from '../../src/modules/enterprise/enterprise.entity';
import { FundApplication, FundApplicationStatus } from '../../src/modules/fund/fund-application.entity';
import { FundBasis, FundProgram, FundSource } from '../../src/modules/fund/fund-program.entity';
import { FarmlandType, LandRequest, LandRequestStatus, PlanConformity, SupplyMethod } from '../../src/modules/land/land-request.entity';
import { ConstructionNature, ConstructionStage, LibraryStatus, Project } from '../../src/modules/project/project.entity';
import { MonthlyReport, ReportStatus } from '../../src/modules/report/monthly-report.entity';
import { unique, unitByCode } from './factories';

type Db = DataSource | EntityManager;
const manager = (db: Db) => (db instanceof DataSource ? db.manager : db);

// Random start so processes sharing a MySQL worker database do not collide; 31^9 codes to draw from.
let codeSeq = Math.floor(Math.random() * 31 ** 8) * 31;

/** A valid unified social credit code, unique within the run: a counter written in the code alphabet. */
export function newCreditCode(): string {
  let n = ++codeSeq;
  let digits = '';
  for (let i = 0; i < 9; i++, n = Math.floor(n / 31)) digits = CREDIT_CODE_ALPHABET[n % 31] + digits;
  const body = `91510700${digits}`;
  return body + creditCodeCheckChar(body);
}

export async function createEnterprise(db: Db, territoryCode: string, attrs: Partial<Enterprise> = {}): Promise<Enterprise> {
  const m = manager(db);
  const territory = await unitByCode(m, territoryCode);
  return m.save(
    m.create(Enterprise, {
      creditCode: newCreditCode(),
      name: unique('企业'),
      industryCode: 'C2614',
      territoryId: territory.id,
      scale: EnterpriseScale.ABOVE_SCALE,
      tagFlags: 0,
      contactName: '联系人',
      contactPhone: '0816-1234567',
      ...attrs,
    }),
  );
}

export async function createProject(db: Db, enterprise: Enterprise, attrs: Partial<Project> = {}): Promise<Project> {
  const m = manager(db);
  return m.save(
    m.create(Project, {
      name: unique('项目'),
      enterpriseId: enterprise.id,
      territoryId: enterprise.territoryId,
      industryCode: enterprise.industryCode,
      constructionNature: ConstructionNature.RENOVATION,
      techniqueFlags: 0,
      totalInvestment: '1200',
      equipmentInvestment: '800',
      plannedStart: '2026-01',
      plannedCompletion: '2027-06',
      libraryStatus: LibraryStatus.DRAFT,
      stage: ConstructionStage.PLANNING,
      ...attrs,
    }),
  );
}

export async function createReport(db: Db, project: Project, attrs: Partial<MonthlyReport> = {}): Promise<MonthlyReport> {
  const m = manager(db);
  return m.save(
    m.create(MonthlyReport, {
      projectId: project.id,
      enterpriseId: project.enterpriseId,
      territoryId: project.territoryId,
      period: '2026-03',
      monthInvestment: '100',
      cumulativeInvestment: '100',
      progressPercent: '10',
      status: ReportStatus.OPEN,
      ...attrs,
    }),
  );
}

export async function createFundProgram(db: Db, attrs: Partial<FundProgram> = {}): Promise<FundProgram> {
  const m = manager(db);
  const jxj = await unitByCode(m, 'MY-D-JXJ');
  const now = Date.now();
  return m.save(
    m.create(FundProgram, {
      year: 2026,
      name: unique('专项资金'),
      source: FundSource.CITY,
      supportFormFlags: 1,
      basis: FundBasis.EQUIPMENT,
      maxRatio: '0.1',
      cap: '500',
      windowOpensAt: new Date(now - 30 * 86400_000),
      windowClosesAt: new Date(now + 30 * 86400_000),
      ownerUnitId: jxj.id,
      ...attrs,
    }),
  );
}

export async function createFundApplication(db: Db, program: FundProgram, project: Project, attrs: Partial<FundApplication> = {}): Promise<FundApplication> {
  const m = manager(db);
  return m.save(
    m.create(FundApplication, {
      programId: program.id,
      projectId: project.id,
      enterpriseId: project.enterpriseId,
      territoryId: project.territoryId,
      supportForm: 'SUBSIDY',
      requestedAmount: '50',
      basisAmount: '800',
      status: FundApplicationStatus.DRAFT,
      ...attrs,
    }),
  );
}

export async function createLandRequest(db: Db, project: Project, attrs: Partial<LandRequest> = {}): Promise<LandRequest> {
  const m = manager(db);
  return m.save(
    m.create(LandRequest, {
      projectId: project.id,
      enterpriseId: project.enterpriseId,
      territoryId: project.territoryId,
      areaMu: '30',
      landUse: 'INDUSTRIAL',
      location: '测试地块',
      planConformity: PlanConformity.CONFORMS,
      farmlandType: FarmlandType.NONE,
      supplyMethod: SupplyMethod.LISTING,
      status: LandRequestStatus.DRAFT,
      ...attrs,
    }),
  );
}
