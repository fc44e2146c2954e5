/** Graceful shutdown (what SIGTERM runs in main.ts): stop accepting, finish requests in flight, then stop. */
import { DataSource } from 'typeorm';
import { ViewerResolver } from '../../src/modules/user/viewer';
import { startTestApp } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createUserWithRole } from '../helpers/factories';

let ds: DataSource;

beforeAll(async () => {
  ds = await openTestDatabase();
});
afterAll(() => ds.destroy());

it('finishes a request in flight and refuses new connections once closing', async () => {
  const t = await startTestApp(ds);
  const token = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-FC')).username);
  const resolve = ViewerResolver.prototype.resolve;
  const spy = jest.spyOn(ViewerResolver.prototype, 'resolve').mockImplementation(async function (this: ViewerResolver, header) {
    await new Promise((r) => setTimeout(r, 400)); // a slow request
    return resolve.call(this, header);
  });
  try {
    const inFlight = t.gql('{ me { username } }', {}, token);
    await new Promise((r) => setTimeout(r, 100));
    const closing = t.close();
    await new Promise((r) => setTimeout(r, 50));
    await expect(fetch(t.app.url.replace('/graphql', '/health'))).rejects.toThrow();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.data.me.username).toBeTruthy();
    await closing;
    expect(t.app.httpServer.listening).toBe(false);
  } finally {
    spy.mockRestore();
  }
});
