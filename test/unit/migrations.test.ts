/** The migrations run up and down on the test dialect (SQLite by default, MariaDB in CI), from an empty database. */
import { DataSource } from 'typeorm';
import { createDataSource } from '../../src/core/db/data-source';
import { Project } from '../../src/modules/project/project.entity';
import { ensureMysqlDatabase, testDatabaseConfig } from '../helpers/database';

const EXPECTED_TABLES = [
  'audit_events', 'authorization_version', 'enterprises', 'fund_applications', 'fund_disbursements', 'fund_programs',
  'land_requests', 'monthly_reports', 'org_units', 'project_annual_plans', 'projects', 'refresh_tokens', 'report_periods',
  'role_bindings', 'roles', 'users', 'workflow_transitions',
];

async function tables(ds: DataSource): Promise<string[]> {
  const rows: { name: string }[] =
    ds.options.type === 'mysql'
      ? await ds.query('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()')
      : await ds.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  return rows.map((r) => r.name).filter((n) => n !== 'migrations').sort();
}

describe('migrations', () => {
  let ds: DataSource;

  beforeAll(async () => {
    const db = testDatabaseConfig('migrations');
    if (db.type === 'mysql') await ensureMysqlDatabase(db, true);
    ds = createDataSource(db);
    await ds.initialize();
  });
  afterAll(() => ds.destroy());

  it('create every table going up and remove them all going down', async () => {
    expect(await tables(ds)).toEqual([]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    expect(applied.length).toBeGreaterThan(0);
    expect(await tables(ds)).toEqual(EXPECTED_TABLES);
    expect(await ds.showMigrations()).toBe(false);

    for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    expect(await tables(ds)).toEqual([]);

    // And up again: down left nothing behind that would block a re-run.
    await ds.runMigrations({ transaction: 'each' });
    expect(await tables(ds)).toEqual(EXPECTED_TABLES);
  });

  // API inputs are capped below 10^9 万元, within what SQLite's REAL keeps exact at 4 decimals.
  it('store money exactly', async () => {
    await ds.query('INSERT INTO org_units (code, name, nameEn, kind, path) VALUES (?, ?, ?, ?, ?)', ['MIG', 'x', 'x', 'CITY', '/']);
    const [unit] = await ds.query("SELECT id FROM org_units WHERE code = 'MIG'");
    await ds.query(
      'INSERT INTO enterprises (creditCode, name, industryCode, territoryId, scale) VALUES (?, ?, ?, ?, ?)',
      ['91510700MA0000000X', 'e', 'C26', unit.id, 'ABOVE_SCALE'],
    );
    const [enterprise] = await ds.query("SELECT id FROM enterprises WHERE creditCode = '91510700MA0000000X'");
    await ds.query(
      `INSERT INTO projects (name, enterpriseId, territoryId, industryCode, constructionNature, totalInvestment, equipmentInvestment, plannedStart, plannedCompletion)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ['p', enterprise.id, unit.id, 'C26', 'NEW', '123456789.1234', '0.0001', '2026-01', '2026-12'],
    );
    const project = await ds.manager.findOneByOrFail(Project, { name: 'p' });
    expect(project.totalInvestment).toBe('123456789.1234');
    expect(project.equipmentInvestment).toBe('0.0001');
  });
});
