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
 * Reads the version for requests, one read for all requests that arrive before it begins.
 *
 * A request must see every change committed before it arrived, so it may only use a read that
 * began after it arrived. A read therefore begins a turn of the event loop after its first caller
 * asked (every request whose bytes arrived in the same turn joins it), or, while another read
 * runs, as soon as that one ends (every request that arrived meanwhile joins it). Alone, a request
 * costs exactly one read, as before; under load the database gets one version read per turn or
 * round trip instead of one per request.
 */
export class AuthzVersionReader {
  /** The read in progress (settled quietly: its callers handle its outcome). */
  private running: Promise<void> | null = null;
  /** The next read, not begun yet: callers join it. */
  private waiting: Promise<number> | null = null;

  constructor(private readonly read: () => Promise<number>) {}

  current(): Promise<number> {
    this.waiting ??= (this.running ?? nextTurn()).then(() => {
      this.waiting = null;
      return this.begin();
    });
    return this.waiting;
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

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Call inside the transaction that makes the change, so the bump commits with it. */
export async function bumpAuthzVersion(manager: EntityManager): Promise<void> {
  await manager
    .createQueryBuilder()
    .update(AuthorizationVersion)
    .set({ version: () => 'version + 1' })
    .where('id = 1')
    .execute();
}
