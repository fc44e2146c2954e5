/** Drops the per-worker MySQL test databases of an earlier run, so every run migrates from scratch. */
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/app/config';

export default async function globalSetup(): Promise<void> {
  const base = loadConfig({ ...process.env, NODE_ENV: 'test' }).database;
  if (base.type !== 'mysql') return;
  const url = new URL(base.url);
  url.pathname = '/';
  const admin = new DataSource({ type: 'mysql', url: url.toString() });
  await admin.initialize();
  const rows: { name: string }[] = await admin.query(
    "SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?",
    [`${base.database}\\_%`],
  );
  for (const { name } of rows) await admin.query(`DROP DATABASE \`${name}\``);
  await admin.destroy();
}
