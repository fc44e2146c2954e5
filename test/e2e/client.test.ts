/**
 * The API through a real GraphQL client, the way a frontend uses it: urql (@urql/core) over HTTP
 * with @urql/exchange-auth for the token life cycle (attach the access token, refresh it once when
 * it expires or the server answers UNAUTHENTICATED, hold other requests meanwhile, retry them).
 * The documents are the ones in ./operations, which codegen.test.ts types with GraphQL Code
 * Generator, so the operations a frontend would generate types for are the ones exercised here.
 */
import 'reflect-metadata';
import { cacheExchange, Client, CombinedError, fetchExchange, gql, Operation } from '@urql/core';
import { authExchange } from '@urql/exchange-auth';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { Project } from '../../src/modules/project/project.entity';
import { startTestApp, TestApp, TEST_PASSWORD } from '../helpers/app';
import { openTestDatabase } from '../helpers/database';
import { createEnterprise, createProject } from '../helpers/domain-factories';
import { createUserWithRole } from '../helpers/factories';

const document = (name: string) => gql(readFileSync(join(__dirname, 'operations', `${name}.graphql`), 'utf8'));
const SIGN_IN = document('SignIn');
const REFRESH = document('RefreshSession');
const ME = document('Me');
const PROJECTS_PAGE = document('ProjectsPage');
const RENAME_PROJECT = document('RenameProject');

/** The shape of ProjectsPage's `projects` (codegen.test.ts checks the generated type for it). */
interface ProjectsPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string; name: string; version: number } }[];
}

const codeOf = (error: CombinedError | undefined) => error?.graphQLErrors[0]?.extensions?.code;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Seconds since the epoch when a JWT expires, read from its payload (the client does not verify it). */
const expiresAt = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as { exp: number }).exp;

interface Session {
  accessToken: string | null;
  refreshToken: string | null;
}

/** A frontend's GraphQL client: the session lives in memory (a browser would keep it in storage). */
function frontendClient(url: string, options: { proactive: boolean }) {
  const session: Session = { accessToken: null, refreshToken: null };
  /** "OperationName:HTTP status" for every request sent, in order. */
  const sent: string[] = [];
  const isSessionOperation = (op: Operation) =>
    op.query.definitions.some((d) => d.kind === 'OperationDefinition' && ['SignIn', 'RefreshSession'].includes(d.name?.value ?? ''));
  const client = new Client({
    url,
    requestPolicy: 'network-only',
    // urql sends queries as GET by default; the API takes POST (Apollo's CSRF protection refuses a
    // GET without a preflight header), as the README tells frontend teams.
    preferGetMethod: false,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      sent.push(`${JSON.parse(String(init?.body)).operationName}:${res.status}`);
      return res;
    },
    exchanges: [
      cacheExchange,
      authExchange(async (utils) => ({
        addAuthToOperation(operation) {
          return session.accessToken ? utils.appendHeaders(operation, { Authorization: `Bearer ${session.accessToken}` }) : operation;
        },
        // Before sending: an access token past its expiry is refreshed first (and other requests wait).
        willAuthError(operation) {
          if (!options.proactive || isSessionOperation(operation) || !session.accessToken) return false;
          return expiresAt(session.accessToken) * 1000 <= Date.now();
        },
        // After the fact: the server refused the token (expired, revoked). A failed sign-in is not a reason to refresh.
        didAuthError(error, operation) {
          return !isSessionOperation(operation) && error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
        },
        async refreshAuth() {
          const refreshToken = session.refreshToken;
          session.accessToken = null;
          if (!refreshToken) return;
          const result = await utils.mutate(REFRESH, { input: { refreshToken } });
          // Refresh tokens are single use: keep only the newest. A refused one means signed out.
          session.refreshToken = result.data?.refreshToken.refreshToken ?? null;
          session.accessToken = result.data?.refreshToken.accessToken ?? null;
        },
      })),
      fetchExchange,
    ],
  });
  return {
    client,
    session,
    sent,
    async signIn(username: string, password = TEST_PASSWORD) {
      const result = await client.mutation(SIGN_IN, { input: { username, password } }).toPromise();
      if (result.data) {
        session.accessToken = result.data.login.accessToken;
        session.refreshToken = result.data.login.refreshToken;
      }
      return result;
    },
  };
}

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

describe('signing in', () => {
  it('signs in and asks who it is', async () => {
    const user = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    const fe = frontendClient(t.app.url, { proactive: true });
    const signedIn = await fe.signIn(user.username);
    expect(signedIn.error).toBeUndefined();
    expect(signedIn.data.login.user.username).toBe(user.username);
    const me = await fe.client.query(ME, {}).toPromise();
    expect(me.data.me).toMatchObject({ username: user.username });
    expect(fe.sent).toEqual(['SignIn:200', 'Me:200']);
  });

  it('reports a wrong password as UNAUTHENTICATED without trying to refresh', async () => {
    const user = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    const fe = frontendClient(t.app.url, { proactive: true });
    const result = await fe.signIn(user.username, 'wrong-password');
    expect(codeOf(result.error)).toBe('UNAUTHENTICATED');
    expect(fe.sent).toEqual(['SignIn:200']);
  });
});

