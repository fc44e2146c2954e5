/**
 * `myQueue`: the records awaiting a workflow step the viewer may take — project library entries,
 * monthly reports awaiting confirmation, fund applications and land requests — oldest first.
 *
 * A record is in the queue when it is in a state that a FORWARD step of its workflow leaves and
 * the viewer's rules allow that step on it. Side exits (return, reject, withdraw, object, clawback,
 * a failed listing) do not put a record in anyone's queue: every state they leave is also left by a
 * forward step whoever holds it would take, and counting them would fill a county's queue with
 * every application of its territory under city review (a county may return any of them).
 * A draft awaits its submission, so drafts are in the queue of whoever may submit them.
 *
 * "May take" is decided in the database, by the same compiled rule predicates as the mutations:
 * one SELECT per (record type, step) — `scopedQuery(ctx, Entity, alias, permission)` narrowed to
 * the step's from-states and to rows the viewer may read — all joined with UNION ALL into one
 * statement that groups, orders and pages; the counts are one grouped COUNT over the same union,
 * run only when asked for. Nothing is filtered in memory.
 *
 * "Oldest" is the time the record reached its current state: its latest history row on the
 * workflow's axis, or its creation for a record that never moved. Pages are keyset pages on
 * (waitingSince, type, id), so acting on the first items does not shift the next page.
 */
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Context } from '../../app/context';
import { scopedQuery } from '../../core/db/scoped';
import { badInput, unauthenticated } from '../../core/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageInfoOf } from '../../core/graphql/connection';
import { nodeLoaders } from '../../core/graphql/node';
import { transitionOf, Workflow } from '../../core/workflow/workflow';
import { FUND_FORWARD_ACTIONS, fundApplicationWorkflow } from '../fund/fund.transitions';
import { LAND_FORWARD_ACTIONS, landRequestWorkflow } from '../land/land.transitions';
import { libraryWorkflow } from '../project/project.transitions';
import { reportWorkflow } from '../report/report.transitions';
import { QueueArgs, QueueConnection, QueueItem, QueueRecordType, QueueTypeCount } from './queue.types';

// The services register their node loaders on import; the queue loads its records through them.
import '../fund/fund.service';
import '../land/land.service';
import '../project/project.service';
import '../report/report.service';

type Row = ObjectLiteral & { id: number; version: number; territoryId: number };

interface QueueSource {
  type: QueueRecordType;
  workflow: Workflow<Row, string>;
  /** The forward steps that make a record wait for whoever may take them. */
  actions: readonly string[];
  /** A further condition on the record (alias `a`), e.g. a locked month freezes its reports. */
  extra?: (alias: string) => string;
}

const SOURCES: readonly QueueSource[] = [
  { type: QueueRecordType.FUND_APPLICATION, workflow: fundApplicationWorkflow as never, actions: FUND_FORWARD_ACTIONS },
  { type: QueueRecordType.LAND_REQUEST, workflow: landRequestWorkflow as never, actions: LAND_FORWARD_ACTIONS },
  {
    // Reports await confirmation by the county or park (submission is the enterprise's own monthly routine).
    type: QueueRecordType.MONTHLY_REPORT,
    workflow: reportWorkflow as never,
    actions: ['confirm'],
    extra: (a) => `NOT EXISTS (SELECT 1 FROM report_periods qrp WHERE qrp.period = ${a}.period AND qrp.lockedAt IS NOT NULL)`,
  },
  // Library entries (储备库); construction stages are reported as they happen, not awaited.
  { type: QueueRecordType.PROJECT, workflow: libraryWorkflow as never, actions: ['submit', 'countyCheck', 'accept'] },
];

/** Every step named here must exist in its table: a typo would silently empty a queue. */
for (const source of SOURCES) for (const action of source.actions) transitionOf(source.workflow, action);

const sourceOf = (type: string) => SOURCES.find((s) => s.type === type)!;

