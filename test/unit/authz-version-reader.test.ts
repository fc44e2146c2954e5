/**
 * Requests share authorization-version reads, but every request must see each change committed
 * before it arrived: it may only use a read that began after it asked.
 */
import { AuthzVersionReader } from '../../src/core/authz/version';

/** A stand-in for the database: each read returns the version as it was when the read began. */
class FakeVersionTable {
  version = 1;
  readonly begun: { version: number; finish: (error?: Error) => void }[] = [];

  read = (): Promise<number> =>
    new Promise((resolve, reject) => {
      const version = this.version;
      this.begun.push({ version, finish: (error) => (error ? reject(error) : resolve(version)) });
    });

  /** Lets the oldest unfinished read answer, then lets the reader react. */
  async finishNext(error?: Error): Promise<void> {
    const read = this.begun.find((r) => r.finish !== FINISHED);
    if (!read) throw new Error('no read is running');
    read.finish(error);
    read.finish = FINISHED;
    await settle();
  }
}
const FINISHED = () => undefined;
const settle = () => new Promise((resolve) => setImmediate(resolve));

it('a request alone costs exactly one read', async () => {
  const table = new FakeVersionTable();
  const reader = new AuthzVersionReader(table.read);
  const first = reader.current();
  await table.finishNext();
  await expect(first).resolves.toBe(1);
  const second = reader.current();
  await table.finishNext();
  await expect(second).resolves.toBe(1);
  expect(table.begun).toHaveLength(2);
});

it('requests that arrive while a read runs share the next read, which sees changes committed before they arrived', async () => {
  const table = new FakeVersionTable();
  const reader = new AuthzVersionReader(table.read);
  const early = reader.current(); // begins read 1 at version 1
  table.version = 2; // a rule change commits while read 1 runs
  const late = [reader.current(), reader.current(), reader.current()];
  expect(table.begun).toHaveLength(1); // they wait: read 1 began before they asked

  await table.finishNext();
  await expect(early).resolves.toBe(1);
  expect(table.begun).toHaveLength(2); // one read for all three, begun after they asked
  await table.finishNext();
  await expect(Promise.all(late)).resolves.toEqual([2, 2, 2]);
});

it('a request that arrives while the shared read runs waits for the one after it', async () => {
  const table = new FakeVersionTable();
  const reader = new AuthzVersionReader(table.read);
  void reader.current(); // read 1
  const second = reader.current(); // waits for read 2
  await table.finishNext(); // read 2 begins
  table.version = 3;
  const third = reader.current(); // asked after read 2 began: must not use it
  await table.finishNext();
  await expect(second).resolves.toBe(1);
  await table.finishNext();
  await expect(third).resolves.toBe(3);
  expect(table.begun.map((r) => r.version)).toEqual([1, 1, 3]);
});

it('a failed read fails only its own requests; the next requests read again', async () => {
  const table = new FakeVersionTable();
  const reader = new AuthzVersionReader(table.read);
  const failing = reader.current();
  const waiting = reader.current();
  const failed = expect(failing).rejects.toThrow('connection lost');
  await table.finishNext(new Error('connection lost'));
  await failed;
  await table.finishNext();
  await expect(waiting).resolves.toBe(1);
  const after = reader.current();
  await table.finishNext();
  await expect(after).resolves.toBe(1);
  expect(table.begun).toHaveLength(3);
});
