/** A request context for calling services directly (no HTTP), as `user` with their stored bindings. */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/app/config';
import type { Context } from '../../src/app/context';
import { loadPermissions } from '../../src/core/authz/permissions';
import { MemoryThrottleStore } from '../../src/core/throttle/store';
import { Throttles } from '../../src/core/throttle/throttles';
import type { User } from '../../src/modules/user/user.entity';

export async function contextFor(ds: DataSource, user: User): Promise<Context> {
  const config = loadConfig({ NODE_ENV: 'test' });
  return {
    requestId: `test-${randomUUID()}`,
    config,
    ds,
    authorization: undefined,
    viewer: { user, sessionId: randomUUID(), permissions: await loadPermissions(ds.manager, user) },
    authError: null,
    loaders: new Map(),
    clientIp: '127.0.0.1',
    throttles: new Throttles(new MemoryThrottleStore(), config.throttle),
  };
}
