/**
 * Where a request's database work runs. Normally each write opens its own transaction; a caller
 * that must make several writes all-or-nothing (a spreadsheet import) opens one and puts its
 * manager on the context, and every write inside then joins it as a savepoint.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Context } from '../../app/context';

/** The manager to read with: the open transaction's, or the data source's. */
export const managerOf = (ctx: Pick<Context, 'ds' | 'transaction'>): EntityManager => ctx.transaction ?? ctx.ds.manager;

// Embedded SQLite is one connection: a transaction there must not begin while another request's
// is open on it (work that awaits real I/O inside a transaction would let that happen), so on
// SQLite top-level transactions take turns. MySQL gives each its own pooled connection.
const turns = new WeakMap<DataSource, Promise<unknown>>();

function takingTurns<T>(ds: DataSource, work: (m: EntityManager) => Promise<T>): Promise<T> {
  if (ds.options.type !== 'better-sqlite3') return ds.transaction(work);
  const run = (turns.get(ds) ?? Promise.resolve()).then(() => ds.transaction(work));
  turns.set(ds, run.catch(() => undefined));
  return run;
}

/** Runs `work` in a transaction of its own, or as a savepoint of the one the context carries. */
export function inTransaction<T>(ctx: Pick<Context, 'ds' | 'transaction'>, work: (m: EntityManager) => Promise<T>): Promise<T> {
  return ctx.transaction ? ctx.transaction.transaction(work) : takingTurns(ctx.ds, work);
}
