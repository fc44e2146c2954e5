/**
 * Start-up: configuration → data source → migrations → reference (and demo) data → HTTP server.
 * With no configuration at all it runs on an embedded SQLite file with demo data.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './app/config';
import { limitHeapGrowth } from './app/heap';
import { createLogger } from './app/logger';
import { startApp } from './app/server';
import { createDataSource } from './core/db/data-source';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './seed/demo-data';
import { seedDemoData, seedReferenceData } from './seed/seed';

async function main(): Promise<void> {
  limitHeapGrowth();
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  const ds = createDataSource(config.database);
  await ds.initialize();
  const applied = await ds.runMigrations({ transaction: 'each' });
  if (applied.length) logger.info('migrations applied', { migrations: applied.map((m) => m.name) });
  await seedReferenceData(ds);
  if (config.seedDemo) await seedDemoData(ds);

  const app = await startApp(config, ds, logger);
  logger.info('server started', { url: app.url, database: config.database.type });
  if (config.seedDemo) {
    console.log(`\nTechtransform GraphQL API: ${app.url}`);
    console.log(`Demo accounts (password "${DEMO_PASSWORD}"): ${DEMO_ACCOUNTS.map((a) => a.username).join(', ')}\n`);
  }

  const shutdown = async (signal: string) => {
    logger.info('shutting down', { signal });
    await app.close();
    await ds.destroy();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
