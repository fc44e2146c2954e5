/**
 * Monthly reports (月报): scoped lists and lookups, saving a month's figures, the report workflow,
 * and locking / reopening a whole month.
 *
 * Cumulative investment is derived: a report's cumulative is the cumulative of the project's latest
 * earlier report plus its own month's investment, in exact decimals. Saving a month that has later
 * reports (a RETURNED May under an already submitted June, or a missing month filled in) recomputes
 * the later reports' cumulative in the same transaction, each with a version bump and an audit
 * event, so the running sum is never inconsistent; it is refused (FORBIDDEN, naming the month) when
 * a later report whose cumulative would change is in a locked month, because locked figures do not
 * change.
 *
 * A locked month (a ReportPeriod row with lockedAt) freezes all its reports, whatever their state:
 * nothing is saved, submitted, returned or confirmed until an admin reopens it. Locking moves the
 * month's CONFIRMED reports to LOCKED; reports not yet confirmed keep their state but are frozen
 * too (the city locks on its calendar; it does not wait for late enterprises). Reopening moves
 * LOCKED reports back to CONFIRMED.
 */
import { EntityManager, In } from 'typeorm';
import type { Context } from '../../app/context';
import { addDecimals, compareDecimals, normalizeDecimal } from '../../core/db/decimal';
import { whereProjectRecord, whereRange } from '../../core/db/filters';
import { readRows } from '../../core/db/read-rows';
import { scopedQuery } from '../../core/db/scoped';
import { assertCanOnRow, assertVersion, writeVersionedOrThrow } from '../../core/db/scoped-write';
import { AppError, badInput, conflict, forbidden, invalidTransition, notFound } from '../../core/errors';
import { childConnection, loadChildConnection } from '../../core/graphql/child-connection';
import { ConnectionShape, PageArgs, paginate, SortKey } from '../../core/graphql/connection';
import { idOfTypeOrThrow } from '../../core/graphql/global-id';
import { loadById, loaderFor } from '../../core/graphql/loaders';
import { nodeLoaders } from '../../core/graphql/node';
import { OrderDirection } from '../../core/graphql/ordering';
import type { ColumnSelection } from '../../core/graphql/selection';
import { amountOrThrow, currentMonth, MAX_AMOUNT, optionalTextOrThrow } from '../../core/validation';
import { historyRow, insertHistory, runTransition, transitionOf, transitionsFrom } from '../../core/workflow/workflow';
import { recordAudit } from '../audit/audit.service';
import { Project } from '../project/project.entity';
import { MonthlyReport, ReportStatus } from './monthly-report.entity';
import { ReportPeriod } from './report-period.entity';
import { MonthlyReportFilter, MonthlyReportOrderField, MonthlyReportsArgs, ReportPeriodInput, ReportPeriodsArgs, SaveMonthlyReportInput } from './report.inputs';
import { periodLockedError, periodNotLockedOrThrow, REPORTING_STAGES, reportWorkflow, SAVABLE, takesRowLocks } from './report.transitions';
import { inTransaction, managerOf } from '../../core/db/transaction';

export const reportQuery = (ctx: Context) => scopedQuery(ctx, MonthlyReport, 'r');

export function applyReportFilter(qb: ReturnType<typeof reportQuery>, f: MonthlyReportFilter | null | undefined): void {
  if (!f) return;
  whereProjectRecord(qb, 'r', f);
  whereRange(qb, 'r.period', f.period);
  if (f.statuses?.length) qb.andWhere('r.status IN (:...fReportStatuses)', { fReportStatuses: f.statuses });
}

const SORTS: Record<MonthlyReportOrderField, Omit<SortKey<MonthlyReport>, 'direction'>> = {
  PERIOD: { column: 'r.period', valueOf: (r) => r.period },
  ID: { column: 'r.id', valueOf: (r) => r.id },
};

export function reportSort(orderBy: MonthlyReportsArgs['orderBy']): SortKey<MonthlyReport> {
  const order = orderBy ?? { field: MonthlyReportOrderField.PERIOD, direction: OrderDirection.DESC };
  return { ...SORTS[order.field], direction: order.direction };
}

export function listReports(ctx: Context, args: MonthlyReportsArgs, columns?: ColumnSelection): Promise<ConnectionShape<MonthlyReport>> {
  const qb = reportQuery(ctx);
  applyReportFilter(qb, args.filter);
  return paginate(qb, args, reportSort(args.orderBy), 'r.id', columns);
}

