/**
 * Where a request's database work runs. Normally each write opens its own transaction; a caller
 * that must make several writes all-or-nothing (a spreadsheet import) opens one and puts its
 * manager on the context, and every write inside then joins it as a savepoint.
 */
import type { EntityManager } from 'typeorm';
import type { Context } from '../../app/context';

/** The manager to read with: the open transaction's, or the data source's. */
export const managerOf = (ctx: Pick<Context, 'ds' | 'transaction'>): EntityManager => ctx.transaction ?? ctx.ds.manager;

/** Runs `work` in a transaction of its own, or as a savepoint of the one the context carries. */
export function inTransaction<T>(ctx: Pick<Context, 'ds' | 'transaction'>, work: (m: EntityManager) => Promise<T>): Promise<T> {
  return ctx.transaction ? ctx.transaction.transaction(work) : ctx.ds.transaction(work);
}
