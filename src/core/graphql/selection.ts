/**
 * Which columns a GraphQL selection reads, so list, nested-list and loader queries fetch only those
 * (a 50-row page with its relations decodes and hydrates a quarter of the values it would with
 * every column).
 *
 * A field that is an entity column reads that column. A field resolver says which columns of its
 * parent row it reads with `@Reads(...)`. Anything else — an undeclared resolver, `viewerCan` (it
 * evaluates rules on the whole row), or a `@Sensitive` field (its guard does too) — reads every
 * column. Primary keys are always read. A row read with a projection throws if code touches a
 * column it did not select (see core/db/read-rows), so a missing declaration fails loudly.
 */
import {
  FieldNode, getNamedType, GraphQLObjectType, GraphQLResolveInfo, isObjectType, Kind, SelectionSetNode,
} from 'graphql';
import { Extensions } from 'type-graphql';
import type { Context } from '../../app/context';
import { isSensitiveField } from '../authz/field-guard';

/** Column property names to select; `undefined` = every column. */
export type ColumnSelection = readonly string[] | undefined;

/** Declares the columns of the parent row a field resolver reads. */
export const Reads = (...columns: string[]): MethodDecorator & PropertyDecorator => Extensions({ reads: columns });

/** The field nodes named `name` in `sets`, through fragment spreads and inline fragments. */
function fieldsNamed(info: GraphQLResolveInfo, sets: readonly SelectionSetNode[], into: Map<string, FieldNode[]>): Map<string, FieldNode[]> {
  for (const set of sets) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const list = into.get(name);
        if (list) list.push(selection);
        else into.set(name, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        fieldsNamed(info, [selection.selectionSet], into);
      } else {
        const fragment = info.fragments[selection.name.value];
        if (fragment) fieldsNamed(info, [fragment.selectionSet], into);
      }
    }
  }
  return into;
}

/** A connection's nodes, under its field. */
const NODES = ['edges', 'node'];

/** Marks a path the selection does not reach. */
const NOT_SELECTED = Symbol('not selected');

/** The object type at `path` under the current field and the fields selected on it (by name), or what stops the walk. */
function fieldsAt(info: GraphQLResolveInfo, path: readonly string[]): { type: GraphQLObjectType; fields: Map<string, FieldNode[]> } | undefined | typeof NOT_SELECTED {
  let type = getNamedType(info.returnType);
  let nodes: readonly FieldNode[] = info.fieldNodes;
  for (const segment of path) {
    if (!isObjectType(type)) return undefined;
    const field = type.getFields()[segment];
    if (!field) return undefined;
    nodes = fieldsNamed(info, nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])), new Map()).get(segment) ?? [];
    if (nodes.length === 0) return NOT_SELECTED;
    type = getNamedType(field.type);
  }
  if (!isObjectType(type)) return undefined;
  return { type, fields: fieldsNamed(info, nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])), new Map()) };
}

/** The fields selected on a connection's nodes (by name, through fragments), with the node type; null if none. */
export function nodeFields(info: GraphQLResolveInfo): { type: GraphQLObjectType; fields: Map<string, FieldNode[]> } | null {
  const at = fieldsAt(info, NODES);
  return at === undefined || at === NOT_SELECTED ? null : at;
}

function compute(ctx: Context, info: GraphQLResolveInfo, entity: Function, path: readonly string[]): ColumnSelection | typeof NOT_SELECTED {
  const at = fieldsAt(info, path);
  if (at === undefined || at === NOT_SELECTED) return at;
  const { type: objectType, fields: requested } = at;
  const columns = new Set(ctx.ds.getMetadata(entity).columns.map((c) => c.propertyName));
  const selected = new Set<string>();
  for (const name of requested.keys()) {
    if (name === '__typename') continue;
    const field = objectType.getFields()[name];
    if (!field) continue; // a field of another type, asked for in a fragment on it
    const reads = field.extensions?.reads as string[] | undefined;
    if (reads) for (const column of reads) selected.add(column);
    else if (columns.has(name) && !isSensitiveField(entity.name, name)) selected.add(name);
    else return undefined;
  }
  return [...selected];
}

// Parsed documents are cached by the server, so the same field nodes mean the same selection; the
// first node alone is not enough (a fragment's node can be merged with different siblings). Looked
// up once per parent row, so without building keys.
interface Entry {
  nodes: readonly FieldNode[];
  entity: Function;
  path: readonly string[];
  columns: ColumnSelection | typeof NOT_SELECTED;
}
const cache = new WeakMap<FieldNode, Entry[]>();

const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function cachedSelection(ctx: Context, info: GraphQLResolveInfo, entity: Function, path: readonly string[]): ColumnSelection | typeof NOT_SELECTED {
  let entries = cache.get(info.fieldNodes[0]);
  if (!entries) cache.set(info.fieldNodes[0], (entries = []));
  for (const e of entries) if (e.entity === entity && sameList(e.path, path) && sameList(e.nodes, info.fieldNodes)) return e.columns;
  const entry: Entry = { nodes: [...info.fieldNodes], entity, path: [...path], columns: compute(ctx, info, entity, path) };
  entries.push(entry);
  return entry.columns;
}

/**
 * The columns of `entity` that the selection at `path` under the current field reads:
 * `[]` for the row the field returns, `['edges', 'node']` for a connection's nodes.
 */
export function columnsSelected(ctx: Context, info: GraphQLResolveInfo, entity: Function, path: readonly string[] = []): ColumnSelection {
  const columns = cachedSelection(ctx, info, entity, path);
  return columns === NOT_SELECTED ? [] : columns;
}

/** Whether a connection's nodes ask for the to-one relation `field` (of `entity`), and if so which of its columns. */
export function nodeRelation(ctx: Context, info: GraphQLResolveInfo, field: string, entity: Function): { columns: ColumnSelection } | null {
  const columns = cachedSelection(ctx, info, entity, ['edges', 'node', field]);
  return columns === NOT_SELECTED ? null : { columns };
}

const keys = new WeakMap<readonly string[], string>();

/** A short key naming a column selection, for loader names (selections are cached, so this is too). */
export function columnsKey(columns: ColumnSelection): string {
  if (!columns) return '*';
  let key = keys.get(columns);
  if (key === undefined) keys.set(columns, (key = columns.join(',')));
  return key;
}

/** The columns of `entity` that a connection's `edges { node { … } }` selection reads. */
export const nodeColumns = (ctx: Context, info: GraphQLResolveInfo, entity: Function): ColumnSelection => columnsSelected(ctx, info, entity, NODES);
