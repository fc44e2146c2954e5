/** Enterprises: scoped lists and lookups, and create/update through the scoped write path. */
import type { Context } from '../../app/context';
import { toFlags } from '../../core/db/columns';
import { whereFlagsAny, whereInSubtree, whereTextMatches } from '../../core/db/filters';
import type { JoinedToOne } from '../../core/db/read-rows';
import { joinedRow, scopedQuery, scopedToOne } from '../../core/db/scoped';
import { createScopedOrThrow, updateScopedOrThrow } from '../../core/db/scoped-write';
import { badInput, conflict, notFound } from '../../core/errors';
import { ConnectionShape, paginate, SortKey } from '../../core/graphql/connection';
import { idOfTypeOrThrow } from '../../core/graphql/global-id';
import { loadById } from '../../core/graphql/loaders';
import { nodeLoaders } from '../../core/graphql/node';
import { OrderDirection } from '../../core/graphql/ordering';
import type { ColumnSelection } from '../../core/graphql/selection';
import { optionalTextOrThrow, patternOrThrow, textOrThrow } from '../../core/validation';
import { territoryIdOrThrow } from '../org/org.service';
import { isValidCreditCode } from './credit-code';
import { CreateEnterpriseInput, EnterpriseFilter, EnterpriseOrderField, EnterprisesArgs, UpdateEnterpriseInput } from './enterprise.inputs';
import { ENTERPRISE_TAGS, Enterprise } from './enterprise.entity';
import { managerOf } from '../../core/db/transaction';

const INDUSTRY_CODE = /^[A-T](\d{2,4})?$/;
const PHONE = /^[0-9+() -]{5,32}$/;

export const enterpriseQuery = (ctx: Context) => scopedQuery(ctx, Enterprise, 'e');

export function applyEnterpriseFilter(ctx: Context, qb: ReturnType<typeof enterpriseQuery>, filter: EnterpriseFilter | null | undefined): void {
  if (!filter) return;
  if (filter.territoryId) whereInSubtree(qb, 'e.territoryId', idOfTypeOrThrow(filter.territoryId, 'OrgUnit', 'filter.territoryId'));
  if (filter.industryCodePrefix) {
    const prefix = patternOrThrow('filter.industryCodePrefix', filter.industryCodePrefix.toUpperCase(), /^[A-T]\d{0,4}$/, 'an industry code prefix like C26');
    qb.andWhere('e.industryCode LIKE :industryPrefix', { industryPrefix: `${prefix}%` });
  }
  if (filter.tags?.length) whereFlagsAny(qb, 'e.tagFlags', toFlags(filter.tags, ENTERPRISE_TAGS));
  if (filter.scale) qb.andWhere('e.scale = :scale', { scale: filter.scale });
  if (filter.search) whereTextMatches(qb, 'filter.search', filter.search, { contains: ['e.name'], prefix: ['e.creditCode'] });
}

const SORTS: Record<EnterpriseOrderField, Omit<SortKey<Enterprise>, 'direction'>> = {
  ID: { column: 'e.id', valueOf: (e) => e.id },
  NAME: { column: 'e.name', valueOf: (e) => e.name },
  CREDIT_CODE: { column: 'e.creditCode', valueOf: (e) => e.creditCode },
};

export function listEnterprises(ctx: Context, args: EnterprisesArgs, columns?: ColumnSelection): Promise<ConnectionShape<Enterprise>> {
  const qb = enterpriseQuery(ctx);
  applyEnterpriseFilter(ctx, qb, args.filter);
  const order = args.orderBy ?? { field: EnterpriseOrderField.ID, direction: OrderDirection.ASC };
  return paginate(qb, args, { ...SORTS[order.field], direction: order.direction }, 'e.id', columns);
}

/** The enterprise with `id` if the viewer may see it (only `columns` of it, when given). */
export function loadEnterprise(ctx: Context, id: number, columns?: ColumnSelection): Promise<Enterprise | null> {
  return loadById(ctx.loaders, 'Enterprise', () => enterpriseQuery(ctx), id, columns);
}

