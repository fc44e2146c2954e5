/**
 * Entity rows from a query builder, without TypeORM's generic result transformer.
 *
 * `getMany()` groups raw rows by primary key, walks join and relation-id bookkeeping and looks up
 * each column's alias per row — work for joined graphs that the platform never selects (relations
 * are per-request loaders). Here one raw row is one entity: a hydrator compiled once per
 * (entity, alias, selected columns) copies each selected column through the driver's own
 * `prepareHydratedValue` (dates, booleans, JSON and column transformers such as exact decimals),
 * so values are exactly what `getMany()` would give, on MySQL and SQLite alike.
 *
 * A query may select some columns only (`columns`, from core/graphql/selection). The columns it
 * left out are getters on the row's prototype that throw, so code that needs a column the query
 * did not fetch fails loudly in tests instead of reading `undefined`.
 */
import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import { setBounded } from '../bounded';

type Hydrator<T> = (raw: Record<string, unknown>) => T;

const hydrators = new WeakMap<EntityMetadata, Map<string, Hydrator<unknown>>>();
const MAX_SHAPES_PER_ENTITY = 256;

/** A prototype under the entity's own whose unselected columns throw when read or written. */
function partialPrototype(metadata: EntityMetadata, missing: ColumnMetadata[]): object {
  const target = metadata.target as Function;
  if (missing.length === 0) return target.prototype;
  const notSelected = (property: string) => () => {
    throw new Error(`${metadata.name}.${property} was not selected by this query (declare it with @Reads on the field resolver that needs it)`);
  };
  return Object.create(
    target.prototype,
    Object.fromEntries(missing.map((c) => [c.propertyName, { get: notSelected(c.propertyName), set: notSelected(c.propertyName) }])),
  );
}

function compileHydrator<T>(ds: DataSource, metadata: EntityMetadata, alias: string, rawKeys: Set<string>): Hydrator<T> {
  const driver = ds.driver;
  if (typeof metadata.target !== 'function' || metadata.lazyRelations.length > 0) throw new Error(`readRows cannot hydrate ${metadata.name}`);
  const selected: { key: string; property: string; column: ColumnMetadata }[] = [];
  const missing: ColumnMetadata[] = [];
  for (const column of metadata.columns) {
    if (column.embeddedMetadata || column.isVirtualProperty) throw new Error(`readRows cannot hydrate ${metadata.name}.${column.propertyName}`);
    const key = DriverUtils.buildAlias(driver, undefined, alias, column.databaseName);
    if (rawKeys.has(key)) selected.push({ key, property: column.propertyName, column });
    else missing.push(column);
  }
  const prototype = partialPrototype(metadata, missing);
  return (raw) => {
    const entity = Object.create(prototype) as Record<string, unknown>;
    for (const { key, property, column } of selected) entity[property] = driver.prepareHydratedValue(raw[key], column);
    return entity as T;
  };
}

function hydratorFor<T>(ds: DataSource, metadata: EntityMetadata, alias: string, sample: Record<string, unknown>): Hydrator<T> {
  let byShape = hydrators.get(metadata);
  if (!byShape) hydrators.set(metadata, (byShape = new Map()));
  const keys = Object.keys(sample);
  const shape = `${alias}|${keys.join(',')}`;
  // Clients choose the columns, so the number of shapes is bounded, not trusted.
  const hydrator = byShape.get(shape) ?? setBounded(byShape, shape, compileHydrator(ds, metadata, alias, new Set(keys)), MAX_SHAPES_PER_ENTITY);
  return hydrator as Hydrator<T>;
}

/** The `alias.property` selections for `columns` of `metadata` (with its key), or every column. */
export function selectionOf(metadata: EntityMetadata, alias: string, columns: readonly string[] | undefined): string[] {
  if (!columns) return metadata.columns.map((c) => `${alias}.${c.propertyName}`);
  const properties = new Set([...metadata.primaryColumns.map((c) => c.propertyName), ...columns]);
  for (const property of properties) {
    if (!metadata.findColumnWithPropertyName(property)) throw new Error(`${metadata.name} has no column ${property}`);
  }
  return [...properties].map((property) => `${alias}.${property}`);
}

