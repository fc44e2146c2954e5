/**
 * `npm run audit:prune -- --days N`: deletes audit events older than N days (N ≥ 1) from the
 * database named by DATABASE_URL and prints how many. The only way events are ever deleted; it is
 * not reachable through GraphQL.
 */
import 'reflect-metadata';
import { createDataSource } from '../core/db/data-source';
import { pruneAuditEvents, RetentionError, retentionDaysOrThrow } from '../modules/audit/audit-retention';
import { ConfigError, loadConfig } from './config';

async function main(): Promise<number> {
  let days: number;
  let config;
  try {
    days = retentionDaysOrThrow(process.argv.slice(2));
    config = loadConfig();
  } catch (e) {
    if (e instanceof RetentionError || e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  const ds = createDataSource(config.database);
  await ds.initialize();
  try {
    const pending = await ds.showMigrations();
    if (pending) {
      console.error('The database has pending migrations: start the server (or run them) before pruning');
      return 1;
    }
    const result = await pruneAuditEvents(ds, days);
    console.log(`Deleted ${result.deleted} audit event${result.deleted === 1 ? '' : 's'} older than ${days} day${days === 1 ? '' : 's'} (before ${result.cutoff.toISOString()}).`);
    return 0;
  } finally {
    await ds.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
