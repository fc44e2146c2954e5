/**
 * The scoped write path. Every create, update and delete runs in one transaction that
 *   1. checks the row as it is (invisible → NOT_FOUND, stale version → CONFLICT, not allowed → FORBIDDEN),
 *   2. checks each changed field against field rules (rules with `fields`),
 *   3. writes with `version = version + 1 WHERE version = expected` (a concurrent writer → CONFLICT),
 *   4. checks the row as it now is with the same SQL predicate (so nobody moves a row out of their scope),
 *   5. writes the audit event (and, for changes to who may do what, bumps the authorization version).
 * Any failure rolls the whole transaction back.
 */
import { EntityManager, ObjectLiteral, QueryFailedError } from 'typeorm';
import type { Context } from '../../app/context';
import { recordAudit } from '../../modules/audit/audit.service';
import { bumpAuthzVersion } from '../authz/version';
import { conflict, forbidden, notFound } from '../errors';
import { toGlobalId } from '../graphql/global-id';
import { canOnRow, scopedQuery } from './scoped';
import { inTransaction } from './transaction';

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

/** How a write is recorded: what the audit event names it, what of the row it keeps, and side effects on authorization. */
export interface WriteRecording<T> {
  /** The audit event's action (default: the permission, e.g. `update`, `create`, `delete`). */
  auditAction?: string;
  /** What the audit event records of a row (default: all its columns). Leave secrets out here. */
  redact?: (row: T) => Record<string, unknown>;
  /** The event's scope keys, so scoped audit readers see it (default: the row's territoryId / enterpriseId). */
  scopeKeys?: (row: T) => ScopeKeys;
  /** Bump the authorization version in the same transaction (changes to who may do what). */
  bumpsAuthorization?: boolean;
}

async function recordWrite<T extends ObjectLiteral & { id: number }>(
  ctx: Context,
  m: EntityManager,
  entity: EntityClass<T>,
  permission: string,
  recording: WriteRecording<T>,
  before: T | null,
  after: T | null,
  extra: { before?: Record<string, unknown>; after?: Record<string, unknown> } = {},
): Promise<void> {
  const shape = (row: T | null, more?: Record<string, unknown>) => (row ? { ...(recording.redact ? recording.redact(row) : { ...row }), ...more } : null);
  const keysOf = recording.scopeKeys ?? scopeKeysOf;
  if (recording.bumpsAuthorization) await bumpAuthzVersion(m);
  await recordAudit(m, ctx, {
    action: recording.auditAction ?? permission,
    subjectType: entity.name,
    recordId: (after ?? before)!.id,
    before: shape(before, extra.before),
    after: shape(after, extra.after),
    ...keysOf((after ?? before)!),
  });
}

export interface UpdateOptions<T> extends WriteRecording<T> {
  /** The action the viewer's rules must allow on the row, before and after (default `update`). */
  action?: string;
  /** Extra checks on the row as loaded, before anything is written. */
  validate?: (row: T, m: EntityManager) => Promise<void> | void;
  /** Further writes in the same transaction (e.g. carrying scope keys to child records). */
  afterWrite?: (before: T, after: T, m: EntityManager) => Promise<void>;
  /** Extra fields for the audit event's before/after (e.g. how many sessions were revoked). */
  auditExtra?: (before: T, after: T) => { before?: Record<string, unknown>; after?: Record<string, unknown> };
}

/** `changes` may be computed from the row as loaded, inside the transaction. */
export async function updateScopedOrThrow<T extends Entity>(
  ctx: Context,
  entity: EntityClass<T>,
  id: number,
  expectedVersion: number,
  changes: Partial<T> | ((row: T, m: EntityManager) => Promise<Partial<T>> | Partial<T>),
  options: UpdateOptions<T> = {},
): Promise<T> {
  const action = options.action ?? 'update';
  return inTransaction(ctx, async (m) => {
    const before = await loadVisibleOrThrow(ctx, m, entity, id);
    assertVersion(before, expectedVersion);
    await assertCanOnRow(ctx, m, entity, id, action, 'as it is');
    await options.validate?.(before, m);
    const values = typeof changes === 'function' ? await changes(before, m) : changes;
    // Field rules are decided on the loaded row (their conditions use only its own columns).
    if (ctx.viewer!.permissions.restrictsFields(entity.name, action)) {
      for (const field of Object.keys(values)) {
        if (!ctx.viewer!.permissions.can(action, entity.name, before, field)) {
          throw forbidden(`Your roles do not allow changing ${field} of this ${entity.name}`);
        }
      }
    }
    const after = await writeVersionedOrThrow(m, entity, before, values);
    await assertCanOnRow(ctx, m, entity, id, action, 'as it would be after this change');
    await options.afterWrite?.(before, after, m);
    await recordWrite(ctx, m, entity, action, options, before, after, options.auditExtra?.(before, after));
    return after;
  });
}

export interface CreateOptions<T> extends WriteRecording<T> {
  /** Writes that complete the row before it is checked (e.g. its materialised path, known once it has an id). */
  afterInsert?: (row: T, m: EntityManager) => Promise<void>;
  /** Checks on the stored row, after the viewer's `create` rules have accepted it. */
  afterCheck?: (row: T, m: EntityManager) => Promise<void>;
}

/** Inserts a row, then requires the viewer's `create` rules to cover it as stored. */
export async function createScopedOrThrow<T extends ObjectLiteral & { id: number }>(
  ctx: Context,
  entity: EntityClass<T>,
  values: Partial<T>,
  options: CreateOptions<T> = {},
): Promise<T> {
  return inTransaction(ctx, async (m) => {
    const inserted = await m.save(m.create(entity, values as never) as T);
    await options.afterInsert?.(inserted, m);
    await assertCanOnRow(ctx, m, entity as never, inserted.id, 'create', 'in this scope');
    const row = await m.findOneByOrFail(entity, { id: inserted.id } as never);
    await options.afterCheck?.(row, m);
    await recordWrite(ctx, m, entity, 'create', options, null, row);
    return row;
  });
}

export interface DeleteOptions<T> extends WriteRecording<T> {
  expectedVersion?: number;
  /** Checks on the row as loaded, before it is deleted (e.g. "not in use"). */
  validate?: (row: T, m: EntityManager) => Promise<void> | void;
}

/** Deletes a row the viewer may read and `delete`, and audits what it was. */
export async function deleteScopedOrThrow<T extends ObjectLiteral & { id: number }>(
  ctx: Context,
  entity: EntityClass<T>,
  id: number,
  options: DeleteOptions<T> = {},
): Promise<T> {
  return inTransaction(ctx, async (m) => {
    const row = (await loadVisibleOrThrow(ctx, m, entity as never, id)) as unknown as T;
    if (options.expectedVersion !== undefined) assertVersion(row as never, options.expectedVersion);
    await assertCanOnRow(ctx, m, entity as never, id, 'delete', 'as it is');
    await options.validate?.(row, m);
    await m.delete(entity, { id } as never);
    await recordWrite(ctx, m, entity, 'delete', options, row, null);
    return row;
  });
}

/** A unique index refused the write (e.g. two admins creating the same username at once). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = (error as QueryFailedError & { driverError?: { code?: string; errno?: number } }).driverError;
  return driverError?.code === 'ER_DUP_ENTRY' || driverError?.errno === 1062 || driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
