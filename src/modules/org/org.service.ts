/** Reading the org tree, through the scoped path like every other record (built-in roles may all read it). */
import { Brackets } from 'typeorm';
import type { Context } from '../../app/context';
import { readRows } from '../../core/db/read-rows';
import { ConnectionShape, paginate } from '../../core/graphql/connection';
import { idOfTypeOrThrow } from '../../core/graphql/global-id';
import { groupByKey, loadById, loaderFor } from '../../core/graphql/loaders';
import { scopedQuery } from '../../core/db/scoped';
import { badInput, notFound } from '../../core/errors';
import { nodeLoaders } from '../../core/graphql/node';
import { OrgUnitsArgs } from './org.inputs';
import { OrgUnit, OrgUnitKind } from './org-unit.entity';

const today = () => new Date().toISOString().slice(0, 10);

const orgUnitQuery = (ctx: Context) => scopedQuery(ctx, OrgUnit, 'u');

export async function listOrgUnits(ctx: Context, args: OrgUnitsArgs): Promise<ConnectionShape<OrgUnit>> {
  const f = args.filter ?? {};
  const qb = orgUnitQuery(ctx);
  if (f.kinds?.length) qb.andWhere('u.kind IN (:...kinds)', { kinds: f.kinds });
  if (f.parentId) qb.andWhere('u.parentId = :parentId', { parentId: idOfTypeOrThrow(f.parentId, 'OrgUnit', 'filter.parentId') });
  if (f.withinId) {
    const root = await orgUnitQuery(ctx).andWhere('u.id = :id', { id: idOfTypeOrThrow(f.withinId, 'OrgUnit', 'filter.withinId') }).getOne();
    if (!root) throw notFound('OrgUnit', f.withinId);
    qb.andWhere('u.path LIKE :prefix', { prefix: `${root.path}%` });
  }
  if (!f.includeClosed) {
    qb.andWhere(new Brackets((w) => w.where('u.validTo IS NULL').orWhere('u.validTo >= :today', { today: today() })));
  }
  return paginate(qb, args, { column: 'u.path', direction: 'ASC', valueOf: (u) => u.path }, 'u.id');
}

export async function getOrgUnitOrThrow(ctx: Context, globalId: string): Promise<OrgUnit> {
  const unit = await loadOrgUnit(ctx, idOfTypeOrThrow(globalId, 'OrgUnit'));
  if (!unit) throw notFound('OrgUnit', globalId);
  return unit;
}

export function loadOrgUnit(ctx: Context, id: number): Promise<OrgUnit | null> {
  return loadById(ctx.loaders, 'OrgUnit', () => orgUnitQuery(ctx), id);
}

export function loadOrgUnitChildren(ctx: Context, parentId: number): Promise<OrgUnit[]> {
  return loaderFor<number, OrgUnit[]>(ctx.loaders, 'OrgUnit.children', async (ids) =>
    groupByKey(ids, await readRows(orgUnitQuery(ctx).andWhere('u.parentId IN (:...ids)', { ids }).orderBy('u.path')), (u) => u.parentId!),
  ).load(parentId);
}

nodeLoaders.set('OrgUnit', loadOrgUnit);

const TERRITORY_KINDS: OrgUnitKind[] = [OrgUnitKind.COUNTY, OrgUnitKind.CITY_PARK, OrgUnitKind.COUNTY_PARK];

/** Decodes a territory argument: it must name a county or park the viewer can see. */
export async function territoryIdOrThrow(ctx: Context, globalId: string, field: string): Promise<number> {
  const unit = await loadOrgUnit(ctx, idOfTypeOrThrow(globalId, 'OrgUnit', field));
  if (!unit || !TERRITORY_KINDS.includes(unit.kind)) throw badInput(field, `${field} must be a county or park`);
  return unit.id;
}

/** Decodes a park argument: a city- or county-run park. */
export async function parkIdOrThrow(ctx: Context, globalId: string, field: string): Promise<number> {
  const unit = await loadOrgUnit(ctx, idOfTypeOrThrow(globalId, 'OrgUnit', field));
  if (!unit || (unit.kind !== OrgUnitKind.CITY_PARK && unit.kind !== OrgUnitKind.COUNTY_PARK)) throw badInput(field, `${field} must be a park`);
  return unit.id;
}