/**
 * The enterprise of each row a query reads (its `foreignKey`), joined into that query as `alias`
 * with the enterprise read rules, so resolving `enterprise` costs no further statement
 * (`enterpriseOf`).
 */
export function joinEnterprise(ctx: Context, alias: string, foreignKey: string, columns: ColumnSelection): JoinedToOne {
  return scopedToOne(ctx, Enterprise, alias, foreignKey, columns);
}

/** The enterprise of `row` (by `row[foreignKey]`): as joined into the query that read `row`, else loaded. */
export function enterpriseOf<R extends object>(
  ctx: Context,
  row: R,
  foreignKey: keyof R & string,
  columns: ColumnSelection,
): Enterprise | null | Promise<Enterprise | null> {
  const joined = joinedRow<Enterprise>(row, foreignKey, columns);
  if (joined !== undefined) return joined;
  const id = row[foreignKey] as number | null;
  return id === null ? null : loadEnterprise(ctx, id, columns);
}
nodeLoaders.set('Enterprise', loadEnterprise);

export async function getEnterpriseOrThrow(ctx: Context, globalId: string, field = 'id'): Promise<Enterprise> {
  const enterprise = await loadEnterprise(ctx, idOfTypeOrThrow(globalId, 'Enterprise', field));
  if (!enterprise) throw notFound('Enterprise', globalId);
  return enterprise;
}

function creditCodeOrThrow(value: string): string {
  const code = value.trim().toUpperCase();
  if (!isValidCreditCode(code)) throw badInput('creditCode', 'creditCode is not a valid unified social credit code (18 characters with a matching check character)');
  return code;
}

/** Validated column values for the given input fields (create: all; update: those present). */
async function enterpriseValues(ctx: Context, input: CreateEnterpriseInput | UpdateEnterpriseInput): Promise<Partial<Enterprise>> {
  const values: Partial<Enterprise> = {};
  if (input.name !== undefined && input.name !== null) values.name = textOrThrow('name', input.name, 200);
  if (input.industryCode !== undefined && input.industryCode !== null) {
    values.industryCode = patternOrThrow('industryCode', input.industryCode.toUpperCase(), INDUSTRY_CODE, 'a GB/T 4754 code like C2614');
  }
  if (input.territoryId) values.territoryId = await territoryIdOrThrow(ctx, input.territoryId, 'territoryId');
  if (input.scale) values.scale = input.scale;
  if (input.tags) values.tagFlags = toFlags(input.tags, ENTERPRISE_TAGS);
  if (input.address !== undefined) values.address = optionalTextOrThrow('address', input.address, 300);
  if (input.contactName !== undefined) values.contactName = optionalTextOrThrow('contactName', input.contactName, 50);
  if (input.contactPhone !== undefined && input.contactPhone !== null && input.contactPhone.trim() !== '') {
    values.contactPhone = patternOrThrow('contactPhone', input.contactPhone, PHONE, 'a phone number');
  } else if (input.contactPhone !== undefined) values.contactPhone = null;
  return values;
}

export async function createEnterprise(ctx: Context, input: CreateEnterpriseInput): Promise<Enterprise> {
  const creditCode = creditCodeOrThrow(input.creditCode);
  const values = await enterpriseValues(ctx, input);
  // Credit codes are unique city-wide, so the check looks past the viewer's scope on purpose.
  if (await managerOf(ctx).existsBy(Enterprise, { creditCode })) {
    throw conflict('An enterprise with this credit code is already registered', { field: 'creditCode' });
  }
  return createScopedOrThrow(ctx, Enterprise, { ...values, creditCode, tagFlags: values.tagFlags ?? 0 });
}

export async function updateEnterprise(ctx: Context, input: UpdateEnterpriseInput): Promise<Enterprise> {
  const id = idOfTypeOrThrow(input.id, 'Enterprise');
  const changes = await enterpriseValues(ctx, input);
  return updateScopedOrThrow(ctx, Enterprise, id, input.expectedVersion, changes);
}
