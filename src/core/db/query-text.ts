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

/** Properties that do not shape the text: values are bound later, the data source keys the cache. */
const UNSPELLED = new Set(['dataSource', 'parameters', 'nativeParameters', 'queryExpressionMap']);

/** Objects spelled property by property: plain ones and the classes an expression map is made of. */
const TAGS = new Map<object | null, string>([
  [Object.prototype, '{'],
  [null, '{0'],
  [QueryExpressionMap.prototype, '{M'],
  [Alias.prototype, '{A'],
  [JoinAttribute.prototype, '{J'],
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

function spell(value: unknown, ds: DataSource, out: string[]): void {
  switch (typeof value) {
    case 'string':
      // Length-prefixed, so no string can pass for a delimiter.
      out.push(`s${value.length}:`, value);
      return;
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'bigint':
      out.push(`${(typeof value)[0]}${String(value)};`);
      return;
    case 'function':
      if (!ds.hasMetadata(value)) throw new Unspellable();
      out.push(identity(value));
      return;
    case 'object':
      if (value === null) {
        out.push('null;');
      } else if (Array.isArray(value)) {
        out.push('[');
        for (const item of value) spell(item, ds, out);
        out.push(']');
      } else if (value instanceof EntityMetadata || value instanceof RelationMetadata || value instanceof ColumnMetadata) {
        out.push(identity(value));
      } else {
        const tag = TAGS.get(Object.getPrototypeOf(value));
        if (tag === undefined) throw new Unspellable();
        out.push(tag);
        for (const key of Object.keys(value)) {
          if (UNSPELLED.has(key)) continue;
          out.push(`${key}=`);
          spell((value as Record<string, unknown>)[key], ds, out);
        }
        out.push('}');
      }
      return;
    default:
      throw new Unspellable();
  }
}

/** The builder's structure as a string, or null when part of it cannot be spelled. */
function keyOf(qb: SelectQueryBuilder<never>): string | null {
  const out: string[] = [];
  try {
    spell(qb.expressionMap, qb.connection, out);
  } catch (error) {
    if (error instanceof Unspellable) return null;
    throw error;
  }
  return out.join('');
}

const texts = new WeakMap<DataSource, Map<string, string>>();
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
    const key = keyOf(this);
    if (key === null) return build.call(this);
    let byKey = texts.get(this.connection);
    if (!byKey) texts.set(this.connection, (byKey = new Map()));
    const known = byKey.get(key);
    if (known === undefined) return setBounded(byKey, key, build.call(this), MAX_SHAPES);
    if (checkHits) {
      const fresh = build.call(this);
      if (fresh !== known) throw new Error(`Remembered query text differs from a fresh build:\n${known}\n${fresh}`);
    }
    return known;
  };
}