export function loadReport(ctx: Context, id: number): Promise<MonthlyReport | null> {
  return loadById(ctx.loaders, 'MonthlyReport', () => reportQuery(ctx), id);
}
nodeLoaders.set('MonthlyReport', loadReport);

export async function getReportOrThrow(ctx: Context, globalId: string, field = 'id'): Promise<MonthlyReport> {
  const report = await loadReport(ctx, idOfTypeOrThrow(globalId, 'MonthlyReport', field));
  if (!report) throw notFound('MonthlyReport', globalId);
  return report;
}

const PROJECT_REPORTS = childConnection<MonthlyReport>({
  name: 'Project.monthlyReports',
  entity: MonthlyReport,
  query: reportQuery,
  alias: 'r',
  foreignKey: 'projectId',
  sort: { column: 'r.period', direction: 'DESC', valueOf: (r) => r.period },
});

/** A project's reports, newest period first. */
export function projectReports(ctx: Context, projectId: number, args: PageArgs, columns?: ColumnSelection): ConnectionShape<MonthlyReport> | Promise<ConnectionShape<MonthlyReport>> {
  return loadChildConnection(ctx, PROJECT_REPORTS, args, projectId, columns);
}

// ---------------------------------------------------------------------------------------------
// Report periods. The lock of a month is a city-wide fact with no scope keys and no rules of its
// own, so it is read outside the scoped path on purpose: whoever may read monthly reports may see
// which months are locked (operations declare `read MonthlyReport`; node(id) checks the same here).

const mayReadPeriods = (ctx: Context) => ctx.viewer?.permissions.can('read', 'MonthlyReport') ?? false;

export function loadReportPeriod(ctx: Context, id: number): Promise<ReportPeriod | null> {
  if (!mayReadPeriods(ctx)) return Promise.resolve(null);
  return loadById(ctx.loaders, 'ReportPeriod', () => managerOf(ctx).createQueryBuilder(ReportPeriod, 'rp'), id);
}
nodeLoaders.set('ReportPeriod', loadReportPeriod);

/** Months that were ever locked, newest first. */
export function listReportPeriods(ctx: Context, args: ReportPeriodsArgs): Promise<ConnectionShape<ReportPeriod>> {
  const qb = managerOf(ctx).createQueryBuilder(ReportPeriod, 'rp');
  const f = args.filter;
  whereRange(qb, 'rp.period', f?.period);
  if (f?.locked === true) qb.andWhere('rp.lockedAt IS NOT NULL');
  if (f?.locked === false) qb.andWhere('rp.lockedAt IS NULL');
  return paginate(qb, args, { column: 'rp.period', direction: 'DESC', valueOf: (p) => p.period }, 'rp.id');
}

/** Whether a report's month is locked, batched per request. */
export function loadPeriodLocked(ctx: Context, period: string): Promise<boolean> {
  return loaderFor<string, boolean>(ctx.loaders, 'ReportPeriod.lockedByPeriod', async (periods) => {
    const rows = await managerOf(ctx)
      .createQueryBuilder(ReportPeriod, 'rp')
      .select('rp.period', 'period')
      .where('rp.period IN (:...periods) AND rp.lockedAt IS NOT NULL', { periods })
      .getRawMany<{ period: string }>();
    const locked = new Set(rows.map((r) => r.period));
    return periods.map((p) => locked.has(p));
  }).load(period);
}

// ---------------------------------------------------------------------------------------------
// Saving a month's figures

const MAX_TEXT = 2000;

function progressOrThrow(value: string): string {
  if (compareDecimals(value, 0) < 0 || compareDecimals(value, 100) > 0) throw badInput('progressPercent', 'progressPercent must be between 0 and 100');
  if (/\.\d{3,}$/.test(normalizeDecimal(value))) throw badInput('progressPercent', 'progressPercent must have at most 2 decimal places');
  return value;
}

function periodNotInFutureOrThrow(period: string): void {
  if (period > currentMonth()) throw badInput('period', `period ${period} is in the future`);
}

/** The project, visible to the viewer, locked for the rest of the transaction so saves of one project's months run one at a time. */
async function projectForSaveOrThrow(ctx: Context, m: EntityManager, projectId: number, globalId: string): Promise<Project> {
  const qb = scopedQuery(ctx, Project, 'p', 'read', m).andWhere('p.id = :saveProjectId', { saveProjectId: projectId });
  if (takesRowLocks(m)) qb.setLock('pessimistic_write');
  const project = await qb.getOne();
  if (!project) throw notFound('Project', globalId);
  return project;
}

