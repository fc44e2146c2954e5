/**
 * Demo data: the demo accounts, the four enterprises of the city's 2020 site visit plus generated
 * ones, and their projects with annual plans. Everything comes from one seeded generator, so the
 * data is identical on every run. Generated names are invented; amounts of the visited
 * enterprises' projects are illustrative except where domain.md gives them (利尔's L-草铵膦 line).
 *
 * Builders are pure: they take what was already inserted (ids) and return rows; seed.ts inserts.
 */
import { fromUnits, SCALE, toUnits } from '../core/db/decimal';
import { toFlags } from '../core/db/columns';
import { Enterprise, ENTERPRISE_TAGS, EnterpriseScale, EnterpriseTag } from '../modules/enterprise/enterprise.entity';
import { ProjectAnnualPlan } from '../modules/project/project-annual-plan.entity';
import {
  ConstructionNature, ConstructionStage, KeyLevel, LibraryStatus, Project, Technique, TECHNIQUES,
} from '../modules/project/project.entity';
import { OrgUnitKind } from '../modules/org/org-unit.entity';
import { CREDIT_CODE_ALPHABET, creditCodeCheckChar } from '../modules/enterprise/credit-code';
import {
  addDays, addMonths, CURRENT_PERIOD, dayIn, DEMO_TODAY, fixedDay, monthsBetween, notAfterToday, randomMonth, timeline, yearOf,
} from './demo-calendar';
import { Actors, dated, HistoryStep, PROJECT_LIBRARY, PROJECT_STAGE, stepsTo } from './demo-workflows';
import { CITY_CODE, ORG_TREE, OrgUnitSeed } from './org-tree';
import { Prng } from './prng';
import { BuiltInRoleKey } from './roles';
import { Draft, idOf, NewRow } from './rows';

export const DEMO_PASSWORD = 'demo1234';
/** The date of the city's 2020 技改 meeting; any fixed number would do. */
export const DEMO_SEED = 20200903;

const ENTERPRISE_COUNT = 50;
const PROJECT_COUNT = 200;

// ---------------------------------------------------------------------------------------------
// Money: amounts are BigInt units of 10^-SCALE 万元 (as in decimal.ts), stored as canonical text.

const WAN = 10n ** BigInt(SCALE);
export const wan = (amount: number): bigint => BigInt(amount) * WAN;
/** `percent` % of an amount, rounded down to 0.01 万元 (100 yuan) so figures look like real ones. */
export const percentOf = (units: bigint, percent: number): bigint => ((units * BigInt(percent)) / 100n / 100n) * 100n;
export const money = (units: bigint): string => fromUnits(units);

// ---------------------------------------------------------------------------------------------
// Territories and accounts

/** A county or park as the demo data needs it. */
export interface Territory {
  id: number;
  seed: OrgUnitSeed;
  /** The county it is, belongs to or sits in: its region code goes into credit and project codes. */
  county: OrgUnitSeed;
}

interface Industry {
  code: string;
  /** Trade word in generated company names. */
  trade: string;
  products: string[];
}

/** GB/T 4754-2017 classes typical of Mianyang's manufacturing (electronics, materials, vehicles, chemicals). */
const INDUSTRIES: Industry[] = [
  { code: 'C3982', trade: '电子科技', products: ['高密度印制电路板', '柔性电路板'] },
  { code: 'C3974', trade: '光电科技', products: ['新型显示模组', '液晶显示模组'] },
  { code: 'C3976', trade: '光电子', products: ['光通信器件', '激光器件'] },
  { code: 'C3981', trade: '电子元件', products: ['片式电容器', '电感元件'] },
  { code: 'C3841', trade: '新能源', products: ['锂离子电池', '储能电池模组'] },
  { code: 'C3824', trade: '电力电子', products: ['功率模块', '变频器'] },
  { code: 'C3670', trade: '汽车部件', products: ['汽车零部件', '底盘结构件'] },
  { code: 'C3744', trade: '航空装备', products: ['航空零部件', '航空发动机零件'] },
  { code: 'C3499', trade: '机械', products: ['智能装备', '通用机械'] },
  { code: 'C2614', trade: '化工', products: ['精细化学品', '有机中间体'] },
  { code: 'C2710', trade: '药业', products: ['化学原料药', '医药中间体'] },
  { code: 'C3130', trade: '特钢', products: ['特种钢材', '精密钢管'] },
  { code: 'C3011', trade: '建材', products: ['新型干法水泥', '绿色建材'] },
  { code: 'C1512', trade: '酒业', products: ['白酒酿造', '白酒灌装'] },
  { code: 'C2921', trade: '新材料', products: ['功能薄膜', '高分子材料'] },
];

