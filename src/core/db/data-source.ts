/**
 * The TypeORM data source: MySQL/MariaDB in production (DATABASE_URL), an embedded SQLite file
 * otherwise. `synchronize` is never on; the schema comes only from migrations.
 */
import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { Database } from '../../app/config';
import { MIGRATIONS } from '../../../migrations';
import { ENTITIES } from './entities';
import { rememberQueryTexts } from './query-text';

export function dataSourceOptions(database: Database): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: false, logging: false } as const;
  if (database.type === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      url: database.url,
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      // DECIMAL arrives as strings (exact); BIGINT too. Dates are stored and read as UTC.
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: false,
      // trace: mysql2 captures a stack trace per query to decorate its errors; TypeORM wraps them in
      // QueryFailedError with a stack of its own, so that capture (~2% of a list request) buys nothing.
      extra: { connectionLimit: 10, connectTimeout: 5000, trace: false },
    };
  }
  if (database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: database.path,
    // WAL lets readers proceed while a writer commits; foreign keys are not declared, so no pragma needed.
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
    },
  };
}

export function createDataSource(database: Database): DataSource {
  rememberQueryTexts();
  return new DataSource(dataSourceOptions(database));
}
