/**
 * Relay connections: generic GraphQL types and keyset pagination over a TypeORM query builder.
 * Ordering is always (sort column, id), so pages are stable under inserts and ties.
 * `totalCount` is a separate COUNT over the same (scoped) query, run only when asked for.
 */
import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { JoinedToOne, readRows } from '../db/read-rows';
import { badInput } from '../errors';
import type { ColumnSelection } from './selection';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size from the start (at most ${MAX_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Page size from the end (at most ${MAX_PAGE_SIZE}).` })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;
}

/**
 * Fields whose values are never promises, per object type (`'all'` for every field), so they may
 * be read inline (app/direct-resolvers): edges, page info, and a connection's edges and page info —
 * not its `totalCount`, which is a promise.
 */
export const syncFields = new Map<Function, ReadonlySet<string> | 'all'>();

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field()
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}
syncFields.set(PageInfo, 'all');

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: Promise<number> | number;
}

const connectionTypes = new Map<Function, ClassType>();

/** `XConnection` / `XEdge` types for node type X (created once per type). */
export function Connection<T extends object>(nodeType: ClassType<T>): ClassType<ConnectionShape<T>> {
  const existing = connectionTypes.get(nodeType);
  if (existing) return existing as ClassType<ConnectionShape<T>>;

  @ObjectType(`${nodeType.name}Edge`)
  class EdgeType {
    @Field()
    cursor: string;

    @Field(() => nodeType)
    node: T;
  }

  @ObjectType(`${nodeType.name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType])
    edges: EdgeType[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'All matching records the viewer may see, across pages.' })
    totalCount: number;
  }

  connectionTypes.set(nodeType, ConnectionType);
  syncFields.set(EdgeType, 'all');
  syncFields.set(ConnectionType, new Set(['edges', 'pageInfo']));
  return ConnectionType as unknown as ClassType<ConnectionShape<T>>;
}

export interface SortKey<T> {
  /** SQL expression of the sort column, e.g. "p.name". Must be non-null. */
  column: string;
  direction: 'ASC' | 'DESC';
  /** The row's value for that column, as stored (string or number). */
  valueOf: (row: T) => string | number;
}

type CursorValue = string | number;

/** An edge whose cursor is encoded only if a client asks for it (a class: no closures per edge). */
class LazyEdge<T extends { id: number }> implements Edge<T> {
  constructor(
    readonly node: T,
    private readonly sort: SortKey<T>,
  ) {}

  get cursor(): string {
    return encodeCursor(this.sort.valueOf(this.node), this.node.id);
  }
}

export function edgeOf<T extends { id: number }>(node: T, sort: SortKey<T>): Edge<T> {
  return new LazyEdge(node, sort);
}

/** Page info whose cursors, like the edges', are encoded only if a client asks for them. */
class LazyPageInfo<T> implements PageInfo {
  constructor(
    private readonly edges: Edge<T>[],
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
  ) {}

  get startCursor(): string | null {
    return this.edges.length ? this.edges[0].cursor : null;
  }

  get endCursor(): string | null {
    return this.edges.length ? this.edges[this.edges.length - 1].cursor : null;
  }
}

export function pageInfoOf<T>(edges: Edge<T>[], hasNextPage: boolean, hasPreviousPage: boolean): PageInfo {
  return new LazyPageInfo(edges, hasNextPage, hasPreviousPage);
}

export function encodeCursor(value: CursorValue, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeCursorOrThrow(cursor: string, field: string): [CursorValue, number] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && ['string', 'number'].includes(typeof parsed[0]) && Number.isInteger(parsed[1])) {
      return parsed as [CursorValue, number];
    }
  } catch {
    /* fall through */
  }
  throw badInput(field, `${field} is not a cursor returned by this connection`);
}

function pageSizeOrThrow(field: string, value: number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw badInput(field, `${field} must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return value;
}

/** The columns a page reads: those selected plus the sort column its cursors encode. */
export function withSortColumn<T>(columns: ColumnSelection, sort: SortKey<T>): ColumnSelection {
  return columns && [...columns, sort.column.slice(sort.column.indexOf('.') + 1)];
}

/**
 * Runs one page of `qb` (already scoped and filtered; `idColumn` is its primary key expression).
 * Issues one SELECT for the page (of `columns` only, when given, with to-one relations `joins`
 * joined into it); COUNT only if `totalCount` is read.
 */
export async function paginate<T extends ObjectLiteral & { id: number }>(
  qb: SelectQueryBuilder<T>,
  args: PageArgs,
  sort: SortKey<T>,
  idColumn: string,
  columns?: ColumnSelection,
  joins: readonly JoinedToOne[] = [],
): Promise<ConnectionShape<T>> {
  const first = pageSizeOrThrow('first', args.first);
  const last = pageSizeOrThrow('last', args.last);
  if (first !== undefined && last !== undefined) throw badInput('last', 'Pass either first or last, not both');
  const backwards = last !== undefined;
  const size = first ?? last ?? DEFAULT_PAGE_SIZE;

  // `qb` itself stays unbounded for the count; only the page gets cursor bounds and a limit.
  const page = qb.clone();
  // Fixed parameter names (the page is never merged into another query), so a page after a
  // cursor has the same SQL text every time and core/db/query-text remembers it.
  const applyBound = (cursor: string, field: 'after' | 'before', greater: boolean) => {
    const [value, id] = decodeCursorOrThrow(cursor, field);
    const v = `${field}CursorValue`;
    const i = `${field}CursorId`;
    const op = greater ? '>' : '<';
    page.andWhere(`(${sort.column} ${op} :${v} OR (${sort.column} = :${v} AND ${idColumn} ${op} :${i}))`, { [v]: value, [i]: id });
  };
  const ascending = sort.direction === 'ASC';
  if (args.after) applyBound(args.after, 'after', ascending);
  if (args.before) applyBound(args.before, 'before', !ascending);

  // Walking backwards reads the reversed order and flips the page afterwards.
  const direction = backwards ? (ascending ? 'DESC' : 'ASC') : sort.direction;
  page.orderBy(sort.column, direction).addOrderBy(idColumn, direction).take(undefined).limit(size + 1);
  const rows = size === 0 ? [] : await readRows(page, withSortColumn(columns, sort), joins);
  const more = rows.length > size;
  const nodes = rows.slice(0, size);
  if (backwards) nodes.reverse();

  const edges = nodes.map((node) => edgeOf(node, sort));
  let total: Promise<number> | undefined;
  return {
    edges,
    pageInfo: pageInfoOf(edges, backwards ? Boolean(args.before) : more, backwards ? more : Boolean(args.after)),
    get totalCount() {
      total ??= qb.orderBy().getCount();
      return total;
    },
  };
}
