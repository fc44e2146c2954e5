/**
 * Demo land requests (用地需求) for projects that need new land: new builds, expansions and
 * relocations in or near the library. A request's status agrees with its project: land is
 * delivered before construction starts, so projects already building have delivered (or closed)
 * requests and projects still preparing have requests anywhere up to the contract.
 * The deal price exists only from the transaction on.
 */
import { multiplyDecimals } from '../core/db/decimal';
import { FarmlandType, LandRequest, LandRequestStatus as L, PlanConformity, SupplyMethod } from '../modules/land/land-request.entity';
import { OrgUnitKind } from '../modules/org/org-unit.entity';
import { ConstructionNature, ConstructionStage, LibraryStatus } from '../modules/project/project.entity';
import { addDays, addMonths, dayIn, DEMO_TODAY, isoDay, timeline } from './demo-calendar';
import { money, ProjectDraft, wan } from './demo-data';
import { dated, HistoryStep, LAND_REQUEST, stepsTo } from './demo-workflows';
import { Prng } from './prng';
import { Draft, idOf } from './rows';

export interface LandDraft extends Draft<LandRequest> {
  history: HistoryStep[];
}

const NEEDS_LAND: ConstructionNature[] = [ConstructionNature.NEW, ConstructionNature.EXPANSION, ConstructionNature.RELOCATION];
const BEFORE_START: ConstructionStage[] = [ConstructionStage.PLANNING, ConstructionStage.PREPARATION];
const BUILDING: ConstructionStage[] = [ConstructionStage.UNDER_CONSTRUCTION, ConstructionStage.COMPLETED, ConstructionStage.IN_PRODUCTION];

/** Industrial land goes through the market (招拍挂) or the flexible forms; never by agreement. */
const SUPPLY_WEIGHTS: Partial<Record<SupplyMethod, number>> = { LISTING: 6, AUCTION: 1, TENDER: 1, LEASE_THEN_TRANSFER: 2, FLEXIBLE_TERM: 1, LONG_LEASE: 1 };

function landHistory(rng: Prng, project: ProjectDraft, status: L): HistoryStep[] {
  const steps = stepsTo(LAND_REQUEST, status);
  const gaps = steps.map(() => rng.int(10, 40));
  const { actualStart, plannedStart } = project.row;
  if (actualStart) {
    // Land is handed over shortly before works begin: the history ends then.
    const handover = addDays(dayIn(rng, actualStart, 1), -rng.int(5, 30));
    return dated(LAND_REQUEST, steps, timeline(gaps, handover, handover));
  }
  const drafted = dayIn(rng, addMonths(plannedStart, -rng.int(8, 14)), rng.int(1, 27));
  return dated(LAND_REQUEST, steps, timeline(gaps, drafted, addDays(DEMO_TODAY, -1)));
}

