/**
 * One structured JSON line per GraphQL request (request id, user id, operation, duration, status,
 * error codes), and never a password or a token in any line.
 */
import { DataSource } from 'typeorm';
import { createLogger } from '../../src/app/logger';
import { startTestApp, TestApp, TEST_PASSWORD } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createUserWithRole } from '../helpers/factories';

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

interface RequestLine {
  level: string;
  msg: string;
  requestId: string;
  userId: number | null;
  operation: string;
  operationType: string;
  durationMs: number;
  status: number;
  errorCodes: string[];
}

async function post(body: unknown, token?: string) {
  const res = await fetch(t.app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { requestId: res.headers.get('x-request-id')!, status: res.status, body: JSON.parse(await res.text()) };
}

/** The request line written for the request with this id (exactly one). */
function lineFor(requestId: string): RequestLine {
  const lines = t.logs.map((l) => JSON.parse(l) as RequestLine).filter((l) => l.msg === 'graphql request' && l.requestId === requestId);
  expect(lines).toHaveLength(1);
  return lines[0];
}

const SIGN_IN = 'mutation SignIn($input: LoginInput!) { login(input: $input) { accessToken refreshToken } }';

describe('request log lines', () => {
  it('logs a sign-in with its outcome, and neither the password nor the tokens', async () => {
    const user = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    const res = await post({ query: SIGN_IN, operationName: 'SignIn', variables: { input: { username: user.username, password: TEST_PASSWORD } } });
    const { accessToken, refreshToken } = res.body.data.login;
    const line = lineFor(res.requestId);
    expect(line).toMatchObject({ level: 'info', operation: 'SignIn', operationType: 'mutation', status: 200, errorCodes: [], userId: null });
    expect(typeof line.durationMs).toBe('number');
    expect(line.durationMs).toBeGreaterThan(0);

    const refreshed = await post({
      query: 'mutation Refresh($input: RefreshTokenInput!) { refreshToken(input: $input) { accessToken refreshToken } }',
      variables: { input: { refreshToken } },
    });
    expect(lineFor(refreshed.requestId)).toMatchObject({ operation: 'Refresh', errorCodes: [] });
    const wrong = await post({ query: SIGN_IN, variables: { input: { username: user.username, password: 'Wrong-Password-42' } } });
    expect(lineFor(wrong.requestId)).toMatchObject({ operation: 'SignIn', errorCodes: ['UNAUTHENTICATED'] });

    const everything = t.logs.join('\n');
    for (const secret of [TEST_PASSWORD, 'Wrong-Password-42', accessToken, refreshToken, refreshed.body.data.refreshToken.accessToken, refreshed.body.data.refreshToken.refreshToken]) {
      expect(everything).not.toContain(secret);
    }
    // Not even a piece of a token (a JWT's signature part, say).
    expect(everything).not.toContain(accessToken.split('.')[2]);
  });

  it('names the user and matches the x-request-id the client got', async () => {
    const user = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    const token = await t.login(user.username);
    const res = await post({ query: 'query Me { me { username } }' }, token);
    expect(res.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lineFor(res.requestId)).toMatchObject({ userId: user.id, operation: 'Me', operationType: 'query', status: 200, errorCodes: [] });
    expect(t.logs.join('\n')).not.toContain(token);
  });

  it('records error codes, anonymous operations and documents that never parsed', async () => {
    const anonymous = await post({ query: '{ me { username } }' });
    expect(lineFor(anonymous.requestId)).toMatchObject({ operation: '(anonymous)', operationType: 'query', status: 401, errorCodes: ['UNAUTHENTICATED'] });

    const broken = await post({ query: 'query Broken { me { ', operationName: 'Broken' });
    expect(lineFor(broken.requestId)).toMatchObject({ operation: '(invalid)', operationType: 'unknown', status: 400, errorCodes: ['GRAPHQL_PARSE_FAILED'] });

    const invalid = await post({ query: 'query Typo { mee { username } }' });
    expect(lineFor(invalid.requestId)).toMatchObject({ operation: '(invalid)', errorCodes: ['GRAPHQL_VALIDATION_FAILED'] });
  });
});

describe('the logger', () => {
  it('redacts secrets under well-known keys, whoever logs them', () => {
    const lines: string[] = [];
    const logger = createLogger('info', (l) => lines.push(l));
    logger.info('careless', { password: 'hunter22', input: { refreshToken: 'r-123', username: 'bob' }, headers: { authorization: 'Bearer abc' }, tokens: ['x'] });
    expect(JSON.parse(lines[0])).toEqual({
      time: expect.any(String),
      level: 'info',
      msg: 'careless',
      password: '[redacted]',
      input: { refreshToken: '[redacted]', username: 'bob' },
      headers: { authorization: '[redacted]' },
      tokens: '[redacted]',
    });
  });
});
