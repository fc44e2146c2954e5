/**
 * The authorization version: one integer in the database, bumped by any change that alters what
 * someone may do (rules, bindings, user disabled, logout). Every request uses a read of it that
 * began after the request arrived, so cached abilities are never used past a change, on any server
 * process.
 */
import { EntityManager } from 'typeorm';
import { AuthorizationVersion } from '../../modules/user/authorization-version.entity';

export async function currentAuthzVersion(manager: EntityManager): Promise<number> {
  // One plain statement on every request: no query builder, no entity.
  const rows = (await manager.query('SELECT version FROM authorization_version WHERE id = 1')) as { version: number | string }[];
  return rows.length ? Number(rows[0].version) : 0;
}

/**
 * Reads the version for requests, one read for all requests that arrive while another read runs.
 *
 * A request must see every change committed before it arrived, so it may only use a read that
 * began after it arrived. The first caller starts a read; callers that come while it runs wait for
 * the next one, which starts as soon as the running read ends and answers all of them. Alone, a
 * request costs exactly one read, as before; under load the database gets one version read per
 * round trip instead of one per request.
 */
export class AuthzVersionReader {
  /** The read in progress (settled quietly: its callers handle its outcome). */
  private running: Promise<void> | null = null;
  /** The read that starts when `running` ends; callers may still join it. */
  private waiting: Promise<number> | null = null;

  constructor(private readonly read: () => Promise<number>) {}

  current(): Promise<number> {
    if (this.waiting) return this.waiting;
    if (!this.running) return this.begin();
    const waiting = this.running.then(() => {
      this.waiting = null;
      return this.begin();
    });
    this.waiting = waiting;
    return waiting;
  }

  private begin(): Promise<number> {
    const read = this.read();
    const running: Promise<void> = read.then(
      () => this.ended(running),
      () => this.ended(running),
    );
    this.running = running;
    return read;
  }

  private ended(read: Promise<void>): void {
    if (this.running === read) this.running = null;
  }
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