let parameterSeq = 0;

/** One SELECT: the records of `source` the viewer may take `action` on now, with their waiting time. */
function stepQuery(ctx: Context, source: QueueSource, action: string, index: number): SelectQueryBuilder<Row> {
  const { workflow } = source;
  const transition = transitionOf(workflow, action);
  const a = `qs${index}`;
  const entityName = workflow.entity.name;
  const qb = scopedQuery(ctx, workflow.entity, a, transition.permission ?? action);
  // A step is only for records the viewer can see (runTransition answers NOT_FOUND otherwise).
  const read = ctx.viewer!.permissions.predicate(ctx.ds, 'read', entityName, a);
  const from = `qFrom${++parameterSeq}`;
  qb.andWhere(`(${read.sql})`, read.params).andWhere(`${a}.${workflow.axis} IN (:...${from})`, { [from]: transition.from });
  if (source.extra) qb.andWhere(source.extra(a));
  // Constants from code (type, action, entity and axis names), never from the request.
  return qb
    .select(`'${source.type}'`, 'recordType')
    .addSelect(`${a}.id`, 'recordId')
    .addSelect(
      `COALESCE((SELECT MAX(qh.createdAt) FROM workflow_transitions qh WHERE qh.subjectType = '${entityName}' AND qh.axis = '${workflow.axis}' ` +
        `AND qh.recordId = ${a}.id), ${a}.createdAt)`,
      'since',
    )
    .addSelect(`'${action}'`, 'action');
}

/** All (record, step) pairs of the viewer's queue, as one UNION ALL with its parameters. */
function unionOf(ctx: Context, types: readonly QueueRecordType[]): { sql: string; params: Record<string, unknown> } {
  const parts = SOURCES.filter((s) => types.includes(s.type)).flatMap((s) => s.actions.map((action) => ({ s, action })));
  const queries = parts.map(({ s, action }, i) => stepQuery(ctx, s, action, i));
  return {
    // No parentheses around the SELECTs: SQLite does not accept them in a compound select.
    sql: queries.map((q) => q.getQuery()).join(' UNION ALL '),
    params: Object.assign({}, ...queries.map((q) => q.getParameters())),
  };
}

// ---------------------------------------------------------------------------------------------
// Cursors: (waitingSince as the database returned it, type, id). MySQL returns DATETIME as Date,
// SQLite as text; each goes back to the database in the form it came, so ORDER BY and the keyset
// comparison agree.

type Since = string | Date;
type CursorValue = [string | { d: string }, string, number];

