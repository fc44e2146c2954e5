/**
 * The scoped path: the one way services read business rows. Every query starts here, with the
 * viewer's compiled rules for the action as its WHERE, so lists, counts, aggregates, loaders and
 * node lookups all share one predicate, evaluated by the database.
 */
import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Context } from '../../app/context';
import { unauthenticated } from '../errors';
import { JoinedToOne, joinedRows, selectionOf } from './read-rows';
import { managerOf } from './transaction';

type EntityClass<T> = { new (): T; name: string };

/**
 * A query builder over `entity` (as `alias`) restricted to the rows the viewer may `action`.
 * Pass `manager` to read inside a transaction.
 */
export function scopedQuery<T extends ObjectLiteral>(
  ctx: Context,
  entity: EntityClass<T>,
  alias: string,
  action = 'read',
  manager: EntityManager = managerOf(ctx),
): SelectQueryBuilder<T> {
  if (!ctx.viewer) throw unauthenticated();
  const { sql, params } = ctx.viewer.permissions.predicate(ctx.ds, action, entity.name, alias);
  const qb = manager.createQueryBuilder(entity, alias).where(`(${sql})`, params);
  // TypeORM's where() replaces every earlier condition, which would silently drop the scope.
  Object.defineProperty(qb, 'where', {
    value: () => {
      throw new Error('A scoped query is narrowed with andWhere(); where() would drop the scope');
    },
  });
  return qb;
}

/** Whether the viewer may `action` the row with `id` — the same predicate, for one row. */
export async function canOnRow<T extends ObjectLiteral>(
  ctx: Context,
  entity: EntityClass<T>,
  id: number,
  action: string,
  manager?: EntityManager,
): Promise<boolean> {
  return scopedQuery(ctx, entity, 'r', action, manager).andWhere('r.id = :rowId', { rowId: id }).getExists();
}

/**
 * A to-one relation read with the rows it hangs off, instead of by a second query: LEFT JOIN
 * `entity` as `alias` on `alias.id = <row>.foreignKey` AND the viewer's read predicate for it — the
 * one scopedQuery uses — so a related row the viewer may not see joins as nulls, just as its loader
 * would answer null. Each joined row (or null) is handed to `prime` under its id, for the
 * relation's loader. Pass the result to `readRows` (or `paginate`).
 */
export function scopedToOne<T extends ObjectLiteral & { id: number }>(
  ctx: Context,
  entity: EntityClass<T>,
  alias: string,
  foreignKey: string,
  columns: readonly string[] | undefined,
  prime: (id: number, row: T | null) => void,
): JoinedToOne {
  if (!ctx.viewer) throw unauthenticated();
  const { sql, params } = ctx.viewer.permissions.predicate(ctx.ds, 'read', entity.name, alias);
  const metadata = ctx.ds.getMetadata(entity);
  return {
    alias,
    join(qb) {
      qb.leftJoin(entity, alias, `${alias}.id = ${qb.alias}.${foreignKey} AND (${sql})`, params).addSelect(selectionOf(metadata, alias, columns));
    },
    read(rows, raws) {
      const joined = joinedRows<T>(ctx.ds, metadata, alias, raws);
      rows.forEach((row, i) => {
        const id = row[foreignKey] as number | null;
        if (id !== null) prime(id, joined[i]);
      });
    },
  };
}
