/**
 * The scoped path: the one way services read business rows. Every query starts here, with the
 * viewer's compiled rules for the action as its WHERE, so lists, counts, aggregates, loaders and
 * node lookups all share one predicate, evaluated by the database.
 */
import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Context } from '../../app/context';
import { unauthenticated } from '../errors';
import type { ColumnSelection } from '../graphql/selection';
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

/** What a row read with `scopedToOne` keeps of the relation: the related row (or null) and its columns read. */
interface Joined {
  row: ObjectLiteral | null;
  columns: ColumnSelection;
}

/** One key per foreign key, under which a row keeps its joined relation. */
const joinedKeys = new Map<string, symbol>();
const joinedKey = (foreignKey: string): symbol => {
  let key = joinedKeys.get(foreignKey);
  if (!key) joinedKeys.set(foreignKey, (key = Symbol(`joined ${foreignKey}`)));
  return key;
};

/**
 * A to-one relation read with the rows it hangs off, instead of by a second query: LEFT JOIN
 * `entity` as `alias` on `alias.id = <row>.foreignKey` AND the viewer's read predicate for it — the
 * one scopedQuery uses — so a related row the viewer may not see joins as nulls, just as its loader
 * would answer null. Each row keeps its related row (or null) for `joinedRow`. Pass the result to
 * `readRows` (or `paginate`).
 */
export function scopedToOne<T extends ObjectLiteral & { id: number }>(
  ctx: Context,
  entity: EntityClass<T>,
  alias: string,
  foreignKey: string,
  columns: ColumnSelection,
): JoinedToOne {
  if (!ctx.viewer) throw unauthenticated();
  const { sql, params } = ctx.viewer.permissions.predicate(ctx.ds, 'read', entity.name, alias);
  const metadata = ctx.ds.getMetadata(entity);
  const key = joinedKey(foreignKey);
  return {
    alias,
    join(qb) {
      qb.leftJoin(entity, alias, `${alias}.id = ${qb.alias}.${foreignKey} AND (${sql})`, params).addSelect(selectionOf(metadata, alias, columns));
    },
    read(rows, raws) {
      const joined = joinedRows<T>(ctx.ds, metadata, alias, raws);
      rows.forEach((row, i) => {
        (row as Record<symbol, Joined>)[key] = { row: joined[i], columns };
      });
    },
  };
}

/**
 * The row related to `row` through `foreignKey`, as joined into the query that read `row`
 * (`scopedToOne`) — null if the viewer may not see it or there is none — provided that query read
 * the `columns` asked for; `undefined` if it did not join it or read fewer columns. Lets a field
 * resolver answer at once, without a loader's promise per row.
 */
export function joinedRow<T>(row: object, foreignKey: string, columns: ColumnSelection): T | null | undefined {
  const joined = (row as Record<symbol, Joined | undefined>)[joinedKey(foreignKey)];
  if (!joined) return undefined;
  const read = joined.columns;
  const covered = read === undefined || read === columns || (columns !== undefined && columns.every((c) => read.includes(c)));
  return covered ? (joined.row as T | null) : undefined;
}
