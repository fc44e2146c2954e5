/**
 * The benchmark's data: a deterministic generator at a chosen scale (the number of projects).
 * At the default scale of 20,000 projects it makes about 5,000 enterprises, 20,000 fund
 * applications, 5,000 land requests and 12 monthly reports for every project under construction;
 * `scale` goes up to 1,000,000 projects. The same scale and seed give the same rows on every run
 * (only the bench accounts' password hashes differ: scrypt salts are random).
 *
 * Rows are valid as the platform defines them: the org tree and built-in roles come from
 * seedReferenceData, credit codes carry their GB 32100 check character, every child row's scope keys
 * (territoryId, enterpriseId) are its project's, a project's territory is its enterprise's, stages
 * agree with the library status and the dates, fund applications are for projects in the library, one
 * per enterprise per programme and within the programme's ratio and cap, and each report's
 * cumulative investment is the running sum of its months. Workflow history and annual plans are not
 * generated (like imported data); no report period is locked.
 *
 * Rows go in with multi-row INSERTs (1,000 rows each) on one connection with foreign-key and unique
 * checks off for speed, so it needs MySQL/MariaDB; the checks at the end prove what they skipped.
 * Used by the benchmark driver (run.ts) and by test/api/explain.test.ts.
 */
import { escape } from 'mysql2';
import { DataSource, QueryRunner } from 'typeorm';
import { hashPassword } from '../../src/core/auth/passwords';
import { bumpAuthzVersion } from '../../src/core/authz/version';
import { isValidCreditCode, CREDIT_CODE_ALPHABET, creditCodeCheckChar } from '../../src/modules/enterprise/credit-code';
import { FundApplicationStatus as FA } from '../../src/modules/fund/fund-application.entity';
import { LandRequestStatus as LR } from '../../src/modules/land/land-request.entity';
import { OrgUnit, OrgUnitKind } from '../../src/modules/org/org-unit.entity';
import { ConstructionNature, ConstructionStage as CS, KeyLevel, LibraryStatus as LS, TECHNIQUES } from '../../src/modules/project/project.entity';
import { ReportStatus as RS } from '../../src/modules/report/monthly-report.entity';
import { Role } from '../../src/modules/user/role.entity';
import { RoleBinding } from '../../src/modules/user/role-binding.entity';
import { User } from '../../src/modules/user/user.entity';
import { addMonths, monthsBetween, randomMonth } from '../../src/seed/demo-calendar';
import { CITY_CODE, countyOfTerritory, TERRITORIES } from '../../src/seed/org-tree';
import { Prng } from '../../src/seed/prng';
import { seedReferenceData } from '../../src/seed/seed';

export const DEFAULT_SCALE = 20_000;
export const MAX_SCALE = 1_000_000;
export const DEFAULT_SEED = 20261129;
/** The county whose officer the benchmark signs in as: it has a county park, so its scope is two units. */
export const DEFAULT_COUNTY = 'MY-YX';
export const BENCH_PASSWORD = 'bench-password-1';
export const BENCH_USERS = { county: 'bench_county', leader: 'bench_leader', enterprise: 'bench_enterprise' } as const;
/** Projects under construction report 2025-01 … 2025-12; later months are free for the write scenario. */
export const FIRST_REPORT = '2025-01';
export const LAST_REPORT = '2025-12';

export interface GenerateOptions {
  scale: number;
  seed?: number;
  countyCode?: string;
  log?: (message: string) => void;
}

export interface BenchDataset {
  scale: number;
  seed: number;
  countyCode: string;
  /** The county and the units below it: the county officer's territory set. */
  countyTerritoryIds: number[];
  benchEnterpriseId: number;
  users: Record<keyof typeof BENCH_USERS, { id: number; username: string }>;
  counts: Record<'enterprises' | 'projects' | 'fundPrograms' | 'fundApplications' | 'landRequests' | 'monthlyReports', number>;
  seconds: number;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

type Value = string | number | null;
const BATCH = 1000;

const sql = (v: Value): string => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : escape(v));
/** Hundredths of a 万元 (100 yuan) → decimal text. */
const money = (hundredths: number): string => (hundredths / 100).toFixed(2);
/** A moment in a month as MySQL DATETIME text (UTC): dates never depend on the time zone of the machine. */
const at = (month: string, day: number, hour = 2): string => `${month}-${String(day).padStart(2, '0')} ${String(hour).padStart(2, '0')}:00:00`;
const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** Multi-row INSERTs; returns the ids given to the rows, in order (one statement gets consecutive ids). */
async function insert(q: QueryRunner, table: string, columns: string[], rows: Value[][]): Promise<number[]> {
  const ids: number[] = [];
  const head = `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES `;
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    const result = (await q.query(head + chunk.map((r) => `(${r.map(sql).join(',')})`).join(','))) as { insertId: number };
    for (let k = 0; k < chunk.length; k++) ids.push(result.insertId + k);
  }
  return ids;
}

