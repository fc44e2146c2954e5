/**
 * Demo fund programmes and applications. Two city programmes owned by 经信局: last year's, closed
 * and mostly paid out, and this year's, whose window is open. Applications follow the guards of
 * DESIGN.md §2: only for projects in the library, one per enterprise per programme, a project
 * funded once at most, and the requested amount within min(cap, ratio × basis).
 */
import { compareDecimals, multiplyDecimals, toUnits } from '../core/db/decimal';
import { toFlags } from '../core/db/columns';
import { FundApplication, FundApplicationStatus as S } from '../modules/fund/fund-application.entity';
import { FundDisbursement } from '../modules/fund/fund-disbursement.entity';
import { FundBasis, FundProgram, FundSource, SUPPORT_FORMS, SupportForm } from '../modules/fund/fund-program.entity';
import { ConstructionStage, LibraryStatus } from '../modules/project/project.entity';
import { addDays, dayBetween, DEMO_TODAY, endOfDay, isoDay, timeline } from './demo-calendar';
import { EnterpriseDraft, money, percentOf, ProjectDraft, VISITED_ENTERPRISES } from './demo-data';
import { Actors, dated, FUND_APPLICATION, HistoryStep, stepsTo } from './demo-workflows';
import { Prng } from './prng';
import { Draft, idOf, NewRow } from './rows';

/** A programme with the plan for the demo applications against it. */
export interface ProgrammeDraft extends Draft<FundProgram> {
  /** One application per listed status, in order (as many as there are eligible enterprises). */
  statuses: S[];
  eligible(project: ProjectDraft): boolean;
  /** Days between consecutive workflow steps of its applications. */
  gapDays: [number, number];
}

interface Tranche {
  amount: bigint;
  paidOn: Date;
}

export interface ApplicationDraft extends Draft<FundApplication> {
  history: HistoryStep[];
  tranches: Tranche[];
}

/**
 * Statuses taken in turns, one of each while counts last: when there are fewer applicants than
 * statuses, the ones left out are extra copies, never a whole status.
 */
function inTurns(counts: [S, number][]): S[] {
  const statuses: S[] = [];
  for (let round = 0; statuses.length < counts.reduce((sum, [, n]) => sum + n, 0); round++) {
    for (const [status, n] of counts) if (round < n) statuses.push(status);
  }
  return statuses;
}

/**
 * Last year's programme follows the 2025 Mianyang rules (domain.md §3: up to 10% of the approved
 * investment of projects in the fixed-asset statistics, at most 2000 万元); this year's supports
 * equipment renewal (8% of equipment, at most 500 万元, as in other cities' schemes). The open
 * window closes at the end of 2026 or, when the demo is loaded within a month of that or later,
 * 60 days after `now`, so a demo user can always apply.
 */
