import { DataSource } from 'typeorm';
import { signAccessToken } from '../../src/core/auth/tokens';
import { startTestApp, TestApp, TEST_PASSWORD } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createUser } from '../helpers/factories';

const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken expiresIn user { id username } } }`;
const REFRESH = `mutation($i: RefreshTokenInput!) { refreshToken(input: $i) { accessToken refreshToken } }`;
const ME = `{ me { username displayName } }`;

let ds: DataSource;
let t: TestApp;

beforeAll(async () => {
  ds = await openTestDatabase();
  t = await startTestApp(ds);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

const codeOf = (res: { errors?: { extensions?: Record<string, any> }[] }) => res.errors?.[0]?.extensions?.code;

async function loginAs(username: string, password = TEST_PASSWORD) {
  return t.gql(LOGIN, { i: { username, password } });
}

describe('login', () => {
  it('returns tokens and the user for the right password', async () => {
    const user = await createUser(ds);
    const res = await loginAs(user.username);
    expect(res.errors).toBeUndefined();
    expect(res.data.login.user.username).toBe(user.username);
    expect(res.data.login.expiresIn).toBe(t.config.accessTokenTtlSeconds);
    const me = await t.gql(ME, {}, res.data.login.accessToken);
    expect(me.data.me.username).toBe(user.username);
  });

  it('fails a wrong password and an unknown user with the same error', async () => {
    const user = await createUser(ds);
    const wrong = await loginAs(user.username, 'not-the-password');
    const unknown = await loginAs('nobody-by-this-name');
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    expect(codeOf(unknown)).toBe('UNAUTHENTICATED');
    expect(wrong.errors![0].message).toBe(unknown.errors![0].message);
  });

  it('refuses a disabled user', async () => {
    const user = await createUser(ds, { disabled: true });
    expect(codeOf(await loginAs(user.username))).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['empty username', '', 'x', 'username'],
    ['oversized username', 'u'.repeat(65), 'x', 'username'],
    ['empty password', 'someone', '', 'password'],
    ['oversized password', 'someone', 'p'.repeat(257), 'password'],
  ])('rejects %s as BAD_USER_INPUT naming the field', async (_name, username, password, field) => {
    const res = await loginAs(username, password);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions!.field).toBe(field);
  });
});

describe('access tokens', () => {
  it('refuses unauthenticated access to orgUnits and me', async () => {
    for (const query of [ME, '{ orgUnits(first: 1) { totalCount } }']) {
      const res = await t.gql(query);
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
      expect(res.status).toBe(401);
      expect(res.data ?? null).toBeNull();
    }
  });

  it('refuses an expired token, also one it accepted (and remembered) before', async () => {
    const user = await createUser(ds);
    const token = signAccessToken({ userId: user.id, sessionId: 'x' }, t.config.jwtSecret, 2);
    expect((await t.gql(ME, {}, token)).data.me.username).toBe(user.username);
    await new Promise((r) => setTimeout(r, 2100));
    expect(codeOf(await t.gql(ME, {}, token))).toBe('UNAUTHENTICATED');
  });

  it('refuses a tampered token and one signed with another secret', async () => {
    const user = await createUser(ds);
    const token = (await loginAs(user.username)).data.login.accessToken as string;
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = [h, Buffer.from(JSON.stringify({ ...payload, sub: '1' })).toString('base64url'), s].join('.');
    expect(codeOf(await t.gql(ME, {}, forged))).toBe('UNAUTHENTICATED');
    const foreign = signAccessToken({ userId: user.id, sessionId: payload.sid }, 'another-secret-another-secret-1234', 60);
    expect(codeOf(await t.gql(ME, {}, foreign))).toBe('UNAUTHENTICATED');
  });

  it('stops working when the user is disabled', async () => {
    const user = await createUser(ds);
    const token = (await loginAs(user.username)).data.login.accessToken;
    expect((await t.gql(ME, {}, token)).data.me.username).toBe(user.username);
    // Disabling goes through the admin API later; here the row and the authorization version change together.
    await ds.transaction(async (m) => {
      await m.update('users', { id: user.id }, { disabled: true });
      await m.query('UPDATE authorization_version SET version = version + 1 WHERE id = 1');
    });
    expect(codeOf(await t.gql(ME, {}, token))).toBe('UNAUTHENTICATED');
  });
});

describe('refresh tokens', () => {
  it('rotate: each refresh returns a new pair and the new access token works', async () => {
    const user = await createUser(ds);
    const first = (await loginAs(user.username)).data.login;
    const second = (await t.gql(REFRESH, { i: { refreshToken: first.refreshToken } })).data.refreshToken;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await t.gql(ME, {}, second.accessToken)).data.me.username).toBe(user.username);
  });

  it('reusing a used refresh token revokes the whole session', async () => {
    const user = await createUser(ds);
    const first = (await loginAs(user.username)).data.login;
    const second = (await t.gql(REFRESH, { i: { refreshToken: first.refreshToken } })).data.refreshToken;
    const reuse = await t.gql(REFRESH, { i: { refreshToken: first.refreshToken } });
    expect(codeOf(reuse)).toBe('UNAUTHENTICATED');
    // The legitimate holder's newer tokens are dead too.
    expect(codeOf(await t.gql(REFRESH, { i: { refreshToken: second.refreshToken } }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(ME, {}, second.accessToken))).toBe('UNAUTHENTICATED');
  });

  it('refuses an unknown refresh token', async () => {
    expect(codeOf(await t.gql(REFRESH, { i: { refreshToken: 'not-a-token' } }))).toBe('UNAUTHENTICATED');
  });
});

describe('logout', () => {
  it('ends the session: access and refresh tokens stop working, other sessions stay', async () => {
    const user = await createUser(ds);
    const a = (await loginAs(user.username)).data.login;
    const b = (await loginAs(user.username)).data.login;
    const out = await t.gql('mutation { logout { ok } }', {}, a.accessToken);
    expect(out.data.logout.ok).toBe(true);
    expect(codeOf(await t.gql(ME, {}, a.accessToken))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(REFRESH, { i: { refreshToken: a.refreshToken } }))).toBe('UNAUTHENTICATED');
    expect((await t.gql(ME, {}, b.accessToken)).data.me.username).toBe(user.username);
  });

  it('requires authentication', async () => {
    expect(codeOf(await t.gql('mutation { logout { ok } }'))).toBe('UNAUTHENTICATED');
  });
});