function reportableOrThrow(project: Project, period: string, globalId: string): void {
  const firstYear = project.plannedStart.slice(0, 4);
  if (period < `${firstYear}-01`) {
    throw badInput('period', `period ${period} is before ${firstYear}, the year project ${globalId} was planned to start`);
  }
  if (!(REPORTING_STAGES as readonly string[]).includes(project.stage)) {
    throw new AppError(
      'BAD_USER_INPUT',
      `project ${globalId} is in stage ${project.stage}; monthly reports are kept for projects in ${REPORTING_STAGES.join(', ')}`,
      { field: 'projectId', projectId: globalId, stage: project.stage },
    );
  }
}

function fieldsAllowedOrThrow(ctx: Context, row: MonthlyReport, fields: string[]): void {
  for (const field of fields) {
    if (!ctx.viewer!.permissions.can('save', 'MonthlyReport', row, field)) throw forbidden(`Your roles do not allow changing ${field} of this MonthlyReport`);
  }
}

const scopeKeys = (r: MonthlyReport) => ({ territoryId: r.territoryId, enterpriseId: r.enterpriseId });
/** Entities as the plain records recordAudit diffs. */
const asAudited = (row: object | null) => row as Record<string, unknown> | null;

/**
 * Keeps the running sum: the reports after `from` get cumulative = the previous cumulative + their
 * own month. Rows whose cumulative does not change are not touched. Reads all of the project's
 * later reports whatever the viewer may read: the sum is over the project's records, not the
 * viewer's view of them.
 */
async function carryCumulativeOrThrow(ctx: Context, m: EntityManager, from: MonthlyReport): Promise<void> {
  const later = await readRows(
    m
      .createQueryBuilder(MonthlyReport, 'lr')
      .where('lr.projectId = :projectId AND lr.period > :period', { projectId: from.projectId, period: from.period })
      .orderBy('lr.period', 'ASC'),
  );
  let running = from.cumulativeInvestment;
  const changes: [MonthlyReport, string][] = [];
  for (const r of later) {
    running = addDecimals(running, r.monthInvestment);
    if (compareDecimals(running, r.cumulativeInvestment) !== 0) changes.push([r, running]);
  }
  if (changes.length === 0) return;
  if (compareDecimals(running, MAX_AMOUNT) > 0) throw badInput('monthInvestment', 'the cumulative investment of a later month would reach 1,000,000,000 万元');

  const lockedReport = changes.find(([r]) => r.status === ReportStatus.LOCKED);
  const lockedPeriods = await m.find(ReportPeriod, { where: { period: In(changes.map(([r]) => r.period)) } });
  const locked = lockedReport?.[0].period ?? lockedPeriods.filter((p) => p.lockedAt).map((p) => p.period).sort()[0];
  if (locked) throw periodLockedError(locked, `, and saving ${from.period} would change its cumulative investment`);

  for (const [before, cumulativeInvestment] of changes) {
    const after = await writeVersionedOrThrow(m, MonthlyReport, before, { cumulativeInvestment });
    await recordAudit(m, ctx, { action: 'recomputeCumulative', subjectType: 'MonthlyReport', recordId: after.id, before: asAudited(before), after: asAudited(after), ...scopeKeys(after) });
  }
}

/**
 * Creates the project's report for `period` (needs `save` on the new row as stored) or changes it
 * while it is OPEN or RETURNED (needs `save` on the row before and after, and the version read).
 */
