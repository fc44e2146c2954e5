/** Starts the real HTTP server on a test database and talks GraphQL to it over HTTP. */
import { DataSource } from 'typeorm';
import { Config, loadConfig } from '../../src/app/config';
import { createLogger } from '../../src/app/logger';
import { App, startApp } from '../../src/app/server';
import type { User } from '../../src/modules/user/user.entity';
import { createUserWithRole } from './factories';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

export interface TestApp {
  app: App;
  config: Config;
  ds: DataSource;
  logs: string[];
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  login(username: string, password?: string): Promise<string>;
  /** A new user with one role binding at `scope` (an org unit code), signed in: their access token. */
  tokenFor(role: string, scope: string, attrs?: Partial<User>): Promise<string>;
  close(): Promise<void>;
}

/** The first error's `extensions.code`, if any. */
export const codeOf = (res: GraphQLResponse): any => res.errors?.[0]?.extensions?.code;
/** The first error, if any. */
export const errorOf = (res: GraphQLResponse): any => res.errors?.[0];

export const TEST_PASSWORD = 'test-password-1';

export async function startTestApp(ds: DataSource, env: Record<string, string> = {}): Promise<TestApp> {
  const config = { ...loadConfig({ NODE_ENV: 'test', PORT: '0', ...env }), database: { type: 'sqlite', path: ':memory:' } } as Config;
  const logs: string[] = [];
  const app = await startApp(config, ds, createLogger('debug', (line) => logs.push(line)));
  const gql = async (query: string, variables?: Record<string, unknown>, token?: string) => {
    const res = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    // Parsed here, inside the test realm: objects from fetch's own JSON parser fail CASL's `constructor === Object` checks.
    return { status: res.status, ...(JSON.parse(await res.text()) as object) } as GraphQLResponse;
  };
  async function login(username: string, password = TEST_PASSWORD) {
    const res = await gql('mutation($i: LoginInput!) { login(input: $i) { accessToken } }', { i: { username, password } });
    if (!res.data?.login) throw new Error(`login ${username} failed: ${JSON.stringify(res.errors)}`);
    return res.data.login.accessToken as string;
  }
  return {
    app,
    config,
    ds,
    logs,
    gql,
    login,
    tokenFor: async (role, scope, attrs = {}) => login((await createUserWithRole(ds, role, scope, attrs)).username),
    close: () => app.close(),
  };
}
