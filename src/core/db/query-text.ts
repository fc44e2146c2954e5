/**
 * SQL text of query builders, remembered by their structure.
 *
 * TypeORM builds a SELECT's text from the builder's expression map on every execution: selections
 * matched against entity metadata, joins, conditions, then a regular-expression pass that turns
 * property names into column names. On the nested list that was a tenth of the server's CPU
 * (bench profile), for text that is the same on every request of the same shape: parameter values
 * are not part of it (the driver binds them afterwards), only their names are.
 *
 * So `getQuery()` is remembered per data source under a key that spells out every property the
 * expression map holds (parameter values and the data source excepted). A property the key cannot
 * spell — a function that is not an entity class, an object of a class not named here — makes the
 * builder's text uncached: a new TypeORM field or an unusual builder costs speed, never
 * correctness. With `checkQueryTextOnHits` (the test suite turns it on) every hit is compared
 * with a fresh build, so the whole suite checks the key.
 *
 * Parameter names are part of the text, so a builder whose names are unique per call (filters
 * number theirs, because filtered builders are merged into others) is built afresh each time.
 */
import { DataSource, EntityMetadata, SelectQueryBuilder } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { RelationMetadata } from 'typeorm/metadata/RelationMetadata';
import { Alias } from 'typeorm/query-builder/Alias';
import { JoinAttribute } from 'typeorm/query-builder/JoinAttribute';
import { QueryExpressionMap } from 'typeorm/query-builder/QueryExpressionMap';
import { setBounded } from '../bounded';

/** Distinct shapes kept per data source; viewers' predicates are part of the key, so a few per user. */
const MAX_SHAPES = 1000;

/**
 * The expression map's properties that do not shape the text: parameter values are bound later,
 * and the data source keys the cache. (Only the map's own: inside a condition, `parameters` holds
 * the column and parameter names the text is made of.)
 */
const UNSPELLED = new Set(['dataSource', 'parameters', 'nativeParameters']);

const NOTHING_LEFT_OUT: ReadonlySet<string> = new Set();

/**
 * Objects spelled property by property — plain ones and the classes an expression map is made of —
 * with the properties left out of each: a join's back references to its data source and map.
 */
const KINDS = new Map<object | null, { tag: string; leftOut: ReadonlySet<string> }>([
  [Object.prototype, { tag: '{', leftOut: NOTHING_LEFT_OUT }],
  [null, { tag: '{0', leftOut: NOTHING_LEFT_OUT }],
  [Alias.prototype, { tag: '{A', leftOut: NOTHING_LEFT_OUT }],
  [JoinAttribute.prototype, { tag: '{J', leftOut: new Set(['dataSource', 'queryExpressionMap']) }],
]);

class Unspellable extends Error {}

/** Numbers for objects that are compared by identity: metadata (fixed once built) and entity classes. */
const identities = new WeakMap<object, number>();
let nextIdentity = 0;
function identity(value: object): string {
  let id = identities.get(value);
  if (id === undefined) identities.set(value, (id = ++nextIdentity));
  return `#${id}`;
}

/** The value spelled out: self-delimiting, so different structures never give the same string. */
function spell(value: unknown, ds: DataSource): string {
  switch (typeof value) {
    case 'string':
      // Length-prefixed, so no string can pass for a delimiter.
      return `s${value.length}:${value}`;
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'bigint':
      return `${(typeof value)[0]}${String(value)};`;
    case 'function':
      if (!identities.has(value) && !ds.hasMetadata(value)) throw new Unspellable();
      return identity(value);
    case 'object': {
      if (value === null) return 'null;';
      if (Array.isArray(value)) {
        let text = '[';
        for (const item of value) text += spell(item, ds);
        return `${text}]`;
      }
      if (value instanceof EntityMetadata || value instanceof RelationMetadata || value instanceof ColumnMetadata) return identity(value);
      const kind = KINDS.get(Object.getPrototypeOf(value));
      if (kind === undefined) throw new Unspellable();
      let text = kind.tag;
      for (const key of Object.keys(value)) {
        if (!kind.leftOut.has(key)) text += `${key.length}:${key}=${spell((value as Record<string, unknown>)[key], ds)}`;
      }
      return `${text}}`;
    }
    default:
      throw new Unspellable();
  }
}

/** Whether `value` is the fresh expression map's `initial`: the same primitive, or both empty. */
function isInitial(value: unknown, initial: unknown): boolean {
  if (value === initial) return true;
  if (Array.isArray(value)) return value.length === 0 && Array.isArray(initial) && initial.length === 0;
  return (
    typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype && Object.keys(value).length === 0 &&
    typeof initial === 'object' && initial !== null && Object.getPrototypeOf(initial) === Object.prototype && Object.keys(initial).length === 0
  );
}

/**
 * The builder's structure as a string, or null when part of it cannot be spelled. Properties still
 * at a fresh expression map's values are left out (most of them, on any builder): a shorter key is
 * quicker to hash, and a property missing from the key is known to hold its initial value.
 */
function keyOf(qb: SelectQueryBuilder<never>, initial: Remembered['initial']): string | null {
  const map = qb.expressionMap as unknown as Record<string, unknown>;
  try {
    let text = '';
    let initialKeys = 0;
    for (const key of Object.keys(map)) {
      if (UNSPELLED.has(key)) continue;
      const value = map[key];
      if (key in initial) {
        initialKeys++;
        if (isInitial(value, initial[key])) continue;
      }
      text += `${key.length}:${key}=${spell(value, qb.connection)}`;
    }
    // A property of a fresh map that this one lacks would be missing from the key unnoticed.
    return initialKeys === initial[INITIAL_KEYS] ? text : null;
  } catch (error) {
    if (error instanceof Unspellable) return null;
    throw error;
  }
}

const INITIAL_KEYS = Symbol('number of spelled properties');

interface Remembered {
  /** The properties of a fresh expression map on this data source (and their number). */
  initial: Record<string, unknown> & { [INITIAL_KEYS]?: number };
  texts: Map<string, string>;
}
const remembered = new WeakMap<DataSource, Remembered>();

function rememberedOn(ds: DataSource): Remembered {
  let on = remembered.get(ds);
  if (!on) {
    const initial = { ...new QueryExpressionMap(ds) } as Remembered['initial'];
    initial[INITIAL_KEYS] = Object.keys(initial).filter((key) => !UNSPELLED.has(key)).length;
    remembered.set(ds, (on = { initial, texts: new Map() }));
  }
  return on;
}

let checkHits = false;

/** Compare every hit with a fresh build and throw on a difference (for the test suite). */
export function checkQueryTextOnHits(on = true): void {
  checkHits = on;
}

let installed = false;

/** Makes every SelectQueryBuilder's `getQuery()` remember its text (once per process). */
export function rememberQueryTexts(): void {
  if (installed) return;
  installed = true;
  const build = SelectQueryBuilder.prototype.getQuery;
  SelectQueryBuilder.prototype.getQuery = function getQuery(this: SelectQueryBuilder<never>): string {
    const { initial, texts } = rememberedOn(this.connection);
    const key = keyOf(this, initial);
    if (key === null) return build.call(this);
    const known = texts.get(key);
    if (known === undefined) return setBounded(texts, key, build.call(this), MAX_SHAPES);
    if (checkHits) {
      const fresh = build.call(this);
      if (fresh !== known) throw new Error(`Remembered query text differs from a fresh build:\n${known}\n${fresh}`);
    }
    return known;
  };
}
