/**
 * The write path of administration (users, roles, bindings, the org tree): the scoped write path
 * (core/db/scoped-write — visible row, current version, allowed before and after, field rules,
 * audit in the same transaction) with the authorization version bumped in the same transaction,
 * so every admin change takes effect on the next request of every server process.
 */
import type { EntityManager, ObjectLiteral } from 'typeorm';
import type { Context } from '../../app/context';
import {
  createScopedOrThrow, CreateOptions, deleteScopedOrThrow, DeleteOptions, updateScopedOrThrow, UpdateOptions,
} from '../../core/db/scoped-write';

export { isUniqueViolation } from '../../core/db/scoped-write';

type EntityClass<T> = { new (): T; name: string };

export function adminUpdateOrThrow<T extends ObjectLiteral & { id: number; version: number }>(
  ctx: Context,
  entity: EntityClass<T>,
  id: number,
  expectedVersion: number,
  changes: Partial<T> | ((row: T, m: EntityManager) => Promise<Partial<T>> | Partial<T>),
  options: UpdateOptions<T> & { auditAction: string },
): Promise<T> {
  return updateScopedOrThrow(ctx, entity, id, expectedVersion, changes, { ...options, bumpsAuthorization: true });
}

export function adminCreateOrThrow<T extends ObjectLiteral & { id: number }>(
  ctx: Context,
  entity: EntityClass<T>,
  values: Partial<T>,
  options: CreateOptions<T> = {},
): Promise<T> {
  return createScopedOrThrow(ctx, entity, values, { ...options, bumpsAuthorization: true });
}

export function adminDeleteOrThrow<T extends ObjectLiteral & { id: number }>(
  ctx: Context,
  entity: EntityClass<T>,
  id: number,
  options: DeleteOptions<T> = {},
): Promise<T> {
  return deleteScopedOrThrow(ctx, entity, id, { ...options, bumpsAuthorization: true });
}