function weighted<K extends string>(rng: Prng, weights: Readonly<Record<K, number>>): K {
  return rng.weighted(weights as Partial<Record<K, number>>);
}

// ---------------------------------------------------------------------------------------------
// The shape of the data

/** Where enterprises are: the busy industrial areas get more. */
const TERRITORY_WEIGHTS: Record<string, number> = {
  'MY-FC': 14, 'MY-YX': 10, 'MY-AZ': 6, 'MY-ST': 5, 'MY-YT': 3, 'MY-ZT': 3, 'MY-BC': 3, 'MY-PW': 2, 'MY-JY': 10,
  'MY-GX': 12, 'MY-JK': 10, 'MY-KC': 4, 'MY-XH': 3,
  'MY-YX-GXY': 5, 'MY-JY-GXY': 5, 'MY-ST-GYY': 3, 'MY-BC-KFQ': 2, 'MY-AZ-GYY': 3, 'MY-YT-KFQ': 2, 'MY-ZT-KFQ': 2, 'MY-PW-FDY': 1,
};

const INDUSTRIES = [
  { code: 'C3982', trade: '电子科技', product: '印制电路板' }, { code: 'C3974', trade: '光电科技', product: '显示模组' },
  { code: 'C3976', trade: '光电子', product: '光通信器件' }, { code: 'C3981', trade: '电子元件', product: '片式电容器' },
  { code: 'C3841', trade: '新能源', product: '锂离子电池' }, { code: 'C3824', trade: '电力电子', product: '功率模块' },
  { code: 'C3670', trade: '汽车部件', product: '汽车零部件' }, { code: 'C3744', trade: '航空装备', product: '航空零部件' },
  { code: 'C3499', trade: '机械', product: '智能装备' }, { code: 'C2614', trade: '化工', product: '精细化学品' },
  { code: 'C2710', trade: '药业', product: '原料药' }, { code: 'C3130', trade: '特钢', product: '精密钢管' },
  { code: 'C3011', trade: '建材', product: '绿色建材' }, { code: 'C1512', trade: '酒业', product: '白酒' },
  { code: 'C2921', trade: '新材料', product: '功能薄膜' },
];
const BRANDS = [
  '涪江', '富乐', '越王', '科城', '明远', '华晟', '锦程', '嘉瑞', '恒通', '鑫源', '泰和', '中岳', '蜀能', '瑞丰', '兴茂',
  '安达', '德源', '宏图', '启明', '天信', '长青', '云帆', '金鼎', '川越', '博瑞', '新源', '东辰', '正和', '盛达', '润升',
];
const FORMS = ['四川{b}{t}有限公司', '绵阳{b}{t}有限公司', '绵阳市{b}{t}股份有限公司', '四川{b}{t}集团有限公司'];
const ROADS = ['兴业路', '创新路', '工业大道', '科技路', '园区大道', '富民路', '长兴路', '振兴路'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴'];
const GIVEN = ['建国', '志强', '海燕', '晓东', '丽华', '文杰', '春梅', '国平'];

const LIBRARY_WEIGHTS: Record<LS, number> = { IN_LIBRARY: 70, DRAFT: 6, SUBMITTED: 6, COUNTY_CHECKED: 6, RETURNED: 4, REJECTED: 4, WITHDRAWN: 4 };
function stageWeights(library: LS): Partial<Record<CS, number>> {
  if (library === LS.IN_LIBRARY) return { PLANNING: 7, PREPARATION: 14, UNDER_CONSTRUCTION: 42, COMPLETED: 12, IN_PRODUCTION: 15, SUSPENDED: 6, TERMINATED: 4 };
  if (library === LS.WITHDRAWN) return { TERMINATED: 3, SUSPENDED: 1 };
  if (library === LS.REJECTED) return { PLANNING: 1 };
  return { PLANNING: 3, PREPARATION: 2 };
}
const NATURE_WEIGHTS: Record<ConstructionNature, number> = { RENOVATION: 55, EXPANSION: 20, NEW: 10, RELOCATION: 5, PURCHASE_ONLY: 10 };
const STARTED: CS[] = [CS.UNDER_CONSTRUCTION, CS.COMPLETED, CS.IN_PRODUCTION, CS.SUSPENDED];

/** Fund programmes: 4 a year for 2024–2026; the 2026 window is still open. */
interface Programme { year: number; name: string; basis: 'EQUIPMENT' | 'APPROVED_INVESTMENT' | 'LOAN_INTEREST'; ratio: number; capWan: number; form: string; flags: number }
const PROGRAMMES: Programme[] = [2024, 2025, 2026].flatMap((year) => [
  { year, name: `${year}年度绵阳市先进制造业发展资金（技术改造）`, basis: 'APPROVED_INVESTMENT' as const, ratio: 0.1, capWan: 2000, form: 'SUBSIDY', flags: 1 },
  { year, name: `${year}年度设备更新专项资金`, basis: 'EQUIPMENT' as const, ratio: 0.08, capWan: 500, form: 'SUBSIDY', flags: 1 },
  { year, name: `${year}年度技改项目贷款贴息`, basis: 'LOAN_INTEREST' as const, ratio: 0.5, capWan: 300, form: 'INTEREST_SUBSIDY', flags: 2 },
  { year, name: `${year}年度智能化改造奖励`, basis: 'EQUIPMENT' as const, ratio: 0.05, capWan: 200, form: 'AWARD', flags: 4 },
]);
const CLOSED_STATUSES: Partial<Record<FA, number>> = {
  COUNTY_REVIEW: 1, CITY_REVIEW: 1, EXPERT_REVIEW: 1, ALLOCATION_PROPOSED: 1, PUBLIC_NOTICE: 1, APPROVED: 6, RETURNED: 1, REJECTED: 2,
};
const OPEN_STATUSES: Partial<Record<FA, number>> = { DRAFT: 3, SUBMITTED: 3, COUNTY_REVIEW: 2, COUNTY_RECOMMENDED: 2, CITY_REVIEW: 1, RETURNED: 1 };
const AFTER_COUNTY: FA[] = [FA.COUNTY_RECOMMENDED, FA.CITY_REVIEW, FA.EXPERT_REVIEW, FA.ALLOCATION_PROPOSED, FA.PUBLIC_NOTICE, FA.APPROVED];
const SCORED: FA[] = [FA.ALLOCATION_PROPOSED, FA.PUBLIC_NOTICE, FA.APPROVED];
const LAND_STATUSES: Partial<Record<LR, number>> = { DRAFT: 2, SUBMITTED: 3, NR_REVIEW: 3, IN_SUPPLY_PLAN: 2, REJECTED: 1, WITHDRAWN: 1 };

interface Territory { id: number; code: string; name: string; kind: OrgUnitKind; regionCode: string }

interface ProjectRow {
  id?: number;
  enterpriseId: number;
  territoryId: number;
  library: LS;
  stage: CS;
  totalHundredths: number;
  equipmentHundredths: number;
  values: Value[];
}

const PROJECT_COLUMNS = [
  'name', 'projectCode', 'enterpriseId', 'territoryId', 'parkId', 'site', 'industryCode', 'constructionNature', 'techniqueFlags', 'content',
  'totalInvestment', 'equipmentInvestment', 'plannedStart', 'plannedCompletion', 'actualStart', 'actualCompletion', 'keyLevel',
  'reserveBatch', 'libraryStatus', 'stage', 'statsRegisteredAt', 'createdAt', 'updatedAt',
];

// ---------------------------------------------------------------------------------------------
// The generator

/**
 * Fills a migrated database that has the reference data and no business rows. Returns what it
 * made and who the bench accounts are (password BENCH_PASSWORD).
 */
export async function generateBenchData(ds: DataSource, options: GenerateOptions): Promise<BenchDataset> {
  const started = Date.now();
  const scale = Math.round(options.scale);
  if (!Number.isInteger(scale) || scale < 100 || scale > MAX_SCALE) throw new Error(`scale must be between 100 and ${MAX_SCALE} projects (got ${options.scale})`);
  if (ds.options.type !== 'mysql') throw new Error('the benchmark generator needs MySQL/MariaDB');
  const seed = options.seed ?? DEFAULT_SEED;
  const countyCode = options.countyCode ?? DEFAULT_COUNTY;
  const log = options.log ?? (() => undefined);
  const rng = new Prng(seed);

  await seedReferenceData(ds);
  const units = await ds.manager.find(OrgUnit);
  const unit = (code: string) => {
    const u = units.find((x) => x.code === code);
    if (!u) throw new Error(`org unit ${code} is missing`);
    return u;
  };
  const county = unit(countyCode);
  if (county.kind !== OrgUnitKind.COUNTY) throw new Error(`${countyCode} is not a county`);
  const countyTerritoryIds = units.filter((u) => u.path.startsWith(county.path)).map((u) => u.id).sort((a, b) => a - b);
  const territories: Territory[] = TERRITORIES.map((t) => {
    const u = unit(t.code);
    return { id: u.id, code: t.code, name: t.name, kind: u.kind, regionCode: countyOfTerritory(t.code).regionCode! };
  });
  const territoryWeights = Object.fromEntries(territories.map((t) => [t.code, TERRITORY_WEIGHTS[t.code] ?? 1])) as Record<string, number>;
  const territoryByCode = new Map(territories.map((t) => [t.code, t]));

  const q = ds.createQueryRunner();
  await q.connect();
  const counts = { enterprises: 0, projects: 0, fundPrograms: 0, fundApplications: 0, landRequests: 0, monthlyReports: 0 };
  let benchEnterpriseId = 0;
  try {
    await q.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
    const existing = (await q.query('SELECT COUNT(*) AS n FROM projects')) as { n: string | number }[];
    if (Number(existing[0].n) > 0) throw new Error('the database already has projects: generate into an empty (freshly migrated) database');

    // Fund programmes, owned by 经信局.
    const jxj = unit(`${CITY_CODE}-D-JXJ`).id;
    const programmeIds = await insert(q, 'fund_programs', [
      'year', 'name', 'source', 'supportFormFlags', 'basis', 'maxRatio', 'cap', 'windowOpensAt', 'windowClosesAt', 'ownerUnitId', 'description', 'createdAt', 'updatedAt',
    ], PROGRAMMES.map((p) => [
      p.year, p.name, 'CITY', p.flags, p.basis, p.ratio.toFixed(4), money(p.capWan * 100), at(`${p.year}-04`, 1, 0), at(p.year === 2026 ? '2026-12' : `${p.year}-06`, 30, 15),
      jxj, `${p.name}：按${p.basis === 'EQUIPMENT' ? '设备投资' : p.basis === 'LOAN_INTEREST' ? '贷款利息' : '核定投资'}的${p.ratio * 100}%支持，单个项目最高${p.capWan}万元。`,
      at(`${p.year}-03`, 15), at(`${p.year}-03`, 15),
    ]));
    counts.fundPrograms = programmeIds.length;

    // Enterprises and their project counts. The first enterprise of each territory makes sure every
    // territory has some; the first one in the bench county is the bench enterprise, with enough
    // projects to fill a page of 50 at the default scale.
    const enterpriseCount = Math.max(territories.length + 1, Math.round(scale / 4));
    const benchIndex = territories.findIndex((t) => t.code === countyCode);
    const benchProjects = clamp(Math.round(scale / 200), 5, 60);
    const projectCounts = new Array<number>(enterpriseCount).fill(1);
    projectCounts[benchIndex] = benchProjects;
    const aboveScale = Array.from({ length: enterpriseCount }, () => rng.chance(0.7));
    // Above-scale enterprises get three times the share of the remaining projects.
    const lottery: number[] = [];
    aboveScale.forEach((above, i) => {
      if (i === benchIndex) return;
      for (let k = 0; k < (above ? 3 : 1); k++) lottery.push(i);
    });
    for (let left = scale - enterpriseCount - benchProjects + 1; left > 0; left--) projectCounts[lottery[Math.floor(rng.next() * lottery.length)]]++;

    const ENTERPRISE_CHUNK = 1000;
    let projectSerial = 0;
    let reportedTenths = 0;
    for (let first = 0; first < enterpriseCount; first += ENTERPRISE_CHUNK) {
      const last = Math.min(enterpriseCount, first + ENTERPRISE_CHUNK);
      // Enterprises of this chunk.
      const enterprises: { territory: Territory; industry: (typeof INDUSTRIES)[number]; short: string; address: string }[] = [];
      const enterpriseRows: Value[][] = [];
      for (let i = first; i < last; i++) {
        const territory = i < territories.length ? territories[i] : territoryByCode.get(rng.weighted(territoryWeights))!;
        const industry = rng.pick(INDUSTRIES);
        const brand = rng.pick(BRANDS) + rng.pick(BRANDS);
        const name = rng.pick(FORMS).replace('{b}', brand).replace('{t}', industry.trade);
        const address = `四川省绵阳市${territory.name}${rng.pick(ROADS)}${rng.int(1, 399)}号`;
        enterprises.push({ territory, industry, short: brand + industry.trade, address });
        enterpriseRows.push([
          creditCode(i, territory.regionCode), name, industry.code, territory.id, aboveScale[i] ? 'ABOVE_SCALE' : 'BELOW_SCALE',
          (rng.chance(0.25) ? 1 : 0) | (rng.chance(0.05) ? 2 : 0) | (rng.chance(0.2) ? 4 : 0), address,
          rng.pick(SURNAMES) + rng.pick(GIVEN), null, at('2019-01', 2), at('2019-01', 2),
        ]);
      }
      const enterpriseIds = await insert(q, 'enterprises', [
        'creditCode', 'name', 'industryCode', 'territoryId', 'scale', 'tagFlags', 'address', 'contactName', 'contactPhone', 'createdAt', 'updatedAt',
      ], enterpriseRows);
      counts.enterprises += enterpriseIds.length;
      if (benchIndex >= first && benchIndex < last) benchEnterpriseId = enterpriseIds[benchIndex - first];

      // Their projects, shuffled within the chunk so ids do not group by enterprise.
      const projects: ProjectRow[] = [];
      const byEnterprise = new Map<number, ProjectRow[]>();
      for (let i = first; i < last; i++) {
        const e = enterprises[i - first];
        const enterpriseId = enterpriseIds[i - first];
        const own: ProjectRow[] = [];
        for (let k = 0; k < projectCounts[i]; k++) own.push(projectRow(rng, enterpriseId, e, projectSerial++, k));
        byEnterprise.set(enterpriseId, own);
        projects.push(...own);
      }
      const ordered = rng.sample(projects, projects.length);
      const projectIds = await insert(q, 'projects', PROJECT_COLUMNS, ordered.map((p) => p.values));
      ordered.forEach((p, i) => (p.id = projectIds[i]));
      counts.projects += projectIds.length;

      // Fund applications: one per enterprise per programme, for projects in the library.
      const applications: Value[][] = [];
      for (const [enterpriseId, own] of byEnterprise) {
        const eligible = own.filter((p) => p.library === LS.IN_LIBRARY);
        if (eligible.length === 0) continue;
        const programmes = rng.sample(PROGRAMMES.map((_, i) => i), Math.min(PROGRAMMES.length, own.length));
        for (const pi of programmes) applications.push(applicationRow(rng, PROGRAMMES[pi], programmeIds[pi], rng.pick(eligible), enterpriseId));
      }
      counts.fundApplications += (await insert(q, 'fund_applications', [
        'programId', 'projectId', 'enterpriseId', 'territoryId', 'supportForm', 'requestedAmount', 'basisAmount', 'countyOpinion', 'cityOpinion',
        'expertScore', 'expertOpinion', 'proposedAmount', 'approvedAmount', 'disbursedAmount', 'noticeStartsAt', 'noticeEndsAt', 'status',
        'submittedAt', 'createdAt', 'updatedAt',
      ], applications)).length;

      // Land requests of projects not yet finished.
      const territoryOf = new Map(enterpriseIds.map((id, i) => [id, enterprises[i].territory]));
      const land: Value[][] = [];
      for (const p of ordered) {
        if (![CS.PLANNING, CS.PREPARATION, CS.UNDER_CONSTRUCTION].includes(p.stage) || !rng.chance(0.37)) continue;
        land.push(landRow(rng, p, territoryOf.get(p.enterpriseId)!));
      }
      counts.landRequests += (await insert(q, 'land_requests', [
        'projectId', 'enterpriseId', 'territoryId', 'areaMu', 'landUse', 'location', 'planConformity', 'farmlandType', 'supplyMethod',
        'investmentIntensity', 'taxPerMu', 'plotRatio', 'expectedDate', 'status', 'createdAt', 'updatedAt',
      ], land)).length;

      // Twelve monthly reports for every project under construction.
      const reports: Value[][] = [];
      for (const p of ordered) if (p.stage === CS.UNDER_CONSTRUCTION) reports.push(...reportRows(rng, p));
      counts.monthlyReports += (await insert(q, 'monthly_reports', [
        'projectId', 'enterpriseId', 'territoryId', 'period', 'monthInvestment', 'cumulativeInvestment', 'progressPercent', 'progressText',
        'status', 'submittedAt', 'createdAt', 'updatedAt',
      ], reports)).length;
      const tenths = Math.floor((counts.projects * 10) / scale);
      if (tenths > reportedTenths) {
        reportedTenths = tenths;
        log(`  ${counts.projects.toLocaleString('en')} / ${scale.toLocaleString('en')} projects`);
      }
    }
    await q.query('SET SESSION foreign_key_checks = 1, unique_checks = 1');
  } finally {
    await q.release();
  }

  const users = await createBenchUsers(ds, countyCode, benchEnterpriseId);
  await checkConsistencyOrThrow(ds);
  for (const table of ['enterprises', 'projects', 'fund_applications', 'land_requests', 'monthly_reports']) await ds.query(`ANALYZE TABLE \`${table}\``);
  return { scale, seed, countyCode, countyTerritoryIds, benchEnterpriseId, users, counts, seconds: (Date.now() - started) / 1000 };
}

/**
 * A unique valid credit code: "91", the county's region code, nine characters that encode the
 * enterprise's index (scrambled by a multiplier prime to 31, so distinct indexes stay distinct),
 * and the check character.
 */
function creditCode(index: number, regionCode: string): string {
  const SPACE = 31 ** 9;
  let n = (index * 7_368_787 + 1_234_567) % SPACE;
  let body = '';
  for (let k = 0; k < 9; k++) {
    body = CREDIT_CODE_ALPHABET[n % 31] + body;
    n = Math.floor(n / 31);
  }
  const first17 = `91${regionCode}${body}`;
  return first17 + creditCodeCheckChar(first17);
}

function projectRow(
  rng: Prng,
  enterpriseId: number,
  e: { territory: Territory; industry: (typeof INDUSTRIES)[number]; short: string; address: string },
  serial: number,
  nth: number,
): ProjectRow {
  const library = weighted(rng, LIBRARY_WEIGHTS);
  const stage = rng.weighted(stageWeights(library));
  // Dates agree with the stage: under construction started before the reports begin (2025-01),
  // finished ones finished by the last reported month, not-started ones start from 2026.
  let actualStart: string | null = null;
  let actualCompletion: string | null = null;
  let plannedStart: string;
  if (STARTED.includes(stage)) {
    actualStart =
      stage === CS.UNDER_CONSTRUCTION ? randomMonth(rng, '2023-07', FIRST_REPORT)
        : stage === CS.COMPLETED ? randomMonth(rng, '2022-01', '2024-06')
          : stage === CS.IN_PRODUCTION ? randomMonth(rng, '2019-01', '2023-06')
            : randomMonth(rng, '2023-01', '2025-06');
    plannedStart = addMonths(actualStart, -rng.int(0, 3));
    if (stage === CS.COMPLETED || stage === CS.IN_PRODUCTION) {
      const done = addMonths(actualStart, rng.int(6, 18));
      actualCompletion = done <= LAST_REPORT ? done : LAST_REPORT;
    }
  } else {
    plannedStart = stage === CS.TERMINATED ? randomMonth(rng, '2023-01', '2025-12') : stage === CS.PREPARATION ? randomMonth(rng, '2026-01', '2026-12') : randomMonth(rng, '2026-06', '2027-12');
  }
  const plannedCompletion = addMonths(plannedStart, rng.int(8, 36));
  const size = rng.weighted({ small: 40, medium: 40, large: 17, huge: 3 });
  const totalWan = size === 'small' ? rng.int(200, 800) : size === 'medium' ? rng.int(800, 5000) : size === 'large' ? rng.int(5000, 30000) : rng.int(30000, 120000);
  const total = totalWan * 100;
  const equipment = Math.floor((total * rng.int(30, 75)) / 100);
  const nature = weighted(rng, NATURE_WEIGHTS);
  const techniques = rng.sample(TECHNIQUES.map((_, i) => 1 << i), rng.int(1, 3)).reduce((a, b) => a | b, 0);
  const filed = library === LS.IN_LIBRARY && stage !== CS.PLANNING;
  const keyLevel = library !== LS.IN_LIBRARY ? KeyLevel.NONE : totalWan >= 30000 ? rng.weighted<KeyLevel>({ PROVINCE: 5, CITY: 3, NONE: 2 }) : totalWan >= 10000 && rng.chance(0.4) ? KeyLevel.CITY : KeyLevel.NONE;
  const inLibrary = library === LS.IN_LIBRARY || library === LS.WITHDRAWN;
  const statsRegisteredAt = actualStart && totalWan >= 500 && rng.chance(0.85) ? at(addMonths(actualStart, 1), rng.int(5, 25)) : null;
  const created = at(addMonths(plannedStart, -rng.int(4, 10)), rng.int(1, 27));
  const park = e.territory.kind === OrgUnitKind.COUNTY ? null : e.territory.id;
  const name = `${e.short}${e.industry.product}${['生产线智能化改造', '数字化车间建设', '节能降碳改造', '关键设备更新', '扩能技改'][rng.int(0, 4)]}${nth ? `（${nth + 1}期）` : ''}项目`;
  return {
    enterpriseId,
    territoryId: e.territory.id,
    library,
    stage,
    totalHundredths: total,
    equipmentHundredths: equipment,
    values: [
      name,
      filed ? `${plannedStart.slice(0, 4)}-${e.territory.regionCode}-${e.industry.code.slice(1, 3)}-03-${String(serial % 1_000_000).padStart(6, '0')}` : null,
      enterpriseId, e.territory.id, park, e.address, e.industry.code, nature, techniques,
      `对${e.industry.product}生产线实施技术改造，新增（更新）设备约${rng.int(10, 200)}台（套）。`,
      money(total), money(equipment), plannedStart, plannedCompletion, actualStart, actualCompletion, keyLevel,
      inLibrary ? (plannedStart <= '2025-12' ? '十四五' : '十五五') : null, library, stage, statsRegisteredAt, created, created,
    ],
  };
}

function applicationRow(rng: Prng, programme: Programme, programmeId: number, project: ProjectRow, enterpriseId: number): Value[] {
  const status = programme.year === 2026 ? rng.weighted(OPEN_STATUSES) : rng.weighted(CLOSED_STATUSES);
  const basis =
    programme.basis === 'EQUIPMENT' ? project.equipmentHundredths
      : programme.basis === 'LOAN_INTEREST' ? Math.floor(project.totalHundredths * 0.6 * 0.04)
        : project.totalHundredths;
  const limit = Math.min(programme.capWan * 100, Math.floor(basis * programme.ratio));
  const requested = Math.max(1, Math.floor((limit * rng.int(50, 100)) / 100));
  const scored = SCORED.includes(status);
  const proposed = scored ? Math.floor((requested * rng.int(60, 100)) / 100) : null;
  const submitted = status === FA.DRAFT ? null : at(`${programme.year}-05`, rng.int(1, 28), 3);
  const noticed = status === FA.PUBLIC_NOTICE || status === FA.APPROVED;
  return [
    programmeId, project.id!, enterpriseId, project.territoryId, programme.form, money(requested), money(basis),
    AFTER_COUNTY.includes(status) ? '经初审，项目符合申报条件，同意推荐。' : null,
    [FA.EXPERT_REVIEW, ...SCORED].includes(status) ? '符合支持方向。' : null,
    scored ? (rng.int(6000, 9800) / 100).toFixed(2) : null, scored ? '项目技术路线可行，建议支持。' : null,
    proposed === null ? null : money(proposed), status === FA.APPROVED ? money(proposed!) : null, '0',
    noticed ? at(`${programme.year}-09`, 1, 1) : null, noticed ? at(`${programme.year}-09`, 7, 9) : null,
    status, submitted, at(`${programme.year}-04`, rng.int(1, 28)), submitted ?? at(`${programme.year}-04`, 28),
  ];
}

function landRow(rng: Prng, p: ProjectRow, territory: Territory): Value[] {
  const areaHundredths = rng.int(10, 250) * 100;
  const standard = territory.kind !== OrgUnitKind.COUNTY || rng.chance(0.5);
  const status = rng.weighted(LAND_STATUSES);
  const farmland = status === LR.REJECTED ? 'PERMANENT_BASIC' : rng.chance(0.6) ? 'NONE' : 'CULTIVATED';
  const plannedStart = p.values[PROJECT_COLUMNS.indexOf('plannedStart')] as string;
  return [
    p.id!, p.enterpriseId, p.territoryId, money(areaHundredths), rng.pick(['工业用地（一类）', '工业用地（二类）', '仓储用地']),
    `${territory.name}${rng.pick(['东片区', '西片区', '南片区', '北片区', '新区'])}`,
    farmland === 'PERMANENT_BASIC' ? 'NEEDS_ADJUSTMENT' : 'CONFORMS', farmland, rng.weighted({ LISTING: 6, AUCTION: 1, TENDER: 1, LEASE_THEN_TRANSFER: 2, FLEXIBLE_TERM: 1, LONG_LEASE: 1 }),
    standard ? money(rng.int(150, 400) * 100) : null, standard ? money(rng.int(8, 30) * 100) : null, standard ? (rng.int(100, 200) / 100).toFixed(2) : null,
    addMonths(plannedStart, -1), status, at(addMonths(plannedStart, -rng.int(8, 14)), rng.int(1, 27)), at(addMonths(plannedStart, -rng.int(2, 7)), rng.int(1, 27)),
  ];
}

/** 2025-01 … 2025-12: the running sum reaches 30–90% of the total by December; older months are confirmed. */
function reportRows(rng: Prng, p: ProjectRow): Value[][] {
  const months = monthsBetween(FIRST_REPORT, LAST_REPORT);
  const target = Math.floor((p.totalHundredths * rng.int(30, 90)) / 100);
  const weights = months.map(() => rng.int(1, 10));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  return months.map((period, i) => {
    const amount = i === months.length - 1 ? target - cumulative : Math.floor((target * weights[i]) / weightSum);
    cumulative += amount;
    const status = i < 9 ? RS.CONFIRMED : i < 11 ? (rng.chance(0.5) ? RS.CONFIRMED : RS.SUBMITTED) : rng.chance(0.5) ? RS.SUBMITTED : RS.OPEN;
    const filed = at(addMonths(period, 1), rng.int(1, 10), 3);
    return [
      p.id!, p.enterpriseId, p.territoryId, period, money(amount), money(cumulative), ((cumulative * 100) / p.totalHundredths).toFixed(2),
      '按计划推进。', status, status === RS.OPEN ? null : filed, at(period, 25), status === RS.OPEN ? at(period, 25) : filed,
    ];
  });
}

/** The scenario users: a county officer of the bench county, the city leader, the bench enterprise's user. */
async function createBenchUsers(ds: DataSource, countyCode: string, enterpriseId: number): Promise<BenchDataset['users']> {
  const hash = await hashPassword(BENCH_PASSWORD);
  return ds.transaction(async (m) => {
    const roles = new Map((await m.find(Role)).map((r) => [r.key, r.id]));
    const unitId = async (code: string) => (await m.findOneByOrFail(OrgUnit, { code })).id;
    const enterpriseTerritory = ((await m.query('SELECT territoryId FROM enterprises WHERE id = ?', [enterpriseId])) as { territoryId: number }[])[0].territoryId;
    const specs = [
      { key: 'county' as const, displayName: '基准测试县级经信人员', role: 'county_officer', scope: await unitId(countyCode), enterpriseId: null },
      { key: 'leader' as const, displayName: '基准测试市领导', role: 'city_leader', scope: await unitId(CITY_CODE), enterpriseId: null },
      { key: 'enterprise' as const, displayName: '基准测试企业用户', role: 'enterprise_user', scope: enterpriseTerritory, enterpriseId },
    ];
    const users = {} as BenchDataset['users'];
    for (const s of specs) {
      const user = await m.save(m.create(User, {
        username: BENCH_USERS[s.key], displayName: s.displayName, passwordHash: hash, enterpriseId: s.enterpriseId, phone: null, disabled: false, mustChangePassword: false,
      }));
      await m.save(m.create(RoleBinding, { userId: user.id, roleId: roles.get(s.role)!, scopeUnitId: s.scope }));
      users[s.key] = { id: user.id, username: user.username };
    }
    await bumpAuthzVersion(m);
    return users;
  });
}

/** What the fast path skipped (foreign-key and unique checks), checked once over the whole data set. */
async function checkConsistencyOrThrow(ds: DataSource): Promise<void> {
  const problems: string[] = [];
  const zero = async (what: string, query: string) => {
    const [row] = (await ds.query(query)) as { n: string | number }[];
    if (Number(row.n) !== 0) problems.push(`${row.n} ${what}`);
  };
  await zero('projects whose territory is not their enterprise\'s', 'SELECT COUNT(*) AS n FROM projects p LEFT JOIN enterprises e ON e.id = p.enterpriseId WHERE e.id IS NULL OR e.territoryId <> p.territoryId');
  for (const table of ['fund_applications', 'land_requests', 'monthly_reports']) {
    await zero(`${table} rows whose scope keys are not their project's`, `SELECT COUNT(*) AS n FROM ${table} c LEFT JOIN projects p ON p.id = c.projectId WHERE p.id IS NULL OR p.territoryId <> c.territoryId OR p.enterpriseId <> c.enterpriseId`);
  }
  await zero('duplicate credit codes', 'SELECT COUNT(*) - COUNT(DISTINCT creditCode) AS n FROM enterprises');
  await zero('duplicate project codes', 'SELECT COUNT(projectCode) - COUNT(DISTINCT projectCode) AS n FROM projects');
  await zero('duplicate (programme, enterprise) applications', 'SELECT COUNT(*) - COUNT(DISTINCT programId, enterpriseId) AS n FROM fund_applications');
  await zero('applications above min(cap, ratio × basis)', 'SELECT COUNT(*) AS n FROM fund_applications a JOIN fund_programs f ON f.id = a.programId WHERE a.requestedAmount > f.cap OR a.requestedAmount > a.basisAmount * f.maxRatio');
  await zero('applications for projects outside the library', "SELECT COUNT(*) AS n FROM fund_applications a JOIN projects p ON p.id = a.projectId WHERE p.libraryStatus <> 'IN_LIBRARY'");
  await zero('reports whose cumulative is not the running sum', `SELECT COUNT(*) AS n FROM monthly_reports r JOIN monthly_reports prev ON prev.projectId = r.projectId AND prev.period = DATE_FORMAT(DATE_SUB(STR_TO_DATE(CONCAT(r.period, '-01'), '%Y-%m-%d'), INTERVAL 1 MONTH), '%Y-%m') WHERE r.cumulativeInvestment <> prev.cumulativeInvestment + r.monthInvestment`);
  const codes = (await ds.query('SELECT creditCode FROM enterprises ORDER BY id LIMIT 2000')) as { creditCode: string }[];
  const invalid = codes.filter((c) => !isValidCreditCode(c.creditCode)).length;
  if (invalid) problems.push(`${invalid} invalid credit codes`);
  if (problems.length) throw new Error(`generated data is inconsistent: ${problems.join('; ')}`);
}