export function buildFundPrograms(ownerUnitId: number, now: Date): ProgrammeDraft[] {
  const program = (row: Omit<NewRow<FundProgram>, 'ownerUnitId' | 'source' | 'supportFormFlags'>, forms: SupportForm[]) => ({
    ...row, supportFormFlags: toFlags(forms, SUPPORT_FORMS), ownerUnitId, source: FundSource.CITY,
  });
  const closed2025 = new Date('2025-05-31T23:59:59+08:00');
  const yearEnd = new Date('2026-12-31T23:59:59+08:00');
  return [
    {
      row: program({
        year: 2025,
        name: '2025年度绵阳市先进制造业发展资金（技术改造）',
        basis: FundBasis.APPROVED_INVESTMENT,
        maxRatio: '0.1',
        cap: '2000',
        windowOpensAt: new Date('2025-04-01T00:00:00+08:00'),
        windowClosesAt: closed2025,
        description: '支持纳入固定资产投资统计的技术改造项目，按核定投资额的10%给予补助，单个项目最高2000万元。',
      }, ['SUBSIDY']),
      statuses: inTurns([[S.CLOSED, 5], [S.ACCEPTED, 4], [S.DISBURSED, 4], [S.DISBURSING, 3], [S.APPROVED, 2], [S.REJECTED, 3], [S.CLAWBACK, 1]]),
      // In the fixed-asset statistics by the time applications closed.
      eligible: (p) => p.row.statsRegisteredAt !== null && p.row.statsRegisteredAt < closed2025,
      gapDays: [7, 25],
    },
    {
      row: program({
        year: 2026,
        name: '2026年度绵阳市先进制造业发展资金（设备更新）',
        basis: FundBasis.EQUIPMENT,
        maxRatio: '0.08',
        cap: '500',
        windowOpensAt: new Date('2026-10-15T00:00:00+08:00'),
        windowClosesAt: yearEnd > addDays(now, 30) ? yearEnd : endOfDay(addDays(now, 60)),
        description: '支持工业企业设备更新和技术改造，按设备购置投资（含软件）的8%给予补助，单个项目最高500万元。',
      }, ['SUBSIDY', 'AWARD']),
      statuses: inTurns([[S.DRAFT, 4], [S.SUBMITTED, 4], [S.COUNTY_REVIEW, 3], [S.COUNTY_RECOMMENDED, 3], [S.CITY_REVIEW, 2], [S.EXPERT_REVIEW, 1], [S.RETURNED, 2]]),
      eligible: (p) => [ConstructionStage.PREPARATION, ConstructionStage.UNDER_CONSTRUCTION, ConstructionStage.COMPLETED].includes(p.row.stage),
      gapDays: [2, 6],
    },
  ];
}

/** min(cap, ratio × basis), in units. */
function maxSupport(programme: NewRow<FundProgram>, basis: string): bigint {
  const byRatio = multiplyDecimals(programme.maxRatio, basis);
  return toUnits(compareDecimals(byRatio, programme.cap) < 0 ? byRatio : programme.cap);
}

function applicationHistory(rng: Prng, programme: ProgrammeDraft, status: S): HistoryStep[] {
  const steps = stepsTo(FUND_APPLICATION, status);
  const [minGap, maxGap] = programme.gapDays;
  // Notice lasts 7 days before approval; acceptance comes months after payment.
  const gaps = steps.map((s) => (s.to === S.APPROVED ? rng.int(8, 12) : s.to === S.ACCEPTED ? rng.int(60, 120) : rng.int(minGap, maxGap)));
  const { windowOpensAt, windowClosesAt } = programme.row;
  // Drafted early enough to be submitted inside the window.
  const drafted = dayBetween(rng, windowOpensAt, addDays(windowClosesAt < DEMO_TODAY ? windowClosesAt : DEMO_TODAY, -5));
  return dated(FUND_APPLICATION, steps, timeline(gaps, drafted, addDays(DEMO_TODAY, -1)));
}

