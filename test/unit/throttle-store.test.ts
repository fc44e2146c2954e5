/** Both throttle stores keep the same contract; the Redis one runs against the local Redis (as CI does). */
import { MemoryThrottleStore, RedisThrottleStore, ThrottleStore } from '../../src/core/throttle/store';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe.each([
  ['memory', () => new MemoryThrottleStore()],
  ['redis', () => new RedisThrottleStore(REDIS_URL, `techtransform:test:${process.pid}:${Date.now()}:`)],
])('%s store', (_name, make: () => ThrottleStore) => {
  let store: ThrottleStore;
  beforeAll(() => {
    store = make();
  });
  afterAll(() => store.close());

  it('counts within the window and keeps the first expiry', async () => {
    expect((await store.increment('a', 1000)).count).toBe(1);
    const second = await store.increment('a', 60_000);
    expect(second.count).toBe(2);
    expect(second.ttlMs).toBeLessThanOrEqual(1000);
    expect((await store.get('a'))!.count).toBe(2);
  });

  it('forgets a counter when it expires', async () => {
    await store.increment('b', 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await store.get('b')).toBeNull();
    expect((await store.increment('b', 1000)).count).toBe(1);
  });

  it('marks and deletes', async () => {
    await store.mark('c', 1000);
    expect((await store.get('c'))!.count).toBe(1);
    await store.delete('c', 'never-set');
    expect(await store.get('c')).toBeNull();
  });

  it('counts concurrent increments exactly', async () => {
    await Promise.all(Array.from({ length: 50 }, () => store.increment('d', 10_000)));
    expect((await store.get('d'))!.count).toBe(50);
  });
});
