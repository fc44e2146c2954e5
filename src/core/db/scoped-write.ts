/**
 * The scoped write path. Every create and update runs in one transaction that
 *   1. checks the row as it is (invisible → NOT_FOUND, stale version → CONFLICT, not allowed → FORBIDDEN),
 *   2. checks each changed field against field rules (rules with `fields`),
 *   3. writes with `version = version + 1 WHERE version = expected` (a concurrent writer → CONFLICT),
 *   4. checks the row as it now is with the same SQL predicate (so nobody moves a row out of their scope),
 *   5. writes the audit event.
 * Any failure rolls the whole transaction back.
 */
import { EntityManager, ObjectLiteral } from 'typeorm';
import type { Context } from '../../app/context';
import { recordAudit } from '../../modules/audit/audit.service';
import { conflict, forbidden, notFound } from '../errors';
import { toGlobalId } from '../graphql/global-id';
import { canOnRow, scopedQuery } from './scoped';

type Entity = ObjectLiteral & { id: number; version: number };
type EntityClass<T> = { new (): T; name: string };

export interface ScopeKeys {
  territoryId?: number | null;
  enterpriseId?: number | null;
}

const scopeKeysOf = (row: ObjectLiteral): ScopeKeys => ({
  territoryId: row.territoryId ?? null,
  enterpriseId: row.enterpriseId ?? (row.constructor?.name === 'Enterprise' ? row.id : null),
});

/** Loads a row the viewer may read, inside `m`, or throws NOT_FOUND. */
export async function loadVisibleOrThrow<T extends Entity>(ctx: Context, m: EntityManager, entity: EntityClass<T>, id: number): Promise<T> {
  const row = await scopedQuery(ctx, entity, 'r', 'read', m).andWhere('r.id = :id', { id }).getOne();
  if (!row) throw notFound(entity.name, toGlobalId(entity.name, id));
  return row;
}

export function assertVersion(row: Entity, expectedVersion: number): void {
  if (row.version !== expectedVersion) {
    throw conflict(`This record was changed by someone else (version ${row.version}, you sent ${expectedVersion}); reload and retry`, {
      currentVersion: row.version,
    });
  }
}

export async function assertCanOnRow<T extends Entity>(ctx: Context, m: EntityManager, entity: EntityClass<T>, id: number, action: string, when: string): Promise<void> {
  if (!(await canOnRow(ctx, entity, id, action, m))) throw forbidden(`Your roles do not allow ${action} on this ${entity.name} ${when}`);
}

/** Writes `changes` if the row still has `expectedVersion`; returns the row as stored afterwards. */
export async function writeVersionedOrThrow<T extends Entity>(
  m: EntityManager,
  entity: EntityClass<T>,
  row: T,
  changes: Partial<T>,
): Promise<T> {
  const result = await m
    .createQueryBuilder()
    .update(entity)
    .set({ ...changes, version: () => 'version + 1' } as never)
    .where('id = :id AND version = :version', { id: row.id, version: row.version })
    .execute();
  if (!result.affected) throw conflict('This record was changed by someone else; reload and retry');
  return m.findOneByOrFail(entity, { id: row.id } as never);
}

export interface UpdateOptions<T> {
  action?: string;
  /** Extra checks on the row as loaded, before anything is written. */
  validate?: (row: T, m: EntityManager) => Promise<void> | void;
  /** Further writes in the same transaction (e.g. carrying scope keys to child records). */
  afterWrite?: (before: T, after: T, m: EntityManager) => Promise<void>;
}

export async function updateScopedOrThrow<T extends Entity>(
  ctx: Context,
  entity: EntityClass<T>,
  id: number,
  expectedVersion: number,
  changes: Partial<T>,
  options: UpdateOptions<T> = {},
): Promise<T> {
  const action = options.action ?? 'update';
  return ctx.ds.transaction(async (m) => {
    const before = await loadVisibleOrThrow(ctx, m, entity, id);
    assertVersion(before, expectedVersion);
    await assertCanOnRow(ctx, m, entity, id, action, 'as it is');
    // Field rules are decided on the loaded row (their conditions use only its own columns).
    if (ctx.viewer!.permissions.restrictsFields(entity.name, action)) {
      for (const field of Object.keys(changes)) {
        if (!ctx.viewer!.permissions.can(action, entity.name, before, field)) {
          throw forbidden(`Your roles do not allow changing ${field} of this ${entity.name}`);
        }
      }
    }
    await options.validate?.(before, m);
    const after = await writeVersionedOrThrow(m, entity, before, changes);
    await assertCanOnRow(ctx, m, entity, id, action, 'as it would be after this change');
    await options.afterWrite?.(before, after, m);
    await recordAudit(m, ctx, { action, subjectType: entity.name, recordId: id, before, after, ...scopeKeysOf(after) });
    return after;
  });
}

/** Inserts a row, then requires the viewer's `create` rules to cover it as stored. */
export async function createScopedOrThrow<T extends Entity>(
  ctx: Context,
  entity: EntityClass<T>,
  values: Partial<T>,
  afterInsert?: (row: T, m: EntityManager) => Promise<void>,
): Promise<T> {
  return ctx.ds.transaction(async (m) => {
    const inserted = await m.save(m.create(entity, values as never) as T);
    await assertCanOnRow(ctx, m, entity, inserted.id, 'create', 'in this scope');
    await afterInsert?.(inserted, m);
    const row = await m.findOneByOrFail(entity, { id: inserted.id } as never);
    await recordAudit(m, ctx, { action: 'create', subjectType: entity.name, recordId: row.id, after: row, ...scopeKeysOf(row) });
    return row;
  });
}
