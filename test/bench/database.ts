/**
 * The benchmark's database: named by BENCH_DATABASE_URL (default
 * mysql://root@127.0.0.1:3306/techtransform_bench), its own database, never the application's or
 * the tests'. Rebuilt from scratch (drop, create, migrate, reference data, generator) unless reused.
 */
import { DataSource } from 'typeorm';
import type { Database } from '../../src/app/config';
import { createDataSource } from '../../src/core/db/data-source';
import { BENCH_USERS, BenchDataset, GenerateOptions, generateBenchData } from './generate';

export const DEFAULT_BENCH_DATABASE_URL = 'mysql://root@127.0.0.1:3306/techtransform_bench';

export interface BenchDatabase {
  /** mysql://… with the database name. */
  url: string;
  name: string;
}

/** The benchmark database from BENCH_DATABASE_URL; `suffix` (e.g. "_smoke") keeps runs of other sizes apart. */
export function benchDatabase(raw = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_DATABASE_URL, suffix = ''): BenchDatabase {
  const url = new URL(raw);
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') throw new Error('BENCH_DATABASE_URL must be a mysql:// URL');
  const name = decodeURIComponent(url.pathname.replace(/^\//, '')) + suffix;
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`BENCH_DATABASE_URL must name a database (letters, digits, _), got "${name}"`);
  url.protocol = 'mysql:';
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

/** The same server and account, no default database: for CREATE/DROP DATABASE, users and status counters. */
export function serverUrl(db: BenchDatabase): string {
  const url = new URL(db.url);
  url.pathname = '/';
  return url.toString();
}

export function asConfig(db: BenchDatabase): Database {
  return { type: 'mysql', url: db.url, database: db.name };
}

export async function withServer<T>(db: BenchDatabase, fn: (admin: DataSource) => Promise<T>): Promise<T> {
  const admin = new DataSource({ type: 'mysql', url: serverUrl(db) });
  await admin.initialize();
  try {
    return await fn(admin);
  } finally {
    await admin.destroy();
  }
}

async function openMigrated(db: BenchDatabase): Promise<DataSource> {
  const ds = createDataSource(asConfig(db));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}

/** Drops and recreates the database, migrates it and fills it. */
export async function buildBenchDatabase(db: BenchDatabase, options: GenerateOptions): Promise<BenchDataset> {
  await withServer(db, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS \`${db.name}\``);
    await admin.query(`CREATE DATABASE \`${db.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  });
  const ds = await openMigrated(db);
  try {
    return await generateBenchData(ds, options);
  } finally {
    await ds.destroy();
  }
}

/**
 * What an earlier build made, read back from the database (for --reuse), or null if the database
 * is missing, was built for another scale or county, or lacks the bench accounts.
 */
export async function readBenchDataset(db: BenchDatabase, scale: number, countyCode: string): Promise<BenchDataset | null> {
  const exists = await withServer(db, async (admin) => ((await admin.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [db.name])) as unknown[]).length > 0);
  if (!exists) return null;
  const ds = await openMigrated(db);
  try {
    const count = async (table: string) => Number(((await ds.query(`SELECT COUNT(*) AS n FROM \`${table}\``)) as { n: string }[])[0].n);
    if ((await count('projects')) !== scale) return null;
    const users = {} as BenchDataset['users'];
    for (const [key, username] of Object.entries(BENCH_USERS) as [keyof typeof BENCH_USERS, string][]) {
      const rows = (await ds.query('SELECT id FROM users WHERE username = ?', [username])) as { id: number }[];
      if (!rows.length) return null;
      users[key] = { id: rows[0].id, username };
    }
    const [scope] = (await ds.query(
      'SELECT u.code, u.path FROM role_bindings b JOIN org_units u ON u.id = b.scopeUnitId WHERE b.userId = ?',
      [users.county.id],
    )) as { code: string; path: string }[];
    if (!scope || scope.code !== countyCode) return null;
    const territories = (await ds.query('SELECT id FROM org_units WHERE path LIKE ? ORDER BY id', [`${scope.path}%`])) as { id: number }[];
    const [enterprise] = (await ds.query('SELECT enterpriseId FROM users WHERE id = ?', [users.enterprise.id])) as { enterpriseId: number }[];
    return {
      scale,
      seed: NaN,
      countyCode,
      countyTerritoryIds: territories.map((t) => t.id),
      benchEnterpriseId: enterprise.enterpriseId,
      users,
      counts: {
        enterprises: await count('enterprises'),
        projects: scale,
        fundPrograms: await count('fund_programs'),
        fundApplications: await count('fund_applications'),
        landRequests: await count('land_requests'),
        monthlyReports: await count('monthly_reports'),
      },
      seconds: 0,
    };
  } finally {
    await ds.destroy();
  }
}
