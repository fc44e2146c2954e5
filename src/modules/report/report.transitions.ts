/**
 * The monthly report workflow (月报): OPEN → SUBMITTED → CONFIRMED → LOCKED, with SUBMITTED|CONFIRMED →
 * RETURNED → SUBMITTED. Every step except the period lock itself refuses while the report's month is
 * locked; `lock` and `unlock` are run in bulk by lockReportPeriod / unlockReportPeriod, one month at a time.
 */
import { EntityManager } from 'typeorm';
import type { Context } from '../../app/context';
import { AppError } from '../../core/errors';
import { defineWorkflow } from '../../core/workflow/workflow';
import { MonthlyReport, ReportStatus as S } from './monthly-report.entity';
import { ReportPeriod } from './report-period.entity';

/** MySQL/MariaDB take row locks; SQLite runs one write transaction at a time, so it needs none (and TypeORM refuses them). */
export const takesRowLocks = (m: EntityManager) => ['mysql', 'mariadb'].includes(m.connection.driver.options.type);

/**
 * Whether `period` is locked, read inside the caller's transaction. On MySQL the read is a shared
 * lock on the period row (or the gap where it would go), so a concurrent lockReportPeriod waits for
 * this transaction instead of locking the month under a write it has already checked.
 */
export async function isPeriodLocked(m: EntityManager, period: string): Promise<boolean> {
  if (takesRowLocks(m)) {
    // Raw because TypeORM's 'pessimistic_read' writes FOR SHARE for any server reporting version ≥ 8,
    // which MariaDB (10.x, 11.x) rejects; LOCK IN SHARE MODE works on MySQL 8 and MariaDB alike.
    const rows: { lockedAt: unknown }[] = await m.query('SELECT lockedAt FROM report_periods WHERE period = ? LOCK IN SHARE MODE', [period]);
    return rows.some((r) => r.lockedAt !== null);
  }
  const row = await m.findOne(ReportPeriod, { where: { period } });
  return Boolean(row?.lockedAt);
}

export const periodLockedError = (period: string, detail = '') =>
  new AppError('FORBIDDEN', `period ${period} is locked${detail}; only an admin can reopen it`, { period });

export async function periodNotLockedOrThrow(m: EntityManager, period: string): Promise<void> {
  if (await isPeriodLocked(m, period)) throw periodLockedError(period);
}

const notLocked = (r: MonthlyReport, _input: unknown, m: EntityManager) => periodNotLockedOrThrow(m, r.period);

export const reportWorkflow = defineWorkflow<MonthlyReport, S>({
  entity: MonthlyReport,
  axis: 'status',
  transitions: [
    {
      action: 'submit',
      from: [S.OPEN, S.RETURNED],
      to: S.SUBMITTED,
      guard: notLocked,
      changes: (_r, _input, ctx: Context) => ({ submittedAt: new Date(), submittedById: ctx.viewer!.user.id }),
    },
    {
      action: 'confirm',
      from: [S.SUBMITTED],
      to: S.CONFIRMED,
      guard: notLocked,
      changes: (_r, _input, ctx: Context) => ({ confirmedById: ctx.viewer!.user.id }),
    },
    {
      // Also from CONFIRMED: a wrong figure found after confirmation (e.g. by 经信局) goes back to the
      // enterprise before the month is locked, instead of being locked in.
      action: 'return',
      from: [S.SUBMITTED, S.CONFIRMED],
      to: S.RETURNED,
      requiresComment: true,
      guard: notLocked,
      changes: () => ({ confirmedById: null }),
    },
    // Run only in bulk, for a whole month (lockReportPeriod / unlockReportPeriod).
    { action: 'lock', from: [S.CONFIRMED], to: S.LOCKED },
    { action: 'unlock', from: [S.LOCKED], to: S.CONFIRMED },
  ],
});

/** States in which the report's figures may still be saved. */
export const SAVABLE: readonly S[] = [S.OPEN, S.RETURNED];

/** Project stages in which a project reports monthly investment. */
export const REPORTING_STAGES = ['PREPARATION', 'UNDER_CONSTRUCTION', 'COMPLETED'] as const;
