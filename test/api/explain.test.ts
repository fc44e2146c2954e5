/**
 * Index use on MariaDB: the SQL the platform runs for a county officer's scoped project list, its
 * count and a lookup by id must read `projects` through an index — EXPLAIN never shows a full
 * table scan (`type` ALL) for it. Measured on the benchmark generator's data (3,000 projects in
 * their own database), with the statements captured from real GraphQL requests, so it checks what
 * the server actually sends, rules and all.
 *
 * On SQLite the same statements go through EXPLAIN QUERY PLAN on the demo data, as a county officer
 * of 涪城区: a plain `SCAN` of projects (no index) fails it.
 */
import { DataSource } from 'typeorm';
import { toGlobalId } from '../../src/core/graphql/global-id';
import { BENCH_PASSWORD, BENCH_USERS, BenchDataset, generateBenchData } from '../bench/generate';
import { DEMO_PASSWORD } from '../../src/seed/demo-data';
import { seedDemoData } from '../../src/seed/seed';
import { startTestApp, TestApp } from '../helpers/app';
import { ensureMysqlDatabase, isMysql, openTestDatabase, testDatabaseConfig } from '../helpers/database';

const onMysql = isMysql();
let ds: DataSource;
let t: TestApp;
let dataset: BenchDataset;

interface Statement {
  query: string;
  parameters: unknown[];
}

/** The statements the data source runs while `fn` runs, with their parameters. */
async function capture<T>(fn: () => Promise<T>): Promise<{ result: T; statements: Statement[] }> {
  const statements: Statement[] = [];
  const original = ds.logger;
  ds.logger = new Proxy(original, {
    get(target, prop, receiver) {
      if (prop === 'logQuery') return (query: string, parameters?: unknown[]) => statements.push({ query, parameters: parameters ?? [] });
      return Reflect.get(target, prop, receiver);
    },
  });
  try {
    return { result: await fn(), statements };
  } finally {
    ds.logger = original;
  }
}

interface ExplainRow {
  table: string;
  type: string;
  key: string | null;
}

/** EXPLAIN of each statement that reads `projects`, reduced to the rows for the aliases of projects and the enterprises joined to them. */
async function projectAccess(statements: Statement[]): Promise<{ query: string; rows: ExplainRow[] }[]> {
  const reading = statements.filter((s) => /^\s*SELECT/i.test(s.query) && s.query.includes('`projects`'));
  const plans = [];
  for (const s of reading) {
    const aliases = new Set([...s.query.matchAll(/`(?:projects|enterprises)` `([^`]+)`/g)].map((m) => m[1]));
    const rows = (await ds.query(`EXPLAIN ${s.query}`, s.parameters)) as ExplainRow[];
    plans.push({ query: s.query, rows: rows.filter((r) => aliases.has(r.table)) });
  }
  return plans;
}

/** The benchmark's nested list: the page query joins each project's enterprise. */
const LIST = '{ projects(first: 50) { edges { node { id enterprise { name } fundApplications { edges { node { status } } } } } } }';

beforeAll(async () => {
  if (!onMysql) {
    ds = await openTestDatabase();
    await seedDemoData(ds);
    t = await startTestApp(ds);
    return;
  }
  const db = testDatabaseConfig('explain');
  if (db.type !== 'mysql') throw new Error('expected a MySQL database');
  await ensureMysqlDatabase(db, true);
  ds = await openTestDatabase(db);
  dataset = await generateBenchData(ds, { scale: 3000 });
  t = await startTestApp(ds);
}, 180_000);

afterAll(async () => {
  await t?.close();
  await ds?.destroy();
});

it('reads projects through an index for a county officer’s list, count and lookup (SQLite EXPLAIN QUERY PLAN)', async () => {
  if (onMysql) return expect(ds.options.type).toBe('mysql'); // the MariaDB test below covers this dialect
  const token = await t.login('fucheng', DEMO_PASSWORD);
  const [{ id: lastId }] = (await ds.query(`SELECT MAX(p.id) AS id FROM projects p JOIN org_units u ON u.id = p.territoryId WHERE u.code = 'MY-FC'`)) as { id: number }[];
  const gid = toGlobalId('Project', lastId);
  for (const query of [LIST, '{ projects(first: 1) { totalCount } }', `{ node(id: "${gid}") { id } }`]) {
    const { result, statements } = await capture(() => t.gql(query, undefined, token));
    expect(result.errors).toBeUndefined();
    const reading = statements.filter((st) => /^\s*SELECT/i.test(st.query) && st.query.includes('"projects"'));
    expect(reading.length).toBeGreaterThan(0);
    for (const st of reading) {
      const plan = (await ds.query(`EXPLAIN QUERY PLAN ${st.query}`, st.parameters)) as { detail: string }[];
      const aliases = [...st.query.matchAll(/"(?:projects|enterprises)" "([^"]+)"/g)].map((m) => m[1]);
      const fullScans = plan.map((r) => r.detail).filter((d) => aliases.some((a) => new RegExp(`^SCAN ${a}$`).test(d)));
      expect({ query, fullScans, sql: st.query }).toEqual({ query, fullScans: [], sql: st.query });
    }
  }
}, 60_000);

it('reads projects through an index for a county officer’s list, count and lookup (MariaDB EXPLAIN)', async () => {
  if (!onMysql) return expect(ds.options.type).toBe('better-sqlite3'); // the SQLite test above covers this dialect
  const token = await t.login(BENCH_USERS.county, BENCH_PASSWORD);
  const scope = dataset.countyTerritoryIds.join(',');
  const [{ id: lastId }] = (await ds.query(`SELECT MAX(id) AS id FROM projects WHERE territoryId IN (${scope})`)) as { id: number }[];
  const [{ n: visible }] = (await ds.query(`SELECT COUNT(*) AS n FROM projects WHERE territoryId IN (${scope})`)) as { n: string }[];
  const gid = toGlobalId('Project', lastId);

  const cases: { name: string; query: string; expect: (data: any) => void }[] = [
    { name: 'list', query: LIST, expect: (d) => expect(d.projects.edges).toHaveLength(50) },
    { name: 'count', query: '{ projects(first: 1) { totalCount } }', expect: (d) => expect(d.projects.totalCount).toBe(Number(visible)) },
    { name: 'lookup by node(id)', query: `{ node(id: "${gid}") { id } }`, expect: (d) => expect(d.node.id).toBe(gid) },
    { name: 'lookup by project(id)', query: `{ project(id: "${gid}") { id } }`, expect: (d) => expect(d.project.id).toBe(gid) },
  ];
  for (const c of cases) {
    const { result, statements } = await capture(() => t.gql(c.query, undefined, token));
    expect(result.errors).toBeUndefined();
    c.expect(result.data);
    const plans = await projectAccess(statements);
    expect(plans.length).toBeGreaterThan(0);
    for (const plan of plans) {
      expect(plan.rows.length).toBeGreaterThan(0);
      for (const row of plan.rows) {
        // A failure names the case, the plan row and the SQL.
        expect({ case: c.name, table: row.table, type: row.type, usesKey: row.key !== null, sql: plan.query }).toEqual({
          case: c.name, table: row.table, type: expect.not.stringMatching(/^ALL$/), usesKey: true, sql: plan.query,
        });
      }
    }
  }
}, 60_000);