/** A to-one relation read in the same query as the rows it hangs off (core/db/scoped `scopedToOne`). */
export interface JoinedToOne {
  alias: string;
  /** Adds the join and its selected columns to the query. */
  join(qb: SelectQueryBuilder<ObjectLiteral>): void;
  /** Receives the rows read and their raw results, which hold the joined columns. */
  read(rows: ObjectLiteral[], raws: Record<string, unknown>[]): void;
}

/** Per raw result, the `alias` entity joined into it, or null where the join found no row. */
export function joinedRows<T>(ds: DataSource, metadata: EntityMetadata, alias: string, raws: Record<string, unknown>[]): (T | null)[] {
  if (raws.length === 0) return [];
  const hydrate = hydratorFor<T>(ds, metadata, alias, raws[0]);
  const key = DriverUtils.buildAlias(ds.driver, undefined, alias, metadata.primaryColumns[0].databaseName);
  return raws.map((raw) => (raw[key] === null || raw[key] === undefined ? null : hydrate(raw)));
}

/** The entity `qb` reads, with its alias; refuses joined selections (relations come from loaders or `joins`). */
function entityOf(qb: SelectQueryBuilder<ObjectLiteral>): { metadata: EntityMetadata; alias: string } {
  const { mainAlias, joinAttributes } = qb.expressionMap;
  if (!mainAlias?.hasMetadata) throw new Error('readRows needs a query over an entity');
  if (joinAttributes.some((join) => join.isSelected)) throw new Error('readRows reads one entity per row; load relations with a loader');
  return { metadata: mainAlias.metadata, alias: mainAlias.name };
}

/**
 * The entities `qb` selects, one per raw row: every column, or the primary key and `columns`
 * (property names) when given. Relations are loaded by loaders, or joined by `joins`; any other
 * joined selection is refused.
 */
export async function readRows<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  columns?: readonly string[],
  joins: readonly JoinedToOne[] = [],
): Promise<T[]> {
  const { metadata, alias } = entityOf(qb);
  if (columns) qb.select(selectionOf(metadata, alias, columns));
  for (const join of joins) join.join(qb as unknown as SelectQueryBuilder<ObjectLiteral>);
  const raws = await qb.getRawMany<Record<string, unknown>>();
  if (raws.length === 0) return [];
  const hydrate = hydratorFor<T>(qb.connection, metadata, alias, raws[0]);
  const rows = raws.map(hydrate);
  for (const join of joins) join.read(rows, raws);
  return rows;
}

/**
 * The first `perGroup` entities of `qb` for each value of its column `groupBy`, each group in
 * `order` (SQL), the groups in `groupBy` order; `columns` as for `readRows`. One statement: `qb`
 * numbers its rows per group (ROW_NUMBER) in a derived table and the outer query keeps the first
 * ones, so `qb`'s conditions — its scope predicate — are evaluated once.
 */
export async function readFirstPerGroup<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  groupBy: string,
  order: string,
  perGroup: number,
  columns?: readonly string[],
): Promise<T[]> {
  const { metadata, alias } = entityOf(qb);
  const group = metadata.findColumnWithPropertyName(groupBy);
  if (!group) throw new Error(`${metadata.name} has no column ${groupBy}`);
  qb.select(selectionOf(metadata, alias, columns && [...columns, groupBy]))
    .addSelect(`ROW_NUMBER() OVER (PARTITION BY ${alias}.${groupBy} ORDER BY ${order})`, 'rn');
  // A new builder on the same query runner, so inside a transaction this reads within it.
  const raws = await qb
    .createQueryBuilder()
    .select('w.*')
    .from(`(${qb.getQuery()})`, 'w')
    .setParameters(qb.getParameters())
    .where('w.rn <= :perGroup', { perGroup })
    .orderBy(`w.${DriverUtils.buildAlias(qb.connection.driver, undefined, alias, group.databaseName)}`)
    .addOrderBy('w.rn')
    .getRawMany<Record<string, unknown>>();
  if (raws.length === 0) return [];
  return raws.map(hydratorFor<T>(qb.connection, metadata, alias, raws[0]));
}