export async function saveMonthlyReport(ctx: Context, input: SaveMonthlyReportInput): Promise<MonthlyReport> {
  const projectId = idOfTypeOrThrow(input.projectId, 'Project', 'projectId');
  const period = input.period;
  periodNotInFutureOrThrow(period);
  const monthInvestment = amountOrThrow('monthInvestment', input.monthInvestment);
  const progressPercent = progressOrThrow(input.progressPercent);
  const values: Partial<MonthlyReport> = { monthInvestment, progressPercent };
  if (input.progressText !== undefined) values.progressText = optionalTextOrThrow('progressText', input.progressText, MAX_TEXT) ?? null;
  if (input.issues !== undefined) values.issues = optionalTextOrThrow('issues', input.issues, MAX_TEXT) ?? null;

  return inTransaction(ctx, async (m) => {
    const project = await projectForSaveOrThrow(ctx, m, projectId, input.projectId);
    reportableOrThrow(project, period, input.projectId);
    await periodNotLockedOrThrow(m, period);

    // Unscoped on purpose (see carryCumulativeOrThrow): the latest earlier report of the project.
    const previous = await m
      .createQueryBuilder(MonthlyReport, 'pr')
      .where('pr.projectId = :projectId AND pr.period < :period', { projectId, period })
      .orderBy('pr.period', 'DESC')
      .limit(1)
      .getOne();
    values.cumulativeInvestment = addDecimals(previous?.cumulativeInvestment ?? 0, monthInvestment);
    if (compareDecimals(values.cumulativeInvestment, MAX_AMOUNT) > 0) throw badInput('monthInvestment', 'the cumulative investment would reach 1,000,000,000 万元');

    const existing = await scopedQuery(ctx, MonthlyReport, 'r', 'read', m)
      .andWhere('r.projectId = :projectId AND r.period = :period', { projectId, period })
      .getOne();
    let saved: MonthlyReport;
    if (existing) {
      if (input.expectedVersion === null || input.expectedVersion === undefined) {
        throw conflict(`A report of this project for ${period} already exists (version ${existing.version}); pass it as expectedVersion`, {
          field: 'expectedVersion',
          currentVersion: existing.version,
        });
      }
      assertVersion(existing, input.expectedVersion);
      if (!SAVABLE.includes(existing.status)) {
        throw invalidTransition(`Cannot save a MonthlyReport whose status is ${existing.status}`, {
          currentState: existing.status,
          allowedActions: transitionsFrom(reportWorkflow, existing.status).map((t) => t.action),
        });
      }
      await assertCanOnRow(ctx, m, MonthlyReport, existing.id, 'save', `in state ${existing.status}`);
      fieldsAllowedOrThrow(ctx, existing, Object.keys(values));
      saved = await writeVersionedOrThrow(m, MonthlyReport, existing, values);
      await assertCanOnRow(ctx, m, MonthlyReport, saved.id, 'save', 'as it would be after this change');
      await recordAudit(m, ctx, { action: 'save', subjectType: 'MonthlyReport', recordId: saved.id, before: asAudited(existing), after: asAudited(saved), ...scopeKeys(saved) });
    } else {
      // A report the viewer may not read is not theirs to overwrite; its existence is not revealed.
      if (await m.existsBy(MonthlyReport, { projectId, period })) throw notFound('MonthlyReport');
      const inserted = await m.save(
        m.create(MonthlyReport, {
          ...values,
          projectId,
          period,
          territoryId: project.territoryId,
          enterpriseId: project.enterpriseId,
          status: ReportStatus.OPEN,
        }),
      );
      await assertCanOnRow(ctx, m, MonthlyReport, inserted.id, 'save', 'in this scope');
      saved = await m.findOneByOrFail(MonthlyReport, { id: inserted.id });
      fieldsAllowedOrThrow(ctx, saved, Object.keys(values));
      await recordAudit(m, ctx, { action: 'create', subjectType: 'MonthlyReport', recordId: saved.id, after: asAudited(saved), ...scopeKeys(saved) });
    }
    await carryCumulativeOrThrow(ctx, m, saved);
    return saved;
  });
}

// ---------------------------------------------------------------------------------------------
// Workflow

export function transitionReport(ctx: Context, action: 'submit' | 'return' | 'confirm', input: { id: string; expectedVersion: number; comment?: string | null }) {
  return runTransition(ctx, reportWorkflow, action, idOfTypeOrThrow(input.id, 'MonthlyReport'), input.expectedVersion, input);
}

const CHUNK = 500;
const chunks = <T>(rows: T[]): T[][] => Array.from({ length: Math.ceil(rows.length / CHUNK) }, (_, i) => rows.slice(i * CHUNK, (i + 1) * CHUNK));

/**
 * Runs the workflow's `lock` or `unlock` transition on every report of `period` in its from-state
 * that the viewer's rules allow the action on: one UPDATE per chunk, a history row and an audit
 * event per report, all in the caller's transaction. (runTransition handles one record in its own
 * transaction, which a whole month cannot use.)
 */