describe('token refresh with rotating refresh tokens', () => {
  // Access tokens that live two seconds (a one-second JWT may expire at once: `iat` is rounded down).
  let short: TestApp;
  beforeAll(async () => {
    short = await startTestApp(ds, { ACCESS_TOKEN_TTL: '2' });
  });
  afterAll(() => short.close());

  it('refreshes once when the server answers UNAUTHENTICATED, retries, and a reused refresh token signs everyone out', async () => {
    const user = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    const fe = frontendClient(short.app.url, { proactive: false });
    await fe.signIn(user.username);
    const firstRefreshToken = fe.session.refreshToken!;
    expect((await fe.client.query(ME, {}).toPromise()).data.me.username).toBe(user.username);

    await sleep(2100);
    const me = await fe.client.query(ME, {}).toPromise();
    expect(me.error).toBeUndefined();
    expect(me.data.me.username).toBe(user.username);
    expect(fe.sent).toEqual(['SignIn:200', 'Me:200', 'Me:401', 'RefreshSession:200', 'Me:200']);
    expect(fe.session.refreshToken).not.toBe(firstRefreshToken);

    // Someone replays the first refresh token (it was copied): the server ends the whole session,
    // so this client's newer tokens stop working too and its own refresh is refused.
    const replay = await short.gql('mutation($i: RefreshTokenInput!) { refreshToken(input: $i) { accessToken } }', { i: { refreshToken: firstRefreshToken } });
    expect(replay.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const after = await fe.client.query(ME, {}).toPromise();
    expect(codeOf(after.error)).toBe('UNAUTHENTICATED');
    expect(fe.sent.slice(5)).toEqual(['Me:401', 'RefreshSession:200', 'Me:401']);
    expect(fe.session).toEqual({ accessToken: null, refreshToken: null });
  });

  it('refreshes an expired token before sending, once for concurrent requests', async () => {
    const user = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    const fe = frontendClient(short.app.url, { proactive: true });
    await fe.signIn(user.username);
    await sleep(2100);
    const [me, page] = await Promise.all([
      fe.client.query(ME, {}).toPromise(),
      fe.client.query(PROJECTS_PAGE, { first: 1 }).toPromise(),
    ]);
    expect(me.data.me.username).toBe(user.username);
    expect(page.error).toBeUndefined();
    // One refresh; the refresh token rotates, so a second one with the same token would have ended the session.
    expect(fe.sent.filter((s) => s.startsWith('RefreshSession'))).toEqual(['RefreshSession:200']);
    expect(fe.sent.filter((s) => s.endsWith(':401'))).toEqual([]);
  });
});

describe('paging a connection with cursors', () => {
  it('walks every page to the end, in a stable order, with the same total on every page', async () => {
    const enterprise = await createEnterprise(ds, 'MY-FC');
    const created: Project[] = [];
    for (let i = 0; i < 7; i++) created.push(await createProject(ds, enterprise, { totalInvestment: String(1000 + (i % 3) * 100) }));
    const user = await createUserWithRole(ds, 'county_officer', 'MY-FC');
    const fe = frontendClient(t.app.url, { proactive: true });
    await fe.signIn(user.username);

    const filter = { enterpriseId: toGlobalId('Enterprise', enterprise.id) };
    // Ties on totalInvestment are broken by id, so the order is total: no row twice, none skipped.
    const orderBy = { field: 'TOTAL_INVESTMENT', direction: 'DESC' };
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const result = await fe.client.query(PROJECTS_PAGE, { first: 3, after, filter, orderBy }).toPromise();
      expect(result.error).toBeUndefined();
      const connection: ProjectsPage = result.data.projects;
      expect(connection.totalCount).toBe(7);
      pageSizes.push(connection.edges.length);
      seen.push(...connection.edges.map((e) => e.node.name));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(pageSizes).toEqual([3, 3, 1]);
    // Ties are broken by id in the sort's direction (the cursor is the pair).
    const expected = [...created].sort((a, b) => Number(b.totalInvestment) - Number(a.totalInvestment) || b.id - a.id).map((p) => p.name);
    expect(seen).toEqual(expected);
  });
});

describe('a mutation with a stale version', () => {
  it('answers CONFLICT to the second editor, who reloads and saves again', async () => {
    const enterprise = await createEnterprise(ds, 'MY-FC');
    const project = await createProject(ds, enterprise);
    const [alice, bob] = await Promise.all(
      [0, 1].map(async () => {
        const fe = frontendClient(t.app.url, { proactive: true });
        await fe.signIn((await createUserWithRole(ds, 'county_officer', 'MY-FC')).username);
        return fe;
      }),
    );
    const load = async (fe: typeof alice) =>
      (await fe.client.query(PROJECTS_PAGE, { first: 1, filter: { enterpriseId: toGlobalId('Enterprise', enterprise.id) } }).toPromise()).data.projects.edges[0]
        .node as { id: string; name: string; version: number };

    // Both open the same record at version 1.
    const seenByAlice = await load(alice);
    const seenByBob = await load(bob);
    expect(seenByBob.version).toBe(1);

    const saved = await alice.client.mutation(RENAME_PROJECT, { input: { id: seenByAlice.id, expectedVersion: seenByAlice.version, name: 'Alice 的名称' } }).toPromise();
    expect(saved.data.updateProject.project).toMatchObject({ name: 'Alice 的名称', version: 2 });

    const stale = await bob.client.mutation(RENAME_PROJECT, { input: { id: seenByBob.id, expectedVersion: seenByBob.version, name: 'Bob 的名称' } }).toPromise();
    expect(codeOf(stale.error)).toBe('CONFLICT');
    expect(stale.data?.updateProject ?? null).toBeNull();
    expect((await ds.manager.findOneByOrFail(Project, { id: project.id })).name).toBe('Alice 的名称');

    const reloaded = await load(bob);
    expect(reloaded).toMatchObject({ name: 'Alice 的名称', version: 2 });
    const retried = await bob.client.mutation(RENAME_PROJECT, { input: { id: reloaded.id, expectedVersion: reloaded.version, name: 'Bob 的名称' } }).toPromise();
    expect(retried.data.updateProject.project).toMatchObject({ name: 'Bob 的名称', version: 3 });
  });
});
