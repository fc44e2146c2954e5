/**
 * Administering the org tree: create, rename, move, close. The tree is data and scopes are its
 * subtrees ("${scope.subtree}" is read from `org_units.path`), so every change bumps the
 * authorization version in its transaction and is audited. Moving a unit rewrites the materialised
 * path of its whole subtree in one statement; closing sets `validTo` and keeps the unit, its
 * history and its records where they are (scopes above it still cover them). Units are never deleted.
 */
import { EntityManager } from 'typeorm';
import type { Context } from '../../app/context';
import { badInput, conflict, notFound } from '../../core/errors';
import { idOfTypeOrThrow } from '../../core/graphql/global-id';
import { patternOrThrow, textOrThrow } from '../../core/validation';
import { adminCreateOrThrow, adminUpdateOrThrow, isUniqueViolation } from '../admin/admin-write';
import { CloseOrgUnitInput, CreateOrgUnitInput, MoveOrgUnitInput, RenameOrgUnitInput } from './org-admin.inputs';
import { loadOrgUnit } from './org.service';
import { OrgUnit, OrgUnitKind } from './org-unit.entity';
import { managerOf } from '../../core/db/transaction';

const CODE = /^[A-Z0-9][A-Z0-9-]{1,31}$/;
const REGION_CODE = /^\d{6}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Where each kind of unit may sit (DESIGN.md §2): counties and city-run parks under the city,
 * county-run parks under their county; departments under the city, a county or a park (a park
 * management committee's own bureaus), so a moved park takes its departments along.
 */
const PARENT_KINDS: Record<OrgUnitKind, OrgUnitKind[]> = {
  [OrgUnitKind.CITY]: [],
  [OrgUnitKind.COUNTY]: [OrgUnitKind.CITY],
  [OrgUnitKind.CITY_PARK]: [OrgUnitKind.CITY],
  [OrgUnitKind.COUNTY_PARK]: [OrgUnitKind.COUNTY],
  [OrgUnitKind.DEPARTMENT]: [OrgUnitKind.CITY, OrgUnitKind.COUNTY, OrgUnitKind.CITY_PARK, OrgUnitKind.COUNTY_PARK],
};

const today = () => new Date().toISOString().slice(0, 10);
const isOpen = (unit: OrgUnit, on = today()) => unit.validTo === null || unit.validTo >= on;
const orgAudit = { scopeKeys: (u: OrgUnit) => ({ territoryId: u.id }) };

function dateOrThrow(field: string, value: string): string {
  const text = value.trim();
  const parsed = DATE.test(text) ? new Date(`${text}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== text) {
    throw badInput(field, `${field} must be a date "YYYY-MM-DD"`);
  }
  return text;
}

function placementOrThrow(kind: OrgUnitKind, parent: OrgUnit, field: string): void {
  const allowed = PARENT_KINDS[kind];
  if (allowed.length === 0) throw badInput('kind', 'There is one city: the root of the tree cannot be created or moved');
  if (!allowed.includes(parent.kind)) {
    throw badInput(field, `A ${kind} unit belongs under ${allowed.join(' or ')}, not under ${parent.kind} ${parent.name}`);
  }
  if (!isOpen(parent)) throw badInput(field, `${parent.name} was closed on ${parent.validTo}`);
}

async function visibleUnitOrThrow(ctx: Context, globalId: string, field: string): Promise<OrgUnit> {
  const unit = await loadOrgUnit(ctx, idOfTypeOrThrow(globalId, 'OrgUnit', field));
  if (!unit) throw notFound('OrgUnit', globalId);
  return unit;
}

export async function createOrgUnit(ctx: Context, input: CreateOrgUnitInput): Promise<OrgUnit> {
  const code = patternOrThrow('code', input.code.toUpperCase(), CODE, 'upper-case letters, digits and "-" (2–32)');
  const name = textOrThrow('name', input.name, 100);
  const nameEn = textOrThrow('nameEn', input.nameEn, 200);
  const parent = await visibleUnitOrThrow(ctx, input.parentId, 'parentId');
  placementOrThrow(input.kind, parent, 'parentId');
  const isPark = input.kind === OrgUnitKind.CITY_PARK || input.kind === OrgUnitKind.COUNTY_PARK;
  if (input.regionCode && input.kind !== OrgUnitKind.COUNTY) throw badInput('regionCode', 'Only counties have a region code');
  if (input.departmentType && input.kind !== OrgUnitKind.DEPARTMENT) throw badInput('departmentType', 'Only departments have a department type');
  if (input.parkLevel && !isPark) throw badInput('parkLevel', 'Only parks have a park level');
  const values: Partial<OrgUnit> = {
    code,
    name,
    nameEn,
    kind: input.kind,
    parentId: parent.id,
    path: '',
    regionCode: input.regionCode ? patternOrThrow('regionCode', input.regionCode, REGION_CODE, 'six digits (GB/T 2260)') : null,
    departmentType: input.departmentType ?? null,
    parkLevel: input.parkLevel ?? null,
    validFrom: input.validFrom ? dateOrThrow('validFrom', input.validFrom) : null,
    validTo: null,
  };
  const taken = () => conflict(`An org unit with code "${code}" already exists`, { field: 'code' });
  // Codes are unique across the tree, so the check looks past the viewer's scope on purpose.
  if (await managerOf(ctx).existsBy(OrgUnit, { code })) throw taken();
  try {
    return await adminCreateOrThrow(ctx, OrgUnit, values, {
      ...orgAudit,
      // The path ends with the unit's own id, known once it is inserted; the parent's is re-read inside the transaction.
      afterInsert: async (row, m) => {
        const current = await m.findOneByOrFail(OrgUnit, { id: parent.id });
        await m.update(OrgUnit, row.id, { path: `${current.path}${row.id}/` });
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

export async function renameOrgUnit(ctx: Context, input: RenameOrgUnitInput): Promise<OrgUnit> {
  const id = idOfTypeOrThrow(input.id, 'OrgUnit');
  const changes: Partial<OrgUnit> = {};
  if (input.name !== undefined && input.name !== null) changes.name = textOrThrow('name', input.name, 100);
  if (input.nameEn !== undefined && input.nameEn !== null) changes.nameEn = textOrThrow('nameEn', input.nameEn, 200);
  if (Object.keys(changes).length === 0) throw badInput('name', 'Give a new name or nameEn');
  return adminUpdateOrThrow(ctx, OrgUnit, id, input.expectedVersion, changes, { ...orgAudit, auditAction: 'rename' });
}

export async function moveOrgUnit(ctx: Context, input: MoveOrgUnitInput): Promise<OrgUnit> {
  const id = idOfTypeOrThrow(input.id, 'OrgUnit');
  const target = await visibleUnitOrThrow(ctx, input.parentId, 'parentId');
  let descendantsMoved = 0;
  return adminUpdateOrThrow(
    ctx,
    OrgUnit,
    id,
    input.expectedVersion,
    async (unit, m) => {
      const parent = await m.findOneByOrFail(OrgUnit, { id: target.id });
      if (unit.parentId === null) throw badInput('id', 'The root of the tree cannot be moved');
      if (parent.path.startsWith(unit.path)) throw badInput('parentId', 'A unit cannot be moved under itself or a unit below it');
      if (parent.id === unit.parentId) throw badInput('parentId', `${unit.name} is already under ${parent.name}`);
      placementOrThrow(unit.kind, parent, 'parentId');
      return { parentId: parent.id, path: `${parent.path}${unit.id}/` };
    },
    {
      ...orgAudit,
      auditAction: 'move',
      afterWrite: async (before, after, m) => {
        descendantsMoved = await rewriteSubtreePaths(m, before, after.path);
      },
      auditExtra: () => ({ after: { descendantsMoved } }),
    },
  );
}

/** Gives every unit below `unit` the new path prefix, in one statement; returns how many. */
async function rewriteSubtreePaths(m: EntityManager, unit: OrgUnit, newPath: string): Promise<number> {
  const result = await m
    .createQueryBuilder()
    .update(OrgUnit)
    .set({ path: () => 'CONCAT(:newPrefix, SUBSTR(path, :cut))', version: () => 'version + 1' })
    .where('path LIKE :oldPrefix AND id <> :movedId')
    .setParameters({ newPrefix: newPath, cut: unit.path.length + 1, oldPrefix: `${unit.path}%`, movedId: unit.id })
    .execute();
  return result.affected ?? 0;
}

export async function closeOrgUnit(ctx: Context, input: CloseOrgUnitInput): Promise<OrgUnit> {
  const id = idOfTypeOrThrow(input.id, 'OrgUnit');
  const validTo = dateOrThrow('validTo', input.validTo);
  return adminUpdateOrThrow(ctx, OrgUnit, id, input.expectedVersion, { validTo }, {
    ...orgAudit,
    auditAction: 'close',
    validate: async (unit, m) => {
      if (unit.parentId === null) throw badInput('id', 'The root of the tree cannot be closed');
      if (unit.validFrom !== null && validTo < unit.validFrom) throw badInput('validTo', `validTo is before the unit's validFrom (${unit.validFrom})`);
      const open = await m
        .createQueryBuilder(OrgUnit, 'u')
        .where('u.path LIKE :prefix AND u.id <> :id', { prefix: `${unit.path}%`, id: unit.id })
        .andWhere('(u.validTo IS NULL OR u.validTo > :validTo)', { validTo })
        .getCount();
      if (open > 0) throw conflict(`${open} unit${open === 1 ? '' : 's'} below ${unit.name} would still be open; close or move ${open === 1 ? 'it' : 'them'} first`, { openUnits: open });
    },
  });
}