const industry = (code: string, trade: string, products: string[]): Industry => ({ code, trade, products });

interface EnterpriseProfile {
  name: string;
  short: string;
  industry: Industry;
  territoryCode: string;
  tags: EnterpriseTag[];
}

export const LIER_NAME = '利尔化学股份有限公司';

/**
 * The four enterprises whose lines the city visited in September 2020 (domain.md §0). 利尔 (经开区)
 * and 中国重汽 (高新区) sit where domain.md says; 东材 (游仙 park) and 长虹智能制造 (高新区) are
 * plausible but unverified. Their credit codes are generated, not the real ones.
 */
export const VISITED_ENTERPRISES: EnterpriseProfile[] = [
  { name: '四川东材科技集团股份有限公司', short: '东材科技', industry: industry('C2921', '新材料', ['特种聚酯薄膜']), territoryCode: 'MY-YX-GXY', tags: ['KEY_ENTERPRISE', 'CHAIN_LEADER'] },
  { name: LIER_NAME, short: '利尔化学', industry: industry('C2631', '农化', ['草铵膦原药', '氯化产品']), territoryCode: 'MY-JK', tags: ['KEY_ENTERPRISE', 'CHAIN_LEADER'] },
  { name: '中国重汽集团绵阳专用汽车有限公司', short: '中国重汽绵阳', industry: industry('C3630', '专用汽车', ['专用车', '改装车']), territoryCode: 'MY-GX', tags: ['KEY_ENTERPRISE'] },
  { name: '四川长虹智能制造技术有限公司', short: '长虹智能制造', industry: industry('C3491', '智能制造', ['工业机器人', '智能产线']), territoryCode: 'MY-GX', tags: ['KEY_ENTERPRISE', 'SPECIALISED_INNOVATIVE'] },
];

export interface DemoAccount {
  username: string;
  displayName: string;
  role: BuiltInRoleKey;
  /** Code of the binding's scope unit. City departments' roles are bound to the city, not the department unit. */
  scopeCode: string;
  /** Enterprise accounts act for this enterprise. */
  enterpriseName?: string;
}

/** Every demo account signs in with DEMO_PASSWORD. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin', scopeCode: CITY_CODE },
  { username: 'leader', displayName: '市领导（演示）', role: 'city_leader', scopeCode: CITY_CODE },
  { username: 'jxj', displayName: '市经信局（演示）', role: 'jxj_officer', scopeCode: CITY_CODE },
  { username: 'fgw', displayName: '市发改委（演示）', role: 'fgw_officer', scopeCode: CITY_CODE },
  { username: 'czj', displayName: '市财政局（演示）', role: 'czj_officer', scopeCode: CITY_CODE },
  { username: 'zrzy', displayName: '市自然资源和规划局（演示）', role: 'zrzy_officer', scopeCode: CITY_CODE },
  { username: 'tjj', displayName: '市统计局（演示）', role: 'tjj_officer', scopeCode: CITY_CODE },
  { username: 'fucheng', displayName: '涪城区经信局（演示）', role: 'county_officer', scopeCode: 'MY-FC' },
  { username: 'gaoxin', displayName: '高新区经发局（演示）', role: 'park_officer', scopeCode: 'MY-GX' },
  { username: 'jingkai', displayName: '经开区经发局（演示）', role: 'park_officer', scopeCode: 'MY-JK' },
  { username: 'lier', displayName: '利尔化学（演示）', role: 'enterprise_user', scopeCode: 'MY-JK', enterpriseName: LIER_NAME },
];

/**
 * Who did each step of the demo history. Enterprises without a demo account are represented by
 * their territory's officer (counties do enter projects for enterprises); territories without a
 * demo account by admin, as if their history had been imported.
 */