function application(rng: Prng, programme: ProgrammeDraft, project: ProjectDraft, status: S): ApplicationDraft {
  const p = programme.row;
  const basis = p.basis === FundBasis.EQUIPMENT ? project.row.equipmentInvestment : project.row.totalInvestment;
  const requested = percentOf(maxSupport(p, basis), rng.int(60, 100));
  const history = applicationHistory(rng, programme, status);
  const at = (to: S) => history.find((step) => step.to === to)?.at ?? null;
  const reached = (to: S) => at(to) !== null;
  const proposed = reached(S.ALLOCATION_PROPOSED) ? percentOf(requested, rng.int(80, 100)) : null;
  const tranches: Tranche[] = [];
  if (proposed !== null && reached(S.DISBURSING)) tranches.push({ amount: percentOf(proposed, 60), paidOn: at(S.DISBURSING)! });
  if (proposed !== null && reached(S.DISBURSED)) tranches.push({ amount: proposed - tranches[0].amount, paidOn: at(S.DISBURSED)! });
  const noticeStart = at(S.PUBLIC_NOTICE);
  const created = history.length ? addDays(history[0].at, -rng.int(1, 4)) : dayBetween(rng, p.windowOpensAt, addDays(DEMO_TODAY, -1));
  return {
    history,
    tranches,
    row: {
      programId: idOf(programme),
      projectId: idOf(project),
      enterpriseId: project.row.enterpriseId,
      territoryId: project.row.territoryId,
      supportForm: 'SUBSIDY',
      requestedAmount: money(requested),
      basisAmount: basis,
      countyOpinion: reached(S.COUNTY_RECOMMENDED) ? `经${project.enterprise.territory.seed.name}经信、财政部门联合初审，同意推荐。` : null,
      cityOpinion: reached(S.EXPERT_REVIEW) ? '市经信局会同市财政局复审通过，提交专家评审。' : reached(S.REJECTED) ? FUND_APPLICATION.exits.REJECTED.comment! : null,
      expertScore: proposed !== null ? money(BigInt(rng.int(6500, 9500)) * 100n) : null,
      expertOpinion: proposed !== null ? '项目技术先进，投资真实，建议予以支持。' : null,
      proposedAmount: proposed !== null ? money(proposed) : null,
      approvedAmount: proposed !== null && reached(S.APPROVED) ? money(proposed) : null,
      disbursedAmount: money(tranches.reduce((sum, t) => sum + t.amount, 0n)),
      noticeStartsAt: noticeStart,
      noticeEndsAt: noticeStart && addDays(noticeStart, 7),
      acceptanceResult: reached(S.CLAWBACK)
        ? '验收后专项检查发现资金未专账核算，收回补助资金，三年内不得申报。'
        : reached(S.ACCEPTED) ? '项目已建成，资金专款专用，验收合格。' : null,
      status,
      submittedAt: at(S.SUBMITTED),
      createdAt: created,
      updatedAt: history.length ? history[history.length - 1].at : created,
    },
  };
}

/** The enterprises that can apply with their eligible projects: the visited ones first, the others shuffled. */
function candidates(rng: Prng, programme: ProgrammeDraft, projects: ProjectDraft[], funded: Set<ProjectDraft>): [EnterpriseDraft, ProjectDraft[]][] {
  const byEnterprise = new Map<EnterpriseDraft, ProjectDraft[]>();
  for (const project of projects) {
    if (project.row.libraryStatus !== LibraryStatus.IN_LIBRARY || funded.has(project) || !programme.eligible(project)) continue;
    byEnterprise.set(project.enterprise, [...(byEnterprise.get(project.enterprise) ?? []), project]);
  }
  const entries = [...byEnterprise.entries()];
  const visited = (e: EnterpriseDraft) => VISITED_ENTERPRISES.some((v) => v.name === e.row.name);
  const others = entries.filter(([e]) => !visited(e));
  return [...entries.filter(([e]) => visited(e)), ...rng.sample(others, others.length)];
}

export function buildFundApplications(rng: Prng, programmes: ProgrammeDraft[], projects: ProjectDraft[]): ApplicationDraft[] {
  const funded = new Set<ProjectDraft>();
  return programmes.flatMap((programme) => {
    const applicants = candidates(rng, programme, projects, funded);
    return applicants.slice(0, programme.statuses.length).map(([, eligible], i) => {
      const project = rng.pick(eligible);
      funded.add(project);
      return application(rng, programme, project, programme.statuses[i]);
    });
  });
}

/** Payment tranches recorded by 财政局, once the applications have ids. */
export function disbursementRows(applications: ApplicationDraft[], actors: Actors): NewRow<FundDisbursement>[] {
  const recordedById = actors.byUsername.get('czj')!;
  return applications.flatMap((a) =>
    a.tranches.map((t) => ({
      applicationId: idOf(a),
      territoryId: a.row.territoryId,
      enterpriseId: a.row.enterpriseId,
      amount: money(t.amount),
      paidOn: isoDay(t.paidOn),
      recordedById,
      createdAt: t.paidOn,
    })),
  );
}
