/**
 * Demo monthly reports (月度调度) for projects under construction or completed during the demo
 * months, and the report periods the city has locked. Each report's cumulative investment is the
 * running sum of its project's monthly amounts; statuses follow the reporting calendar: locked
 * months, a month being confirmed, and the open current month.
 */
import { toUnits } from '../core/db/decimal';
import { ConstructionStage } from '../modules/project/project.entity';
import { MonthlyReport, ReportStatus } from '../modules/report/monthly-report.entity';
import { ReportPeriod } from '../modules/report/report-period.entity';
import {
  addDays, addMonths, CURRENT_PERIOD, dayIn, FIRST_REPORT_PERIOD, fixedDay, LAST_LOCKED_PERIOD, monthsBetween, notAfterToday,
} from './demo-calendar';
import { money, percentOf, ProjectDraft } from './demo-data';
import { Actors, dated, HistoryStep, MONTHLY_REPORT, stepsTo } from './demo-workflows';
import { Prng } from './prng';
import { Draft, idOf, NewRow } from './rows';

export interface ReportDraft extends Draft<MonthlyReport> {
  history: HistoryStep[];
}

const PROGRESS_TEXT: [number, string][] = [
  [25, '厂房基础施工及设备采购招标进行中'],
  [50, '主体工程建设中，部分设备已到货'],
  [75, '主体工程基本完工，设备安装进行中'],
  [99, '设备安装调试中，准备试生产'],
  [100, '项目竣工，设备调试完成'],
];
const ISSUES = ['施工用电报装进度较慢，需协调供电部门', '部分进口设备到货延迟', '项目贷款审批尚未完成', '环评批复待取得', '施工用地尚有零星拆迁未完成'];

/** The city locks a month on the 20th of the next one, after reports (due by the 3rd–5th) are confirmed. */
const lockDay = (period: string) => fixedDay(addMonths(period, 1), 20);

/** Locked months: every month with reports up to LAST_LOCKED_PERIOD, locked on the 20th of the next month. */
export function buildLockedPeriods(actors: Actors): NewRow<ReportPeriod>[] {
  return monthsBetween(FIRST_REPORT_PERIOD, LAST_LOCKED_PERIOD).map((period) => ({
    period,
    lockedAt: lockDay(period),
    lockedById: actors.byUsername.get('jxj')!,
  }));
}

function statusFor(rng: Prng, period: string): ReportStatus {
  if (period <= LAST_LOCKED_PERIOD) return ReportStatus.LOCKED;
  if (period === CURRENT_PERIOD) return ReportStatus.OPEN;
  return rng.weighted<ReportStatus>({ CONFIRMED: 6, SUBMITTED: 3, RETURNED: 1 });
}

function reportHistory(rng: Prng, status: ReportStatus, period: string): HistoryStep[] {
  const steps = stepsTo(MONTHLY_REPORT, status);
  const submitted = dayIn(rng, addMonths(period, 1), rng.int(1, 4));
  const dateOf = (to: string): Date =>
    to === ReportStatus.SUBMITTED ? submitted : to === ReportStatus.LOCKED ? lockDay(period) : addDays(submitted, rng.int(1, 4));
  return dated(MONTHLY_REPORT, steps, steps.map((step) => notAfterToday(dateOf(step.to))));
}

/**
 * How much of the total a project has invested by the last reported month: all of it when
 * completed, otherwise roughly in step with the time elapsed of its planned schedule.
 */
function investedPercent(rng: Prng, project: ProjectDraft, monthCount: number): number {
  if (project.row.stage === ConstructionStage.COMPLETED) return 100;
  const planned = monthsBetween(project.row.plannedStart, project.row.plannedCompletion).length;
  return Math.min(95, Math.max(5, Math.round((monthCount * rng.int(70, 110)) / planned)));
}

function projectReports(rng: Prng, project: ProjectDraft, actors: Actors): ReportDraft[] {
  const { actualStart, actualCompletion, totalInvestment, territoryId, enterpriseId } = project.row;
  const periods = monthsBetween(actualStart!, actualCompletion ?? CURRENT_PERIOD);
  const total = toUnits(totalInvestment);
  const target = percentOf(total, investedPercent(rng, project, periods.length));
  const weights = periods.map(() => BigInt(rng.int(5, 15)));
  const weightSum = weights.reduce((a, b) => a + b, 0n);
  let cumulative = 0n;
  return periods.map((period, i) => {
    const amount = i === periods.length - 1 ? target - cumulative : ((target * weights[i]) / weightSum / 100n) * 100n;
    cumulative += amount;
    const progress = (cumulative * 10000n) / total; // hundredths of a percent
    const status = statusFor(rng, period);
    const history = reportHistory(rng, status, period);
    const at = (to: string) => history.find((step) => step.to === to)?.at ?? null;
    const actorOf = (to: string) => {
      const step = history.find((s) => s.to === to);
      return step ? actors.idFor(step.by, territoryId, enterpriseId) : null;
    };
    const percent = Number(progress) / 100;
    const opened = dayIn(rng, period, 1);
    return {
      history,
      row: {
        projectId: idOf(project),
        enterpriseId,
        territoryId,
        period,
        monthInvestment: money(amount),
        cumulativeInvestment: money(cumulative),
        progressPercent: money(progress * 100n),
        progressText: PROGRESS_TEXT.find(([upTo]) => percent <= upTo)![1],
        issues: rng.chance(0.15) ? rng.pick(ISSUES) : null,
        status,
        submittedAt: at(ReportStatus.SUBMITTED),
        submittedById: actorOf(ReportStatus.SUBMITTED),
        confirmedById: actorOf(ReportStatus.CONFIRMED),
        createdAt: opened,
        updatedAt: history.length ? history[history.length - 1].at : opened,
      },
    };
  });
}

/**
 * Reports for every project that built during the demo months. Suspended projects have none: their
 * reporting stopped with the works, which the demo does not try to show.
 */
export function buildMonthlyReports(rng: Prng, projects: ProjectDraft[], actors: Actors): ReportDraft[] {
  return projects
    .filter((p) => p.row.stage === ConstructionStage.UNDER_CONSTRUCTION || p.row.stage === ConstructionStage.COMPLETED)
    .flatMap((p) => projectReports(rng, p, actors));
}
