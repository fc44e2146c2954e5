/**
 * The authorization version: one integer in the database, bumped by any change that alters what
 * someone may do (rules, bindings, user disabled, logout). Every request reads it (one cheap
 * primary-key query), so cached abilities are never used past a change, on any server process.
 */
import { EntityManager } from 'typeorm';
import { AuthorizationVersion } from '../../modules/user/authorization-version.entity';

export async function currentAuthzVersion(manager: EntityManager): Promise<number> {
  // One plain statement on every request: no query builder, no entity.
  const rows = (await manager.query('SELECT version FROM authorization_version WHERE id = 1')) as { version: number | string }[];
  return rows.length ? Number(rows[0].version) : 0;
}

/** Call inside the transaction that makes the change, so the bump commits with it. */
export async function bumpAuthzVersion(manager: EntityManager): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(AuthorizationVersion)
    .set({ version: () => 'version + 1' })
    .where('id = 1')
    .execute();
}
