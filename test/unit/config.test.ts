import { ConfigError, DEV_JWT_SECRET, loadConfig } from '../../src/app/config';

const SECRET = 'x'.repeat(40);

describe('configuration', () => {
  it('defaults to an embedded SQLite file with demo data outside production', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ type: 'sqlite', path: 'data/techtransform.sqlite' });
    expect(config.seedDemo).toBe(true);
    expect(config.port).toBe(4000);
  });

  it('parses a MySQL URL and durations', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/techtransform', ACCESS_TOKEN_TTL: '5m', REFRESH_TOKEN_TTL: '7d' });
    expect(config.database).toMatchObject({ type: 'mysql', database: 'techtransform' });
    expect(config.accessTokenTtlSeconds).toBe(300);
    expect(config.refreshTokenTtlSeconds).toBe(7 * 86400);
  });

  it.each([
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL/],
    [{ DATABASE_URL: 'postgres://h/db' }, /DATABASE_URL scheme "postgres"/],
    [{ DATABASE_URL: 'mysql://h/' }, /DATABASE_URL must name a host and a database/],
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ ACCESS_TOKEN_TTL: '-5' }, /ACCESS_TOKEN_TTL/],
    [{ LOG_LEVEL: 'chatty' }, /LOG_LEVEL/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ SEED_DEMO: 'yes' }, /SEED_DEMO/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('refuses to run in production without a real JWT secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
  });

  it('never loads demo data in production, whatever SEED_DEMO says', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, SEED_DEMO: 'true' }).seedDemo).toBe(false);
  });
});