function encodeCursor(since: Since, type: string, id: number): string {
  const value: CursorValue = [since instanceof Date ? { d: since.toISOString() } : since, type, id];
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursorOrThrow(cursor: string, field: string): [Since, string, number] {
  try {
    const [since, type, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorValue;
    const when = typeof since === 'string' ? since : typeof since?.d === 'string' ? new Date(since.d) : null;
    if (when !== null && !(when instanceof Date && Number.isNaN(when.getTime())) && SOURCES.some((s) => s.type === type) && Number.isInteger(id)) {
      return [when, type, id];
    }
  } catch {
    /* fall through */
  }
  throw badInput(field, `${field} is not a cursor returned by myQueue`);
}

/** SQLite keeps DATETIME as UTC text ("YYYY-MM-DD HH:MM:SS[.SSS]"). */
const toDate = (since: Since): Date => (since instanceof Date ? since : new Date(`${since.replace(' ', 'T')}Z`));

function pageSizeOrThrow(field: string, value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) throw badInput(field, `${field} must be between 0 and ${MAX_PAGE_SIZE}`);
  return value;
}

interface QueueRow {
  recordType: string;
  recordId: number | string;
  since: Since;
  actions: string;
}

export async function myQueue(ctx: Context, args: QueueArgs): Promise<QueueConnection> {
  if (!ctx.viewer) throw unauthenticated();
  const types = args.filter?.types?.length ? [...new Set(args.filter.types)] : SOURCES.map((s) => s.type);
  const first = pageSizeOrThrow('first', args.first);
  const last = pageSizeOrThrow('last', args.last);
  if (first !== undefined && last !== undefined) throw badInput('last', 'Pass either first or last, not both');
  const backwards = last !== undefined;
  const size = first ?? last ?? DEFAULT_PAGE_SIZE;

  const union = unionOf(ctx, types);
  const page = ctx.ds
    .createQueryBuilder()
    .select('q.recordType', 'recordType')
    .addSelect('q.recordId', 'recordId')
    .addSelect('q.since', 'since')
    .addSelect('GROUP_CONCAT(q.action)', 'actions')
    .from(`(${union.sql})`, 'q')
    .setParameters(union.params)
    .groupBy('q.recordType')
    .addGroupBy('q.recordId')
    .addGroupBy('q.since');
  const bound = (cursor: string, field: string, after: boolean) => {
    const [since, type, id] = decodeCursorOrThrow(cursor, field);
    const n = ++parameterSeq;
    const op = after ? '>' : '<';
    page.andWhere(
      `(q.since ${op} :qcs${n} OR (q.since = :qcs${n} AND (q.recordType ${op} :qct${n} OR (q.recordType = :qct${n} AND q.recordId ${op} :qci${n}))))`,
      { [`qcs${n}`]: since, [`qct${n}`]: type, [`qci${n}`]: id },
    );
  };
  if (args.after) bound(args.after, 'after', true);
  if (args.before) bound(args.before, 'before', false);
  const direction = backwards ? 'DESC' : 'ASC';
  page.orderBy('q.since', direction).addOrderBy('q.recordType', direction).addOrderBy('q.recordId', direction).limit(size + 1);

  const rows = size === 0 ? [] : await page.getRawMany<QueueRow>();
  const more = rows.length > size;
  const pageRows = rows.slice(0, size);
  if (backwards) pageRows.reverse();

  const items = await Promise.all(
    pageRows.map(async (r): Promise<{ cursor: string; node: QueueItem } | null> => {
      const source = sourceOf(r.recordType);
      const id = Number(r.recordId);
      const record = (await nodeLoaders.get(source.workflow.entity.name)!(ctx, id)) as QueueItem['record'] | null;
      // Read in the same predicate a moment ago; gone only if it moved out of scope in between.
      if (!record) return null;
      const actions = String(r.actions).split(',');
      return {
        cursor: encodeCursor(r.since, r.recordType, id),
        node: { type: source.type, record, actions: source.actions.filter((a) => actions.includes(a)), waitingSince: toDate(r.since) },
      };
    }),
  );
  const edges = items.filter((e): e is { cursor: string; node: QueueItem } => e !== null);

  let counts: Promise<QueueTypeCount[]> | undefined;
  const countsByType = () =>
    (counts ??= (async () => {
      const union = unionOf(ctx, types);
      const rows = await ctx.ds
        .createQueryBuilder()
        .select('q.recordType', 'recordType')
        .addSelect('COUNT(DISTINCT q.recordId)', 'n')
        .from(`(${union.sql})`, 'q')
        .setParameters(union.params)
        .groupBy('q.recordType')
        .getRawMany<{ recordType: string; n: number | string }>();
      const byType = new Map(rows.map((r) => [r.recordType, Number(r.n)]));
      return types.map((type) => ({ type, count: byType.get(type) ?? 0 }));
    })());

  const pageInfo = pageInfoOf(edges, backwards ? Boolean(args.before) : more, backwards ? more : Boolean(args.after));
  return {
    edges,
    pageInfo,
    get totalCount() {
      return countsByType().then((c) => c.reduce((sum, t) => sum + t.count, 0));
    },
    get countsByType() {
      return countsByType();
    },
  };
}
