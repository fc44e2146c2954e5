/**
 * Test databases. Embedded SQLite (a fresh in-memory database per test file) unless DATABASE_URL
 * names MySQL/MariaDB, in which case each jest worker gets its own database
 * `<name>_w<worker>`, migrated once per run; tests create their own rows and never rely on
 * another test's leftovers, so files can share a worker's database.
 */
import { DataSource } from 'typeorm';
import { Database, loadConfig } from '../../src/app/config';
import { createDataSource } from '../../src/core/db/data-source';
import { seedReferenceData } from '../../src/seed/seed';

export function testDatabaseConfig(suffix = `w${process.env.JEST_WORKER_ID ?? '1'}`): Database {
  const base = loadConfig({ ...process.env, NODE_ENV: 'test' }).database;
  if (base.type === 'sqlite') return { type: 'sqlite', path: ':memory:' };
  const url = new URL(base.url);
  const database = `${base.database}_${suffix}`;
  url.pathname = `/${database}`;
  return { type: 'mysql', url: url.toString(), database };
}

export const isMysql = () => testDatabaseConfig().type === 'mysql';

/** Creates the MySQL database named in `db` if needed (connecting without a default database). */
export async function ensureMysqlDatabase(db: Database & { type: 'mysql' }, dropFirst = false): Promise<void> {
  const url = new URL(db.url);
  url.pathname = '/';
  const admin = new DataSource({ type: 'mysql', url: url.toString() });
  await admin.initialize();
  if (dropFirst) await admin.query(`DROP DATABASE IF EXISTS \`${db.database}\``);
  await admin.query(`CREATE DATABASE IF NOT EXISTS \`${db.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.destroy();
}

/** A migrated database with reference data (org tree, built-in roles). */
export async function openTestDatabase(db: Database = testDatabaseConfig()): Promise<DataSource> {
  if (db.type === 'mysql') await ensureMysqlDatabase(db);
  const ds = createDataSource(db);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await seedReferenceData(ds);
  return ds;
}

/**
 * A database of its own for a test file that needs exact contents (e.g. only the demo data): on
 * MySQL a fresh `<name>_<suffix>` database, on SQLite a fresh in-memory one.
 */
export async function openOwnDatabase(suffix: string): Promise<DataSource> {
  const db = testDatabaseConfig(`${suffix}_w${process.env.JEST_WORKER_ID ?? '1'}`);
  if (db.type === 'mysql') await ensureMysqlDatabase(db, true);
  return openTestDatabase(db);
}