async function moveReportsOfPeriod(ctx: Context, m: EntityManager, action: 'lock' | 'unlock', period: string, comment: string | null): Promise<number> {
  const transition = transitionOf(reportWorkflow, action);
  if (typeof transition.to === 'function') throw new Error(`${action} must reach one state to be run in bulk`);
  const to = transition.to;
  const qb = scopedQuery(ctx, MonthlyReport, 'r', transition.permission ?? action, m)
    .andWhere('r.period = :movePeriod AND r.status IN (:...moveFrom)', { movePeriod: period, moveFrom: transition.from })
    .orderBy('r.id');
  if (takesRowLocks(m)) qb.setLock('pessimistic_write');
  const rows = await readRows(qb);

  for (const chunk of chunks(rows)) {
    const result = await m
      .createQueryBuilder()
      .update(MonthlyReport)
      .set({ status: to, version: () => 'version + 1' } as never)
      .where('id IN (:...ids) AND status IN (:...from)', { ids: chunk.map((r) => r.id), from: transition.from })
      .execute();
    if (result.affected !== undefined && result.affected !== chunk.length) throw conflict('Reports of this month were changed by someone else; retry');
    await insertHistory(m, chunk.map((r) => historyRow(ctx, reportWorkflow, r, r.status, to, action, comment)));
  }
  for (const before of rows) {
    const after = { ...before, status: to, version: before.version + 1 };
    await recordAudit(m, ctx, { action, subjectType: 'MonthlyReport', recordId: before.id, before: asAudited(before), after: asAudited(after), ...scopeKeys(before) });
  }
  return rows.length;
}

/** Inserts the period row; a concurrent first lock of the same month loses with CONFLICT instead of a duplicate-key error. */
async function insertPeriodOrThrow(m: EntityManager, values: Partial<ReportPeriod>): Promise<ReportPeriod> {
  try {
    const inserted = await m.save(m.create(ReportPeriod, values));
    return await m.findOneByOrFail(ReportPeriod, { id: inserted.id });
  } catch (e) {
    const code = (e as { driverError?: { code?: string } }).driverError?.code ?? '';
    if (code === 'ER_DUP_ENTRY' || code.startsWith('SQLITE_CONSTRAINT')) throw conflict(`period ${values.period} was just locked by someone else`);
    throw e;
  }
}

export interface PeriodChange {
  period: ReportPeriod;
  movedReports: number;
}

const periodComment = (input: ReportPeriodInput) => {
  const comment = optionalTextOrThrow('comment', input.comment, MAX_TEXT);
  return comment ?? null;
};

/** Locks `period` city-wide and moves the month's CONFIRMED reports the viewer may lock to LOCKED. */
export async function lockReportPeriod(ctx: Context, input: ReportPeriodInput): Promise<PeriodChange> {
  const period = input.period;
  periodNotInFutureOrThrow(period);
  const comment = periodComment(input);
  return inTransaction(ctx, async (m) => {
    const before = await m.findOne(ReportPeriod, { where: { period } });
    if (before?.lockedAt) throw invalidTransition(`period ${period} is already locked`, { currentState: 'LOCKED', allowedActions: ['unlock'] });
    const values = { period, lockedAt: new Date(), lockedById: ctx.viewer!.user.id };
    const after = before ? await writeVersionedOrThrow(m, ReportPeriod, before, values) : await insertPeriodOrThrow(m, values);
    await recordAudit(m, ctx, { action: 'lock', subjectType: 'ReportPeriod', recordId: after.id, before: asAudited(before), after: asAudited(after) });
    return { period: after, movedReports: await moveReportsOfPeriod(ctx, m, 'lock', period, comment) };
  });
}

/** Reopens a locked `period` (admins) and moves its LOCKED reports back to CONFIRMED. */
export async function unlockReportPeriod(ctx: Context, input: ReportPeriodInput): Promise<PeriodChange> {
  const period = input.period;
  const comment = periodComment(input);
  return inTransaction(ctx, async (m) => {
    const before = await m.findOne(ReportPeriod, { where: { period } });
    if (!before?.lockedAt) throw invalidTransition(`period ${period} is not locked`, { currentState: 'UNLOCKED', allowedActions: ['lock'] });
    const after = await writeVersionedOrThrow(m, ReportPeriod, before, { lockedAt: null, lockedById: null });
    await recordAudit(m, ctx, { action: 'unlock', subjectType: 'ReportPeriod', recordId: after.id, before: asAudited(before), after: asAudited(after) });
    return { period: after, movedReports: await moveReportsOfPeriod(ctx, m, 'unlock', period, comment) };
  });
}
