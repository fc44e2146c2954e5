/**
 * Per-request DataLoaders, created on first use and kept on the context, so every nested field
 * of one request shares one batch per relation (and the same viewer's scope).
 */
import DataLoader from 'dataloader';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { readRows } from '../db/read-rows';
import { ColumnSelection, columnsKey } from './selection';

/** A request's loaders by name, and values read ahead of them (`readAhead`). */
export type LoaderCache = Map<string, DataLoader<unknown, unknown> | ReadonlyMap<unknown, unknown>>;

const AHEAD = 'ahead:';

/**
 * Values for the keys of loader `name` that were read ahead of it (a list reads its nodes' child
 * pages with its page): looked up before the loader, they are answered without its promise.
 * Kept in the request's cache, not in a WeakMap by request: short-lived WeakMap keys made every
 * garbage collection slower (measured: CPU per request +5% on the nested list).
 */
export function readAhead<K, V>(cache: LoaderCache, name: string): ReadonlyMap<K, V> | undefined {
  return cache.get(AHEAD + name) as ReadonlyMap<K, V> | undefined;
}

export function setReadAhead<K, V>(cache: LoaderCache, name: string, values: ReadonlyMap<K, V>): void {
  cache.set(AHEAD + name, values);
}

export function loaderFor<K, V>(cache: LoaderCache, name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
  let loader = cache.get(name) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>(batch, { maxBatchSize: 500 });
    cache.set(name, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}

/** Orders batch results by key: DataLoader needs one entry per key, in key order. */
export function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map<K, V>();
  for (const row of rows) map.set(keyOf(row), row);
  return keys.map((k) => map.get(k) ?? null);
}

export function groupByKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

/**
 * The row with `id` from `query()` (already scoped), through the request's loader of `name` rows by
 * id: every id asked for with the same columns (all of them unless `columns` is given) in one
 * query; a row outside the query is null.
 */
export function loadById<T extends ObjectLiteral & { id: number }>(
  cache: LoaderCache,
  name: string,
  query: () => SelectQueryBuilder<T>,
  id: number,
  columns?: ColumnSelection,
): Promise<T | null> {
  return loaderFor<number, T | null>(cache, `${name}.byId:${columnsKey(columns)}`, async (ids) => {
    const qb = query();
    return byKey(ids, await readRows(qb.andWhere(`${qb.alias}.id IN (:...ids)`, { ids }), columns), (row) => row.id);
  }).load(id);
}