function landRequest(rng: Prng, project: ProjectDraft, serial: number, status: L): LandDraft {
  const history = landHistory(rng, project, status);
  const at = (to: L) => history.find((step) => step.to === to)?.at ?? null;
  const reached = (to: L) => at(to) !== null;
  const territory = project.enterprise.territory;
  const area = project.landAreaMu !== undefined ? wan(project.landAreaMu) : BigInt(rng.int(1000, 25000)) * 100n;
  const listed = at(L.LISTED);
  // Permanent basic farmland cannot be supplied: such requests are the rejected ones.
  const farmland = status === L.REJECTED ? FarmlandType.PERMANENT_BASIC : rng.chance(0.6) ? FarmlandType.NONE : FarmlandType.CULTIVATED;
  // Sichuan's "standard land" indicators apply in provincial and national parks.
  const standardLand = territory.seed.kind !== OrgUnitKind.COUNTY || rng.chance(0.5);
  const created = history.length ? addDays(history[0].at, -rng.int(1, 10)) : addDays(DEMO_TODAY, -rng.int(5, 60));
  return {
    history,
    row: {
      projectId: idOf(project),
      enterpriseId: project.row.enterpriseId,
      territoryId: project.row.territoryId,
      areaMu: money(area),
      landUse: rng.pick(['工业用地（一类）', '工业用地（二类）', '仓储用地']),
      location: `${territory.seed.name}${rng.pick(['东片区', '西片区', '南片区', '北片区', '新区'])}`,
      plotNo: listed ? `${territory.seed.code}-${listed.getUTCFullYear()}-G${String(serial).padStart(2, '0')}` : null,
      planConformity: farmland === FarmlandType.PERMANENT_BASIC ? PlanConformity.NEEDS_ADJUSTMENT : PlanConformity.CONFORMS,
      farmlandType: farmland,
      supplyMethod: rng.weighted(SUPPLY_WEIGHTS),
      investmentIntensity: standardLand ? money(wan(rng.int(150, 400))) : null,
      taxPerMu: standardLand ? money(wan(rng.int(8, 30))) : null,
      plotRatio: standardLand ? money(BigInt(rng.int(100, 200)) * 100n) : null,
      expectedDate: addMonths(project.row.actualStart ?? project.row.plannedStart, -1),
      // 万元 per 亩 × 亩: Sichuan industrial land trades at roughly 12–35 万元 per 亩.
      dealPrice: reached(L.TRANSACTED) ? multiplyDecimals(money(area), String(rng.int(12, 35))) : null,
      contractNo: reached(L.CONTRACTED) ? `${territory.county.regionCode}${at(L.CONTRACTED)!.getUTCFullYear()}B${String(rng.int(0, 99999)).padStart(5, '0')}` : null,
      deliveredOn: reached(L.DELIVERED) ? isoDay(at(L.DELIVERED)!) : null,
      status,
      createdAt: created,
      updatedAt: history.length ? history[history.length - 1].at : created,
    },
  };
}

/** Requests of projects not yet started: every status up to the contract, some twice. */
const EARLY_STATUSES: L[] = [
  L.DRAFT, L.SUBMITTED, L.SUBMITTED, L.NR_REVIEW, L.NR_REVIEW, L.IN_SUPPLY_PLAN, L.IN_SUPPLY_PLAN, L.LISTED, L.LISTED,
  L.FAILED, L.TRANSACTED, L.CONTRACTED, L.CONTRACTED, L.REJECTED, L.WITHDRAWN,
];
/** Requests of projects already building, delivered or closed. */
const BUILDING_REQUESTS = 14;

/**
 * Projects with a known land need (利尔's 180 亩, closed), then a sample of the projects that need
 * land: some not yet started, spread over the early statuses, and some already building.
 */
export function buildLandRequests(rng: Prng, projects: ProjectDraft[]): LandDraft[] {
  const known = projects.filter((p) => p.landAreaMu !== undefined);
  const needsLand = projects.filter(
    (p) =>
      p.landAreaMu === undefined &&
      NEEDS_LAND.includes(p.row.constructionNature) &&
      (p.row.libraryStatus === LibraryStatus.IN_LIBRARY || p.row.libraryStatus === LibraryStatus.COUNTY_CHECKED),
  );
  const early = rng.sample(needsLand.filter((p) => BEFORE_START.includes(p.row.stage)), EARLY_STATUSES.length);
  const building = rng.sample(needsLand.filter((p) => BUILDING.includes(p.row.stage)), BUILDING_REQUESTS);
  const statuses = rng.sample(EARLY_STATUSES, EARLY_STATUSES.length);
  const planned: [ProjectDraft, L][] = [
    ...known.map((p): [ProjectDraft, L] => [p, L.CLOSED]),
    ...early.map((p, i): [ProjectDraft, L] => [p, statuses[i]]),
    ...building.map((p): [ProjectDraft, L] => [p, rng.chance(0.6) ? L.CLOSED : L.DELIVERED]),
  ];
  return planned.map(([project, status], i) => landRequest(rng, project, i + 1, status));
}
