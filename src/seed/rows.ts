/**
 * Bulk inserts for the seed. Rows go in chunks (one multi-row INSERT each) inside the caller's
 * transaction, which keeps loading the full demo set to a few dozen statements.
 */
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/** A row to insert: every column but the generated ones; timestamps may be given to date history. */
export type NewRow<T> = Omit<T, 'id' | 'version' | 'globalId' | 'createdAt' | 'updatedAt'> & { createdAt?: Date; updatedAt?: Date };

/** A row waiting for its id, which later rows refer to. */
export interface Draft<T> {
  row: NewRow<T>;
  id?: number;
}

const CHUNK = 200;

/** Inserts rows in order and returns their ids, in the same order. */
export async function insertRows<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, rows: NewRow<T>[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const result = await m.insert(entity, rows.slice(i, i + CHUNK) as QueryDeepPartialEntity<T>[]);
    ids.push(...result.identifiers.map((identifier) => identifier.id as number));
  }
  return ids;
}

/** Inserts the drafts' rows and gives each draft its id. */
export async function insertDrafts<T extends ObjectLiteral>(m: EntityManager, entity: EntityTarget<T>, drafts: Draft<T>[]): Promise<void> {
  const ids = await insertRows(m, entity, drafts.map((draft) => draft.row));
  drafts.forEach((draft, i) => (draft.id = ids[i]));
}

/** The id of a draft that has been inserted; a missing id is a bug in the seeding order. */
export function idOf(draft: Draft<unknown>): number {
  if (draft.id === undefined) throw new Error('draft used before it was inserted');
  return draft.id;
}
