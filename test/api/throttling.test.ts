/** Sign-in back-off and lock with admin unlock; per-user request rate. */
import { DataSource } from 'typeorm';
import { AuditEvent } from '../../src/modules/audit/audit-event.entity';
import { startTestApp, TestApp, TEST_PASSWORD } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createUser, createUserWithRole } from '../helpers/factories';

let ds: DataSource;
let t: TestApp;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds, { LOGIN_FREE_FAILURES: '2', LOGIN_LOCK_AFTER: '4', LOGIN_FREE_FAILURES_PER_IP: '1000', RATE_LIMIT_PER_MINUTE: '8' });
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`;
const attempt = (username: string, password: string) => t.gql(LOGIN, { i: { username, password } });

it('backs off after the free failures, locks after more, and an admin unlocks', async () => {
  const user = await createUser(ds);
  expect((await attempt(user.username, 'wrong')).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  expect((await attempt(user.username, 'wrong')).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  expect((await attempt(user.username, 'wrong')).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  // The third failure set a 1 s wait: even the right password is refused until it passes.
  const waiting = await attempt(user.username, TEST_PASSWORD);
  expect(waiting.status).toBe(429);
  expect(waiting.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
  await new Promise((r) => setTimeout(r, 1100));
  expect((await attempt(user.username, 'wrong')).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  // Fourth failure: locked, whatever the wait.
  await new Promise((r) => setTimeout(r, 2100));
  const locked = await attempt(user.username, TEST_PASSWORD);
  expect(locked.errors![0].extensions!.code).toBe('RATE_LIMITED');
  expect(locked.errors![0].message).toMatch(/administrator/);

  const admin = await t.login((await createUserWithRole(ds, 'admin', 'MY')).username);
  const unlock = await t.gql(`mutation($i: UnlockSignInInput!) { unlockSignIn(input: $i) { wasLocked } }`, { i: { username: user.username } }, admin);
  expect(unlock.data.unlockSignIn.wasLocked).toBe(true);
  expect((await attempt(user.username, TEST_PASSWORD)).data.login.accessToken).toBeTruthy();
  expect(await ds.manager.countBy(AuditEvent, { action: 'unlockSignIn' })).toBeGreaterThan(0);
});

it('locks unknown usernames the same way, revealing nothing', async () => {
  for (let i = 0; i < 2; i++) await attempt('no-such-user-xyz', 'wrong');
  const third = await attempt('no-such-user-xyz', 'wrong');
  expect(third.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  expect((await attempt('no-such-user-xyz', 'wrong')).errors![0].extensions!.code).toBe('RATE_LIMITED');
});

it('refuses unlocking to non-admins', async () => {
  const county = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-FC')).username);
  const res = await t.gql(`mutation { unlockSignIn(input: { username: "x" }) { wasLocked } }`, {}, county);
  expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
});

it('limits requests per user per minute with Retry-After', async () => {
  const token = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-FC')).username);
  const codes: (string | undefined)[] = [];
  let retryAfter: string | null = null;
  for (let i = 0; i < 10; i++) {
    const res = await fetch(t.app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    const body = JSON.parse(await res.text());
    codes.push(body.errors?.[0]?.extensions?.code);
    if (res.status === 429) retryAfter = res.headers.get('retry-after');
  }
  expect(codes.slice(0, 8)).toEqual(Array(8).fill(undefined));
  expect(codes.slice(8)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  expect(Number(retryAfter)).toBeGreaterThan(0);
});