export function demoActors(byUsername: Map<string, number>, units: Map<string, number>, lierId: number): Actors {
  const account = (username: string) => {
    const id = byUsername.get(username);
    if (id === undefined) throw new Error(`demo account ${username} is missing`);
    return id;
  };
  // Each county or park account covers its unit and the unit's children (a county's parks).
  const territoryAccounts = DEMO_ACCOUNTS.filter((a) => a.role === 'county_officer' || a.role === 'park_officer').map((a) => ({
    id: account(a.username),
    unitIds: new Set(ORG_TREE.filter((u) => u.code === a.scopeCode || u.parentCode === a.scopeCode).map((u) => units.get(u.code))),
  }));
  const territoryOfficer = (territoryId: number) =>
    territoryAccounts.find((a) => a.unitIds.has(territoryId))?.id ?? account('admin');
  return {
    byUsername,
    idFor(role, territoryId, enterpriseId) {
      if (role === 'enterprise' && enterpriseId === lierId) return account('lier');
      if (role === 'enterprise' || role === 'territory') return territoryOfficer(territoryId);
      return account(role);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Enterprises

export interface EnterpriseDraft extends Draft<Enterprise> {
  short: string;
  industry: Industry;
  territory: Territory;
}

const BRAND_WORDS = [
  '涪江', '富乐', '越王', '科城', '明远', '华晟', '锦程', '嘉瑞', '恒通', '鑫源', '泰和', '中岳', '蜀能', '瑞丰', '兴茂',
  '安达', '德源', '宏图', '启明', '天信', '长青', '云帆', '金鼎', '川越', '博瑞', '新源', '东辰', '正和', '盛达', '润升',
  '弘业', '睿达', '聚能', '精诚', '合力', '鼎盛', '凯普', '华拓', '同创', '旭升', '永固', '立信', '开元', '星河', '禾丰',
  '远航', '致远', '清源', '奥瑞', '捷诚',
];
const ROADS = ['兴业路', '创新路', '工业大道', '科技路', '园区大道', '富民路', '长兴路', '新华路', '振兴路', '滨江路'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '何', '罗', '邓', '蒋', '唐'];
const GIVEN_NAMES = ['建国', '志强', '海燕', '晓东', '丽华', '文杰', '春梅', '国平', '小军', '秀英', '明辉', '雪梅'];

const CREDIT_CODE_CHARS = [...CREDIT_CODE_ALPHABET];
const REGISTERED_AT = fixedDay('2019-01', 2);

/** 18-character credit code: enterprise ("9") company ("1"), the county's region code, 9 random characters, check. */
function creditCode(rng: Prng, regionCode: string): string {
  let body = `91${regionCode}`;
  while (body.length < 17) body += rng.pick(CREDIT_CODE_CHARS);
  return body + creditCodeCheckChar(body);
}

function enterpriseDraft(rng: Prng, profile: EnterpriseProfile, territory: Territory, scale: EnterpriseScale, usedCodes: Set<string>): EnterpriseDraft {
  let code: string;
  do code = creditCode(rng, territory.county.regionCode!);
  while (usedCodes.has(code));
  usedCodes.add(code);
  const parkPart = territory.seed.kind === OrgUnitKind.COUNTY ? '' : territory.seed.name;
  return {
    short: profile.short,
    industry: profile.industry,
    territory,
    row: {
      creditCode: code,
      name: profile.name,
      industryCode: profile.industry.code,
      territoryId: territory.id,
      scale,
      tagFlags: toFlags(profile.tags, ENTERPRISE_TAGS),
      address: `四川省绵阳市${territory.county.name}${parkPart}${rng.pick(ROADS)}${rng.int(1, 399)}号`,
      contactName: rng.pick(SURNAMES) + rng.pick(GIVEN_NAMES),
      // No phone numbers: a random one could be a real person's.
      contactPhone: null,
      // Registered before any of their projects' history begins.
      createdAt: REGISTERED_AT,
      updatedAt: REGISTERED_AT,
    },
  };
}

function generatedProfile(rng: Prng, brand: string, territoryCode: string): EnterpriseProfile {
  const ind = rng.pick(INDUSTRIES);
  const tags = ENTERPRISE_TAGS.filter((tag) => rng.chance(tag === 'KEY_ENTERPRISE' ? 0.25 : tag === 'CHAIN_LEADER' ? 0.05 : 0.2));
  const form = rng.pick(['四川{b}{t}有限公司', '绵阳{b}{t}有限公司', '绵阳市{b}{t}股份有限公司', '四川{b}{t}集团有限公司']);
  return { name: form.replace('{b}', brand).replace('{t}', ind.trade), short: brand + ind.trade, industry: ind, territoryCode, tags };
}

/**
 * The visited enterprises, then generated ones: the first generated enterprise of each territory
 * guarantees every county and park has some, the rest lean towards the big industrial areas.
 */
export function buildEnterprises(rng: Prng, territories: Territory[]): EnterpriseDraft[] {
  const byCode = new Map(territories.map((t) => [t.seed.code, t]));
  const territoryOrThrow = (code: string) => {
    const t = byCode.get(code);
    if (!t) throw new Error(`territory ${code} is missing`);
    return t;
  };
  const busy = ['MY-FC', 'MY-GX', 'MY-JK', 'MY-YX', 'MY-JY', 'MY-AZ'];
  const usedCodes = new Set<string>();
  const drafts = VISITED_ENTERPRISES.map((p) => enterpriseDraft(rng, p, territoryOrThrow(p.territoryCode), EnterpriseScale.ABOVE_SCALE, usedCodes));
  const brands = rng.sample(BRAND_WORDS, ENTERPRISE_COUNT - drafts.length);
  brands.forEach((brand, i) => {
    const territory = i < territories.length ? territories[i] : territoryOrThrow(rng.chance(0.6) ? rng.pick(busy) : rng.pick(territories).seed.code);
    const scale = rng.chance(0.7) ? EnterpriseScale.ABOVE_SCALE : EnterpriseScale.BELOW_SCALE;
    drafts.push(enterpriseDraft(rng, generatedProfile(rng, brand, territory.seed.code), territory, scale, usedCodes));
  });
  return drafts;
}

// ---------------------------------------------------------------------------------------------
// Projects

export interface ProjectDraft extends Draft<Project> {
  enterprise: EnterpriseDraft;
  history: HistoryStep[];
  /** Land the project needs, for the land-request builder (亩, whole). */
  landAreaMu?: number;
}

/** What a project must be; anything left out is drawn at random. */
interface ProjectSpec {
  name?: string;
  nature?: ConstructionNature;
  technique?: Technique;
  totalWan?: number;
  library?: LibraryStatus;
  stage?: ConstructionStage;
  /** Actual start if the stage has one, else planned start. */
  start?: string;
  durationMonths?: number;
  keyLevel?: KeyLevel;
  landAreaMu?: number;
}

/** Projects of the visited enterprises, from domain.md §0 where it has facts. */
const VISITED_PROJECTS: Record<string, ProjectSpec[]> = {
  东材科技: [
    { name: '东材科技特种聚酯薄膜生产线技术改造项目', nature: ConstructionNature.RENOVATION, technique: 'SMART', totalWan: 32000, library: LibraryStatus.IN_LIBRARY, stage: ConstructionStage.UNDER_CONSTRUCTION, start: '2025-09', durationMonths: 24, keyLevel: KeyLevel.PROVINCE },
  ],
  利尔化学: [
    // Signed with 经开区 in April 2020: about 180 亩, about 1 billion yuan, an 18-month build.
    { name: '利尔化学年产2万吨L-草铵膦项目', nature: ConstructionNature.NEW, technique: 'CAPACITY', totalWan: 100000, library: LibraryStatus.IN_LIBRARY, stage: ConstructionStage.IN_PRODUCTION, start: '2020-08', durationMonths: 18, keyLevel: KeyLevel.PROVINCE, landAreaMu: 180 },
    { name: '利尔化学氯化生产线智能化改造项目', nature: ConstructionNature.RENOVATION, technique: 'SMART', totalWan: 12000, library: LibraryStatus.IN_LIBRARY, stage: ConstructionStage.UNDER_CONSTRUCTION, start: '2026-03', durationMonths: 15, keyLevel: KeyLevel.CITY },
  ],
  中国重汽绵阳: [
    // The 2020 memorandum expands the base, about 40,000 vehicles a year.
    { name: '中国重汽绵阳专用车基地扩能项目', nature: ConstructionNature.EXPANSION, technique: 'CAPACITY', totalWan: 60000, library: LibraryStatus.IN_LIBRARY, stage: ConstructionStage.UNDER_CONSTRUCTION, start: '2025-06', durationMonths: 24, keyLevel: KeyLevel.PROVINCE },
  ],
  长虹智能制造: [
    { name: '长虹智能制造产业园数字化车间建设项目', nature: ConstructionNature.RENOVATION, technique: 'DIGITAL', totalWan: 26000, library: LibraryStatus.IN_LIBRARY, stage: ConstructionStage.UNDER_CONSTRUCTION, start: '2025-04', durationMonths: 20, keyLevel: KeyLevel.CITY },
  ],
};

const LIBRARY_WEIGHTS: Record<LibraryStatus, number> = {
  IN_LIBRARY: 58, DRAFT: 9, SUBMITTED: 9, COUNTY_CHECKED: 9, RETURNED: 6, REJECTED: 4, WITHDRAWN: 5,
};

/** Construction stage given the library status: only library projects get far; withdrawn ones stopped. */
function stageWeights(library: LibraryStatus): Partial<Record<ConstructionStage, number>> {
  if (library === LibraryStatus.IN_LIBRARY) return { PLANNING: 7, PREPARATION: 14, UNDER_CONSTRUCTION: 42, COMPLETED: 12, IN_PRODUCTION: 15, SUSPENDED: 6, TERMINATED: 4 };
  if (library === LibraryStatus.WITHDRAWN) return { TERMINATED: 3, SUSPENDED: 1 };
  if (library === LibraryStatus.REJECTED) return { PLANNING: 1 };
  return { PLANNING: 3, PREPARATION: 2 };
}

/** When each stage's (actual or planned) start falls, so dates agree with the stage as of DEMO_TODAY. */
const START_WINDOWS: Record<ConstructionStage, [string, string]> = {
  PLANNING: ['2026-12', '2027-12'],
  PREPARATION: ['2026-12', '2027-06'],
  TERMINATED: ['2025-06', '2026-09'],
  // Under way or completed recently: started within the reporting months, so reports cover the whole build.
  UNDER_CONSTRUCTION: ['2025-01', '2026-10'],
  COMPLETED: ['2025-01', '2025-12'],
  SUSPENDED: ['2024-06', '2026-03'],
  IN_PRODUCTION: ['2021-01', '2024-03'],
};

const STARTED: ConstructionStage[] = [ConstructionStage.UNDER_CONSTRUCTION, ConstructionStage.COMPLETED, ConstructionStage.IN_PRODUCTION, ConstructionStage.SUSPENDED];
const FINISHED: ConstructionStage[] = [ConstructionStage.COMPLETED, ConstructionStage.IN_PRODUCTION];
/** Completion is reported by the month after it; the open month cannot hold one. */
const LAST_COMPLETION = addMonths(CURRENT_PERIOD, -1);

interface Schedule {
  plannedStart: string;
  plannedCompletion: string;
  actualStart: string | null;
  actualCompletion: string | null;
}

function schedule(rng: Prng, stage: ConstructionStage, start: string, duration: number): Schedule {
  const started = STARTED.includes(stage);
  const plannedStart = started ? addMonths(start, -rng.int(0, 3)) : start;
  let actualCompletion: string | null = null;
  if (FINISHED.includes(stage)) {
    const due = addMonths(start, duration + rng.int(-2, 3));
    const latest = stage === ConstructionStage.IN_PRODUCTION ? addMonths(LAST_COMPLETION, -1) : LAST_COMPLETION;
    actualCompletion = due < latest ? due : latest;
  }
  return { plannedStart, plannedCompletion: addMonths(plannedStart, duration), actualStart: started ? start : null, actualCompletion };
}

const NATURE_WEIGHTS: Record<ConstructionNature, number> = { RENOVATION: 55, EXPANSION: 20, NEW: 10, RELOCATION: 5, PURCHASE_ONLY: 10 };

function primaryTechnique(rng: Prng, nature: ConstructionNature): Technique {
  if (nature === ConstructionNature.EXPANSION || nature === ConstructionNature.NEW) return 'CAPACITY';
  if (nature === ConstructionNature.RELOCATION) return 'GREEN';
  if (nature === ConstructionNature.PURCHASE_ONLY) return 'EQUIPMENT_RENEWAL';
  return rng.pick(['SMART', 'DIGITAL', 'GREEN', 'SAFETY', 'EQUIPMENT_RENEWAL'] as const);
}

const NAME_BY_TECHNIQUE: Record<Technique, string> = {
  SMART: '{p}生产线智能化改造项目',
  DIGITAL: '{p}数字化车间建设项目',
  GREEN: '{p}生产线节能降碳改造项目',
  SAFETY: '{p}安全生产技术改造项目',
  EQUIPMENT_RENEWAL: '{p}关键设备更新项目',
  CAPACITY: '{p}扩能技改项目',
};
const NAME_BY_NATURE: Partial<Record<ConstructionNature, string>> = {
  NEW: '新建{p}生产线项目',
  RELOCATION: '{p}退城入园搬迁改造项目',
  PURCHASE_ONLY: '{p}检测设备购置项目',
};
const PHASES = ['', '（二期）', '（三期）', '（四期）'];

function projectName(enterprise: EnterpriseDraft, nature: ConstructionNature, technique: Technique, product: string, used: Set<string>): string {
  const base = enterprise.short + (NAME_BY_NATURE[nature] ?? NAME_BY_TECHNIQUE[technique]).replace('{p}', product);
  const name = PHASES.map((phase) => base.replace(/项目$/, `${phase}项目`)).find((n) => !used.has(n)) ?? `${base}-${used.size}`;
  used.add(name);
  return name;
}

/** Total investment in whole 万元: mostly small and medium projects, a few large ones. */
function randomTotal(rng: Prng): number {
  const size = rng.weighted({ small: 40, medium: 40, large: 17, huge: 3 });
  if (size === 'small') return rng.int(200, 800);
  if (size === 'medium') return rng.int(800, 5000);
  if (size === 'large') return rng.int(5000, 30000);
  return rng.int(30000, 120000);
}

/** Key projects are picked by 发改委 from the library, and mostly large ones. */
function randomKeyLevel(rng: Prng, library: LibraryStatus, totalWan: number): KeyLevel {
  if (library !== LibraryStatus.IN_LIBRARY) return KeyLevel.NONE;
  if (totalWan >= 30000) return rng.weighted<KeyLevel>({ PROVINCE: 5, CITY: 3, NONE: 2 });
  if (totalWan >= 10000) return rng.chance(0.4) ? KeyLevel.CITY : KeyLevel.NONE;
  return rng.chance(0.05) ? KeyLevel.CITY : KeyLevel.NONE;
}

function libraryHistory(rng: Prng, library: LibraryStatus, plannedStart: string): HistoryStep[] {
  const steps = stepsTo(PROJECT_LIBRARY, library);
  const gaps = steps.map((s) => (s.to === LibraryStatus.WITHDRAWN ? rng.int(60, 240) : rng.int(5, 25)));
  const declared = dayIn(rng, addMonths(plannedStart, -rng.int(3, 8)), rng.int(1, 27));
  return dated(PROJECT_LIBRARY, steps, timeline(gaps, declared, addDays(DEMO_TODAY, -1)));
}

/** Stage steps dated by the project's own dates: construction starts in its actual start month, and so on. */
function stageHistory(rng: Prng, stage: ConstructionStage, s: Schedule): HistoryStep[] {
  const steps = stepsTo(PROJECT_STAGE, stage);
  const preparing = dayIn(rng, addMonths(s.actualStart ?? s.plannedStart, -rng.int(1, 4)), rng.int(1, 27));
  const dateOf = (to: string): Date => {
    if (to === ConstructionStage.PREPARATION) return preparing;
    if (to === ConstructionStage.UNDER_CONSTRUCTION) return dayIn(rng, s.actualStart!, rng.int(1, 20));
    if (to === ConstructionStage.COMPLETED) return dayIn(rng, s.actualCompletion!, rng.int(10, 27));
    if (to === ConstructionStage.IN_PRODUCTION) return dayIn(rng, addMonths(s.actualCompletion!, rng.int(1, 2)), rng.int(1, 27));
    if (to === ConstructionStage.SUSPENDED) return dayIn(rng, randomMonth(rng, addMonths(s.actualStart!, 2), CURRENT_PERIOD), rng.int(1, 27));
    return addDays(preparing, rng.int(30, 200)); // TERMINATED
  };
  return dated(PROJECT_STAGE, steps, steps.map((step) => notAfterToday(dateOf(step.to))));
}

/**
 * 24-character national project code (GB/T 40058): year-region-industry division-"03" (filed)-six
 * digits. The real last digit is a check digit whose algorithm domain.md does not give, so all six
 * are random here: the format is right, the check digit is not meaningful.
 */
function projectCode(rng: Prng, plannedStart: string, regionCode: string, industryCode: string, used: Set<string>): string {
  let code: string;
  do code = `${yearOf(plannedStart)}-${regionCode}-${industryCode.slice(1, 3)}-03-${String(rng.int(0, 999999)).padStart(6, '0')}`;
  while (used.has(code));
  used.add(code);
  return code;
}

interface ProjectContext {
  rng: Prng;
  usedNames: Set<string>;
  usedCodes: Set<string>;
}

function buildProject(ctx: ProjectContext, enterprise: EnterpriseDraft, spec: ProjectSpec): ProjectDraft {
  const { rng } = ctx;
  const library = spec.library ?? rng.weighted(LIBRARY_WEIGHTS);
  const stage = spec.stage ?? rng.weighted(stageWeights(library));
  const s = schedule(rng, stage, spec.start ?? randomMonth(rng, ...START_WINDOWS[stage]), spec.durationMonths ?? (stage === ConstructionStage.COMPLETED ? rng.int(6, 18) : rng.int(8, 30)));
  const nature = spec.nature ?? rng.weighted(NATURE_WEIGHTS);
  const technique = spec.technique ?? primaryTechnique(rng, nature);
  const extraTechniques = rng.sample(TECHNIQUES.filter((t) => t !== technique), rng.int(0, 2));
  const totalWan = spec.totalWan ?? randomTotal(rng);
  const total = wan(totalWan);
  const product = rng.pick(enterprise.industry.products);
  const statsRegistered = STARTED.includes(stage) && totalWan >= 500 && rng.chance(0.85);
  const filed = library === LibraryStatus.IN_LIBRARY && stage !== ConstructionStage.PLANNING;
  const inLibrary = library === LibraryStatus.IN_LIBRARY || library === LibraryStatus.WITHDRAWN;
  const history = [...libraryHistory(rng, library, s.plannedStart), ...stageHistory(rng, stage, s)];
  const created = addDays(history.reduce((first, step) => (step.at < first ? step.at : first), DEMO_TODAY), -rng.int(1, 10));
  const updated = history.reduce((last, step) => (step.at > last ? step.at : last), created);
  return {
    enterprise,
    history,
    landAreaMu: spec.landAreaMu,
    row: {
      name: spec.name ?? projectName(enterprise, nature, technique, product, ctx.usedNames),
      projectCode: filed ? projectCode(rng, s.plannedStart, enterprise.territory.county.regionCode!, enterprise.industry.code, ctx.usedCodes) : null,
      enterpriseId: idOf(enterprise),
      // The project's territory is its enterprise's; a park territory is also the project's park.
      territoryId: enterprise.territory.id,
      parkId: enterprise.territory.seed.kind === OrgUnitKind.COUNTY ? null : enterprise.territory.id,
      site: enterprise.row.address,
      industryCode: enterprise.industry.code,
      constructionNature: nature,
      techniqueFlags: toFlags([technique, ...extraTechniques], TECHNIQUES),
      content: `对${product}生产线实施技术改造，新增（更新）设备约${rng.int(10, 200)}台（套）。`,
      totalInvestment: money(total),
      equipmentInvestment: money(percentOf(total, rng.int(30, 75))),
      ...s,
      keyLevel: spec.keyLevel ?? randomKeyLevel(rng, library, totalWan),
      // 2026 opens the 15th Five-Year Plan: later projects go to its reserve.
      reserveBatch: inLibrary ? (s.plannedStart <= '2025-12' ? '十四五' : '十五五') : null,
      libraryStatus: library,
      stage,
      statsRegisteredAt: statsRegistered ? notAfterToday(dayIn(rng, addMonths(s.actualStart!, 1), rng.int(5, 25))) : null,
      createdAt: created,
      updatedAt: updated,
    },
  };
}

/** How many projects each enterprise gets: its fixed ones, at least one, the rest by size. */
function projectCounts(rng: Prng, enterprises: EnterpriseDraft[]): number[] {
  const counts = enterprises.map((e) => Math.max(1, VISITED_PROJECTS[e.short]?.length ?? 0));
  const weights = enterprises.map((e) => (e.row.scale === EnterpriseScale.ABOVE_SCALE ? 3 : 1));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  for (let total = counts.reduce((a, b) => a + b, 0); total < PROJECT_COUNT; total++) {
    let roll = rng.next() * weightSum;
    const i = weights.findIndex((w) => (roll -= w) < 0);
    counts[i === -1 ? counts.length - 1 : i]++;
  }
  return counts;
}

export function buildProjects(rng: Prng, enterprises: EnterpriseDraft[]): ProjectDraft[] {
  const ctx: ProjectContext = { rng, usedNames: new Set(), usedCodes: new Set() };
  const counts = projectCounts(rng, enterprises);
  return enterprises.flatMap((enterprise, i) => {
    const fixed = VISITED_PROJECTS[enterprise.short] ?? [];
    const specs = [...fixed, ...Array.from({ length: counts[i] - fixed.length }, () => ({}))];
    return specs.map((spec) => buildProject(ctx, enterprise, spec));
  });
}

/** The project's total spread over the calendar years of its planned schedule, by months in each year. */
export function buildAnnualPlans(projects: ProjectDraft[]): NewRow<ProjectAnnualPlan>[] {
  return projects.flatMap((project) => {
    const { plannedStart, plannedCompletion, totalInvestment, territoryId, enterpriseId } = project.row;
    const months = monthsBetween(plannedStart, plannedCompletion);
    const years = [...new Set(months.map(yearOf))];
    const total = toUnits(totalInvestment);
    let remaining = total;
    return years.map((year, i) => {
      const share = months.filter((m) => yearOf(m) === year).length;
      const amount = i === years.length - 1 ? remaining : ((total * BigInt(share)) / BigInt(months.length) / 100n) * 100n;
      remaining -= amount;
      return { projectId: idOf(project), year, plannedInvestment: money(amount), territoryId, enterpriseId };
    });
  });
}
