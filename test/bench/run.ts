/**
 * `npm run bench`: measures the platform against the hand-written limit.
 *
 *  1. Builds the benchmark database (test/bench/generate.ts) at `--scale` projects, or reuses it.
 *  2. Starts the real server from the tsc output (dist/src/main.js: loadConfig → migrations →
 *     startApp) in a child process with NODE_ENV=production and a throw-away JWT secret, and the
 *     hand-written baseline (baseline-server.ts) beside it; each connects to MariaDB with its own
 *     account so their SQL statements can be counted apart.
 *  3. Signs in the scenario users and checks that platform and baseline return the same project ids
 *     (and the same JSON) for the county officer, and that every list returns the ids SQL says.
 *  4. Drives each scenario with autocannon at fixed concurrency after a warm-up; the county nested
 *     list runs alternately on the baseline and the platform (A B A B).
 *  5. Counts SQL statements per request, measures the servers' CPU time per request and samples
 *     their resident memory, prints a table, the platform/baseline ratios and the issue's targets;
 *     optionally CPU-profiles the platform.
 *
 * Options: --scale N, --duration S, --warmup S, --rounds N, --connections N, --reuse, --profile,
 * --smoke, --county CODE, --only a,b, --json FILE. `npm run bench -- --help` lists them.
 */
import 'reflect-metadata';
import autocannon from 'autocannon';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { DataSource } from 'typeorm';
import { buildSchema } from '../../src/app/build-schema';
import { currentMonth } from '../../src/core/validation';
import { addMonths } from '../../src/seed/demo-calendar';
import { Prng } from '../../src/seed/prng';
import { BenchDatabase, benchDatabase, buildBenchDatabase, readBenchDataset, serverUrl } from './database';
import { BENCH_PASSWORD, BenchDataset, DEFAULT_COUNTY, DEFAULT_SCALE, LAST_REPORT, MAX_SCALE } from './generate';
import { CpuProfile, formatSummary, summariseProfile } from './profile';
import { body, LOGIN, NESTED_LIST, NODE_LOOKUP, PAGE_SIZE, SAVE_REPORT, STATS, SUBMIT_REPORT } from './scenarios';

const ROOT = resolve(__dirname, '../../..');
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
const LOG_DIR = mkdtempSync(join(tmpdir(), 'techtransform-bench-logs-'));

/** The last lines of a log file. */
function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------
// Options

interface Options {
  scale: number;
  duration: number;
  warmup: number;
  rounds: number;
  connections: number;
  reuse: boolean;
  profile: boolean;
  smoke: boolean;
  county: string;
  only: Set<string> | null;
  json: string | null;
  nodeFlags: string[];
  /** Sequential requests per statement count. */
  countRequests: number;
}

const SCENARIOS = ['county-list', 'leader-list', 'enterprise-list', 'node-lookup', 'stats', 'writes'] as const;
type ScenarioName = (typeof SCENARIOS)[number];

const HELP = `npm run bench -- [options]
  --scale N         projects in the generated database (default ${DEFAULT_SCALE}, at most ${MAX_SCALE})
  --duration S      measured seconds per scenario run (default 10)
  --warmup S        warm-up seconds before each run (default 3)
  --rounds N        baseline/platform alternations of the county list (default 4: A B A B A B A B; single rounds'
                    ratios differ by a few percent on a shared host)
  --connections N   concurrent connections (default 10)
  --reuse           keep the benchmark database if it already has this scale (default: rebuild)
  --profile         afterwards, CPU-profile the platform (node --cpu-prof) during the county list
  --county CODE     the county officer's county (default ${DEFAULT_COUNTY})
  --only a,b        run only these scenarios: ${SCENARIOS.join(', ')}
  --json FILE       also write the results as JSON
  --node-flags "F"  node flags for the platform server only, e.g. "--max-old-space-size=384"
  --smoke           tiny scale (1,000 projects), 2 s per run: a quick check that the benchmark works
Environment: BENCH_DATABASE_URL (default mysql://root@127.0.0.1:3306/techtransform_bench; --smoke adds _smoke).`;

function parseOptions(argv: string[]): Options {
  const o: Options = {
    scale: DEFAULT_SCALE, duration: 10, warmup: 3, rounds: 4, connections: 10, reuse: false, profile: false, smoke: false,
    county: DEFAULT_COUNTY, only: null, json: null, nodeFlags: [], countRequests: 20,
  };
  const explicit = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const number = (min: number, max: number) => {
      const n = Number(value());
      if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${flag} must be a number from ${min} to ${max}`);
      explicit.add(flag);
      return n;
    };
    switch (flag) {
      case '--scale': o.scale = Math.round(number(100, MAX_SCALE)); break;
      case '--duration': o.duration = number(1, 600); break;
      case '--warmup': o.warmup = number(0, 120); break;
      case '--rounds': o.rounds = Math.round(number(1, 20)); break;
      case '--connections': o.connections = Math.round(number(1, 500)); break;
      case '--reuse': o.reuse = true; break;
      case '--profile': o.profile = true; break;
      case '--smoke': o.smoke = true; break;
      case '--county': o.county = value(); break;
      case '--json': o.json = resolve(value()); break;
      case '--node-flags': o.nodeFlags = value().split(' ').filter(Boolean); break;
      case '--only': {
        const names = value().split(',');
        const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
        if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`);
        o.only = new Set(names);
        break;
      }
      case '--help': case '-h': console.log(HELP); process.exit(0); break;
      default: throw new Error(`unknown option ${flag}\n${HELP}`);
    }
  }
  if (o.smoke) {
    if (!explicit.has('--scale')) o.scale = 1000;
    if (!explicit.has('--duration')) o.duration = 2;
    if (!explicit.has('--warmup')) o.warmup = 0.5;
    if (!explicit.has('--rounds')) o.rounds = 2;
    o.countRequests = 5;
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Counting SQL statements per server

/**
 * Each server connects with its own MariaDB account, and statements are counted per account from
 * information_schema.USER_STATISTICS (SELECT + UPDATE + OTHER commands; MariaDB's `userstat`, turned
 * on for the run and restored after). Other clients of the same MariaDB (tests running meanwhile)
 * do not disturb the count. Where accounts or userstat cannot be had, it falls back to the global
 * `Questions` counter before/after, which is exact only on an otherwise idle server.
 */
class StatementCounter {
  private constructor(
    private readonly admin: DataSource,
    readonly method: 'userstat' | 'questions',
    private readonly accounts: string[],
    private readonly restoreUserstat: boolean,
  ) {}

  static async setup(db: BenchDatabase): Promise<{ counter: StatementCounter; platformUrl: string; baselineUrl: string }> {
    const admin = new DataSource({ type: 'mysql', url: serverUrl(db) });
    await admin.initialize();
    const urlFor = (user: string, password: string) => {
      const url = new URL(db.url);
      url.username = user;
      url.password = password;
      return url.toString();
    };
    const accounts = [`ttbench_p${process.pid}`, `ttbench_b${process.pid}`];
    try {
      const [{ on }] = (await admin.query('SELECT @@global.userstat AS `on`')) as { on: number }[];
      const password = randomBytes(12).toString('hex');
      for (const account of accounts) {
        await admin.query(`DROP USER IF EXISTS '${account}'@'%'`);
        await admin.query(`CREATE USER '${account}'@'%' IDENTIFIED BY '${password}'`);
        await admin.query(`GRANT ALL PRIVILEGES ON \`${db.name}\`.* TO '${account}'@'%'`);
      }
      if (!Number(on)) await admin.query('SET GLOBAL userstat = 1');
      const counter = new StatementCounter(admin, 'userstat', accounts, !Number(on));
      return { counter, platformUrl: urlFor(accounts[0], password), baselineUrl: urlFor(accounts[1], password) };
    } catch (error) {
      console.warn(`! cannot create counting accounts or enable userstat (${(error as Error).message}); counting with the global Questions counter instead`);
      return { counter: new StatementCounter(admin, 'questions', [], false), platformUrl: db.url, baselineUrl: db.url };
    }
  }

  async read(server: 'platform' | 'baseline'): Promise<number> {
    // MariaDB adds a statement to the statistics just after answering it: let the last one land.
    await new Promise((done) => setTimeout(done, 100));
    if (this.method === 'questions') {
      const [row] = (await this.admin.query("SHOW GLOBAL STATUS LIKE 'Questions'")) as { Value: string }[];
      // This SHOW is itself a question: take it off.
      return Number(row.Value) - 1;
    }
    const account = this.accounts[server === 'platform' ? 0 : 1];
    const rows = (await this.admin.query(
      'SELECT SELECT_COMMANDS + UPDATE_COMMANDS + OTHER_COMMANDS AS n FROM information_schema.USER_STATISTICS WHERE USER = ?',
      [account],
    )) as { n: string | number }[];
    return Number(rows[0]?.n ?? 0);
  }

  async teardown(): Promise<void> {
    try {
      for (const account of this.accounts) await this.admin.query(`DROP USER IF EXISTS '${account}'@'%'`);
      if (this.restoreUserstat) await this.admin.query('SET GLOBAL userstat = 0');
    } finally {
      await this.admin.destroy();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Server processes

/**
 * A server in a child process. Its stdout and stderr go to a log file, not a pipe: a pipe is drained
 * by this (busy) process, and a server writing its per-request log line would wait for it.
 */
class ServerProcess {
  private exited: Promise<number | null>;

  private constructor(readonly name: string, readonly child: ChildProcess, readonly url: string, readonly logFile: string) {
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  get pid(): number {
    return this.child.pid!;
  }

  static start(name: string, args: string[], env: NodeJS.ProcessEnv, readyLine: (line: Record<string, unknown>) => string | null): Promise<ServerProcess> {
    const logFile = join(LOG_DIR, `${name}-${Date.now()}.log`);
    const fd = openSync(logFile, 'w');
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    return new Promise((done, fail) => {
      let settled = false;
      const finish = (result: ServerProcess | Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(poll);
        if (result instanceof Error) {
          child.kill('SIGKILL');
          fail(result);
        } else done(result);
      };
      const timer = setTimeout(() => finish(new Error(`${name} did not start within 60 s:\n${tail(logFile)}`)), 60_000);
      const poll = setInterval(() => {
        for (const line of readFileSync(logFile, 'utf8').split('\n')) {
          try {
            const url = readyLine(JSON.parse(line) as Record<string, unknown>);
            if (url) return finish(new ServerProcess(name, child, url, logFile));
          } catch {
            /* not a (complete) JSON line */
          }
        }
      }, 50);
      child.once('exit', (code) => finish(new Error(`${name} exited with code ${code}:\n${tail(logFile)}`)));
    });
  }

  /** Resident memory now and at its peak, MiB (Linux /proc). */
  memory(): { rss: number; peak: number } {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
    } catch {
      return { rss: NaN, peak: NaN };
    }
  }

  /** CPU time the process has used, all threads, user + system, in ms (Linux /proc). */
  cpuMs(): number {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    } catch {
      return NaN;
    }
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

interface ServerEnv {
  databaseUrl: string;
  jwtSecret: string;
  /** Node flags for the platform only (e.g. a heap limit), as an operator would start it. */
  nodeFlags: string[];
}

function startPlatform(env: ServerEnv, cpuProfileDir?: string): Promise<ServerProcess> {
  const args = [...env.nodeFlags, ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []), join(ROOT, 'dist/src/main.js')];
  // One process: throttling state in memory, as a single production instance keeps it.
  const { REDIS_URL: _redis, ...inherited } = process.env;
  return ServerProcess.start('platform', args, {
    ...inherited,
    NODE_ENV: 'production',
    DATABASE_URL: env.databaseUrl,
    JWT_SECRET: env.jwtSecret,
    PORT: '0',
    HOST: '127.0.0.1',
    // Long enough for a 1,000,000-project run with --profile; production keeps 15m.
    ACCESS_TOKEN_TTL: '4h',
    // Ten connections of one user are far above a person's rate; the limiter still counts every request.
    RATE_LIMIT_PER_MINUTE: '1000000000',
    LOG_LEVEL: 'info',
  }, (line) => (line.msg === 'server started' && typeof line.url === 'string' ? line.url : null));
}

function startBaseline(env: ServerEnv, territoryIds: number[]): Promise<ServerProcess> {
  return ServerProcess.start('baseline', [join(ROOT, 'dist/test/bench/baseline-server.js')], {
    ...process.env,
    DATABASE_URL: env.databaseUrl,
    JWT_SECRET: env.jwtSecret,
    BASELINE_TERRITORY_IDS: territoryIds.join(','),
    PORT: '0',
    HOST: '127.0.0.1',
  }, (line) => (line.msg === 'baseline listening' && typeof line.url === 'string' ? line.url : null));
}

/** Samples a server's resident memory while a run lasts. */
function sampleMemory(server: ServerProcess): () => number {
  let max = server.memory().rss;
  const timer = setInterval(() => (max = Math.max(max, server.memory().rss)), 100);
  return () => {
    clearInterval(timer);
    return Math.max(max, server.memory().rss);
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP

interface GraphQLAnswer {
  status: number;
  text: string;
  json: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

async function post(url: string, payload: string, token?: string): Promise<GraphQLAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: payload,
  });
  const text = await res.text();
  let json: GraphQLAnswer['json'] = {};
  try {
    json = JSON.parse(text) as GraphQLAnswer['json'];
  } catch {
    /* reported by the caller */
  }
  return { status: res.status, text, json };
}

/** "yes", or where two answers' texts first differ. */
function describeTextDifference(a: string, b: string): string {
  if (a === b) return 'yes';
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `no, from character ${i}: platform …${JSON.stringify(a.slice(Math.max(0, i - 20), i + 40))}, baseline …${JSON.stringify(b.slice(Math.max(0, i - 20), i + 40))}`;
}

const errorsOf = (a: GraphQLAnswer) => (a.status !== 200 || a.json.errors?.length || !a.json.data ? `HTTP ${a.status} ${a.text.slice(0, 300)}` : null);

async function login(url: string, username: string): Promise<string> {
  const answer = await post(url, body(LOGIN, { input: { username, password: BENCH_PASSWORD } }));
  const token = answer.json.data?.login?.accessToken as string | undefined;
  if (!token) throw new Error(`login ${username} failed: ${answer.text.slice(0, 300)}`);
  return token;
}

// ---------------------------------------------------------------------------------------------
// Load

interface Load {
  /** The request bodies: one fixed body, or a sequence built per connection. */
  requests: autocannon.Request[];
  token: string;
  /** Gets the run, to stop it early (the write scenario when it runs out of free months). */
  onInstance?: (instance: autocannon.Instance) => void;
  /** Answers to filler requests sent after running out, left out of the figures. */
  isFiller?: (text: string) => boolean;
  /** When the load ran out (performance.now()), if it did: the run's figures end there. */
  exhaustedAt?: () => number | null;
}

interface RunResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  firstError: string | null;
  rssMax: number;
  /** The server's CPU time (all threads) per request during the run: steadier than req/s on a busy machine. */
  cpuMsPerRequest: number;
  /** SQL statements during the timed run per request answered: reads shared by concurrent requests show here. */
  sqlPerRequestUnderLoad: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function cannon(url: string, load: Load, connections: number, duration: number, record: boolean): Promise<{ result: autocannon.Result; latencies: number[]; firstError: string | null }> {
  const latencies: number[] = [];
  let firstError: string | null = null;
  // autocannon calls a request's onResponse and then, synchronously, the client's 'response' event.
  let skipNext = false;
  const requests = load.requests.map((r) => ({
    ...r,
    onResponse: (status: number, text: string, context: Record<string, unknown>) => {
      if (load.isFiller?.(text)) {
        skipNext = true;
        return;
      }
      if (firstError === null && (status !== 200 || text.includes('"errors"'))) firstError = `HTTP ${status} ${text.slice(0, 300)}`;
      r.onResponse?.(status, text, context);
    },
  }));
  return new Promise((done, fail) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration,
        timeout: 30,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${load.token}` },
        requests,
        // A GraphQL error arrives with status 200: count it as an error (a "mismatch").
        verifyBody: (text) => !text.includes('"errors"'),
        setupClient: (client) => {
          client.on('response', (_status: number, _bytes: number, ms: number) => {
            if (skipNext) skipNext = false;
            else if (record) latencies.push(ms);
          });
        },
      },
      (error, result) => (error ? fail(error) : done({ result, latencies, firstError })),
    );
    load.onInstance?.(instance);
  });
}

async function measure(server: ServerProcess, load: Load, o: Options, statements: () => Promise<number>): Promise<RunResult> {
  if (o.warmup > 0) await cannon(server.url, load, o.connections, o.warmup, false);
  const statementsBefore = await statements();
  const memory = sampleMemory(server);
  const started = performance.now();
  const cpuBefore = server.cpuMs();
  const { result, latencies, firstError } = await cannon(server.url, load, o.connections, o.duration, true);
  const cpu = server.cpuMs() - cpuBefore;
  const rssMax = memory();
  const statementsDuring = (await statements()) - statementsBefore;
  const exhausted = load.exhaustedAt?.() ?? null;
  const seconds = exhausted === null ? result.duration : Math.max(0, (exhausted - started) / 1000);
  const sorted = Float64Array.from(latencies).sort();
  const requests = latencies.length;
  return {
    requests,
    seconds,
    rps: seconds > 0 ? requests / seconds : 0,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    errors: result.errors + result.non2xx + result.mismatches,
    firstError,
    rssMax,
    cpuMsPerRequest: requests > 0 ? cpu / requests : NaN,
    sqlPerRequestUnderLoad: requests > 0 ? statementsDuring / requests : NaN,
  };
}

/** SQL statements per request: `n` requests one after another, the server's statement counter before and after. */
async function statementsPerRequest(counter: StatementCounter, server: ServerProcess, which: 'platform' | 'baseline', payloads: () => string, token: string, n: number): Promise<number> {
  await post(server.url, payloads(), token); // connections warm
  const before = await counter.read(which);
  for (let i = 0; i < n; i++) {
    const answer = await post(server.url, payloads(), token);
    const problem = errorsOf(answer);
    if (problem) throw new Error(`${server.name}: counting request failed: ${problem}`);
  }
  const after = await counter.read(which);
  return (after - before) / n;
}

// ---------------------------------------------------------------------------------------------
// Reporting

interface Row {
  scenario: string;
  server: 'platform' | 'baseline';
  round: number | null;
  result: RunResult | null;
  sqlPerRequest: number | null;
  note: string;
}

const fixed = (n: number | null | undefined, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));

function table(rows: Row[]): string {
  const head = ['scenario', 'server', 'round', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'requests', 'SQL/req', 'SQL/req load', 'CPU ms/req', 'RSS MiB', 'note'];
  const body = rows.map((r) => {
    // A handful of requests (a write scenario that ran out at once) gives no meaningful rate or percentiles.
    const timed = r.result && r.result.requests >= MIN_TIMED_REQUESTS ? r.result : null;
    const note = r.result && !timed ? [r.note, `too few requests (${r.result.requests}) for figures`].filter(Boolean).join('; ') : r.note;
    return [
      r.scenario, r.server, r.round === null ? '' : String(r.round), fixed(timed?.rps, 0), fixed(timed?.p50, 2), fixed(timed?.p99, 2),
      r.result ? String(r.result.errors) : '–', r.result ? String(r.result.requests) : '–', fixed(r.sqlPerRequest, 2), fixed(timed?.sqlPerRequestUnderLoad, 2), fixed(timed?.cpuMsPerRequest, 2),
      fixed(r.result?.rssMax, 0), note,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const right = new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const line = (cells: string[]) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const MIN_TIMED_REQUESTS = 50;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

// ---------------------------------------------------------------------------------------------
// The run

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  const want = (s: ScenarioName) => !o.only || o.only.has(s);
  const db = benchDatabase(undefined, o.smoke ? '_smoke' : '');
  const failures: string[] = [];

  console.log(`techtransform bench${o.smoke ? ' (smoke)' : ''}: ${o.scale.toLocaleString('en')} projects, ${o.connections} connections, ` +
    `${o.warmup} s warm-up + ${o.duration} s per run, ${o.rounds} baseline/platform rounds`);
  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}, database ${db.name}`);

  // 1. Data.
  let dataset: BenchDataset | null = o.reuse ? await readBenchDataset(db, o.scale, o.county) : null;
  if (dataset) console.log(`data: reusing ${db.name}`);
  else {
    console.log(`data: generating ${db.name} …`);
    dataset = await buildBenchDatabase(db, { scale: o.scale, countyCode: o.county, log: o.scale >= 100_000 ? (m) => console.log(m) : undefined });
    console.log(`data: generated in ${dataset.seconds.toFixed(1)} s`);
  }
  const c = dataset.counts;
  console.log(`      ${c.enterprises} enterprises, ${c.projects} projects, ${c.fundApplications} fund applications, ${c.landRequests} land requests, ` +
    `${c.monthlyReports} monthly reports; county ${dataset.countyCode} = units ${dataset.countyTerritoryIds.join(', ')}`);

  // 2. Accounts, servers, sign-in.
  const { counter, platformUrl, baselineUrl } = await StatementCounter.setup(db);
  const secret = randomBytes(32).toString('hex');
  const servers: ServerProcess[] = [];
  const stopAll = async () => {
    for (const s of servers.splice(0)) await s.stop();
  };
  const interrupted = () => void stopAll().then(() => counter.teardown()).finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  const admin = new DataSource({ type: 'mysql', url: db.url });
  await admin.initialize();
  const rows: Row[] = [];
  try {
    let platform = await startPlatform({ databaseUrl: platformUrl, jwtSecret: secret, nodeFlags: o.nodeFlags });
    servers.push(platform);
    const baseline = await startBaseline({ databaseUrl: baselineUrl, jwtSecret: secret, nodeFlags: [] }, dataset.countyTerritoryIds);
    servers.push(baseline);
    console.log(`servers: platform pid ${platform.pid} (${platform.memory().rss.toFixed(0)} MiB at rest), baseline pid ${baseline.pid} (${baseline.memory().rss.toFixed(0)} MiB); ` +
      `SQL counted by ${counter.method === 'userstat' ? 'per-account USER_STATISTICS' : 'global Questions (noisy if the database is shared)'}; logs in ${LOG_DIR}`);
    const tokens = {
      county: await login(platform.url, dataset.users.county.username),
      leader: await login(platform.url, dataset.users.leader.username),
      enterprise: await login(platform.url, dataset.users.enterprise.username),
    };

    // What the platform offers now.
    const schema = await buildSchema();
    const queries = Object.keys(schema.getQueryType()?.getFields() ?? {});
    const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {});

    // 3. Correctness: same ids (and JSON) from both servers; each list the ids SQL gives.
    const scope = dataset.countyTerritoryIds.join(',');
    const idsBySql = async (where: string) =>
      ((await admin.query(`SELECT id FROM projects ${where} ORDER BY id LIMIT ${PAGE_SIZE}`)) as { id: number }[]).map((r) => Buffer.from(`Project:${r.id}`).toString('base64url'));
    const listBody = body(NESTED_LIST, { first: PAGE_SIZE });
    const idsOf = (a: GraphQLAnswer) => ((a.json.data?.projects?.edges ?? []) as { node: { id: string } }[]).map((e) => e.node.id);
    const pAnswer = await post(platform.url, listBody, tokens.county);
    const bAnswer = await post(baseline.url, listBody, tokens.county);
    for (const [who, a] of [['platform', pAnswer], ['baseline', bAnswer]] as const) {
      const problem = errorsOf(a);
      if (problem) failures.push(`${who} county list failed: ${problem}`);
    }
    const expectedCounty = await idsBySql(`WHERE territoryId IN (${scope})`);
    const sameIds = isDeepStrictEqual(idsOf(pAnswer), idsOf(bAnswer));
    const sameData = isDeepStrictEqual(pAnswer.json.data, bAnswer.json.data);
    console.log(`check: county list — platform ${idsOf(pAnswer).length} ids, baseline ${idsOf(bAnswer).length} ids; same ids: ${sameIds ? 'yes' : 'NO'}; ` +
      `same JSON data: ${sameData ? 'yes' : 'NO'} (byte-identical: ${describeTextDifference(pAnswer.text, bAnswer.text)}); ids as SQL says: ${isDeepStrictEqual(idsOf(pAnswer), expectedCounty) ? 'yes' : 'NO'}`);
    if (!sameIds) failures.push('platform and baseline return different project ids for the county officer');
    if (!sameData) failures.push('platform and baseline return different JSON for the county officer');
    if (!isDeepStrictEqual(idsOf(pAnswer), expectedCounty)) failures.push('the county list is not the first 50 projects of the county by id');
    for (const [who, token, where] of [
      ['leader', tokens.leader, ''],
      ['enterprise', tokens.enterprise, `WHERE enterpriseId = ${dataset.benchEnterpriseId}`],
    ] as const) {
      const a = await post(platform.url, listBody, token);
      const ok = !errorsOf(a) && isDeepStrictEqual(idsOf(a), await idsBySql(where));
      console.log(`check: ${who} list — ${idsOf(a).length} ids, as SQL says: ${ok ? 'yes' : 'NO'}`);
      if (!ok) failures.push(`${who} list: ${errorsOf(a) ?? 'ids differ from SQL'}`);
    }

    // 4. Scenarios.
    const fixedBody = (payload: string): autocannon.Request[] => [{ method: 'POST', path: '/graphql', body: payload }];
    const count = (server: ServerProcess, which: 'platform' | 'baseline', payloads: () => string, token: string, n = o.countRequests) =>
      statementsPerRequest(counter, server, which, payloads, token, n);
    const platformStatements = () => counter.read('platform');

    if (want('county-list')) {
      const load: Load = { requests: fixedBody(listBody), token: tokens.county };
      for (let round = 1; round <= o.rounds; round++) {
        for (const [which, server] of [['baseline', baseline], ['platform', platform]] as const) {
          const result = await measure(server, load, o, () => counter.read(which));
          rows.push({ scenario: 'county list', server: which, round, result, sqlPerRequest: null, note: '' });
          console.log(`  county list  ${which.padEnd(8)} round ${round}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ` +
            `${result.cpuMsPerRequest.toFixed(2)} CPU ms/req, ${result.errors} errors`);
        }
      }
      const sql = { platform: await count(platform, 'platform', () => listBody, tokens.county), baseline: await count(baseline, 'baseline', () => listBody, tokens.county) };
      for (const r of rows) if (r.scenario === 'county list') r.sqlPerRequest = sql[r.server];
      // Statements must not grow with the page size.
      const bySize: Record<number, number> = {};
      for (const first of [1, 10, 50, 100]) bySize[first] = await count(platform, 'platform', () => body(NESTED_LIST, { first }), tokens.county, Math.min(o.countRequests, 10));
      const constant = new Set(Object.values(bySize)).size === 1;
      console.log(`  SQL statements per county list by page size: ${Object.entries(bySize).map(([k, v]) => `first ${k}: ${v}`).join(', ')} — ${constant ? 'constant' : 'NOT constant'}`);
      // Exact only with per-account counting; the global counter also sees other clients.
      if (!constant && counter.method === 'userstat') failures.push('SQL statements per request grow with the page size');
      rows.push({ scenario: 'county list', server: 'platform', round: null, result: null, sqlPerRequest: null, note: `page size 1/10/50/100: ${Object.values(bySize).join('/')} statements` });
    }

    for (const [scenario, key, token] of [['leader-list', 'leader list', tokens.leader], ['enterprise-list', 'enterprise list', tokens.enterprise]] as const) {
      if (!want(scenario)) continue;
      const result = await measure(platform, { requests: fixedBody(listBody), token }, o, platformStatements);
      rows.push({ scenario: key, server: 'platform', round: null, result, sqlPerRequest: await count(platform, 'platform', () => listBody, token), note: '' });
      console.log(`  ${key.padEnd(15)}: ${result.rps.toFixed(0)} req/s, p99 ${result.p99.toFixed(2)} ms`);
    }

    if (want('node-lookup')) {
      const ids = ((await admin.query(`SELECT id FROM projects WHERE territoryId IN (${scope}) ORDER BY id`)) as { id: number }[]).map((r) => r.id);
      const rng = new Prng(8);
      const next = () => body(NODE_LOOKUP, { id: Buffer.from(`Project:${ids[Math.floor(rng.next() * ids.length)]}`).toString('base64url') });
      const result = await measure(platform, { requests: [{ method: 'POST', path: '/graphql', setupRequest: (req) => ({ ...req, body: next() }) }], token: tokens.county }, o, platformStatements);
      rows.push({ scenario: 'node(id)', server: 'platform', round: null, result, sqlPerRequest: await count(platform, 'platform', next, tokens.county), note: `random ids of ${ids.length} visible projects` });
      console.log(`  node(id)       : ${result.rps.toFixed(0)} req/s, p99 ${result.p99.toFixed(2)} ms`);
    }

    if (want('stats')) {
      const candidates = queries.filter((q) => /stat/i.test(q));
      if (STATS && queries.includes(STATS.rootField)) {
        const payload = body(STATS.query);
        const result = await measure(platform, { requests: fixedBody(payload), token: tokens.county }, o, platformStatements);
        rows.push({ scenario: 'statistics', server: 'platform', round: null, result, sqlPerRequest: await count(platform, 'platform', () => payload, tokens.county), note: STATS.rootField });
      } else {
        const note = candidates.length ? `not measured: the schema has ${candidates.join(', ')}; write its query in scenarios.ts (STATS)` : 'missing: the platform has no statistics query';
        rows.push({ scenario: 'statistics', server: 'platform', round: null, result: null, sqlPerRequest: null, note });
        console.log(`  statistics     : ${note}`);
      }
    }

    if (want('writes')) {
      if (!mutations.includes('saveMonthlyReport') || !mutations.includes('submitMonthlyReport')) {
        rows.push({ scenario: 'writes', server: 'platform', round: null, result: null, sqlPerRequest: null, note: 'missing: no saveMonthlyReport/submitMonthlyReport' });
      } else {
        // Free (project, month) pairs of the county's projects under construction: months after each
        // project's last report up to the current month, month by month, so saves append.
        const projects = (await admin.query(
          `SELECT p.id, COALESCE(MAX(r.period), ?) AS last FROM projects p LEFT JOIN monthly_reports r ON r.projectId = p.id
           WHERE p.territoryId IN (${scope}) AND p.stage = 'UNDER_CONSTRUCTION' GROUP BY p.id ORDER BY p.id`,
          [LAST_REPORT],
        )) as { id: number; last: string }[];
        type Slot = { projectId: number; period: string };
        const saveInput = (slot: Slot) => ({
          projectId: Buffer.from(`Project:${slot.projectId}`).toString('base64url'), period: slot.period, monthInvestment: '12.5', progressPercent: '50', progressText: '基准测试',
        });
        const now = currentMonth();
        // The sequential statement count afterwards uses projects of its own (each saving its next
        // month), so it neither runs out nor fills in a month before ones the load saved.
        const counted = projects.splice(Math.max(0, projects.length - o.countRequests));
        const reserved: Slot[] = counted.map((p) => ({ projectId: p.id, period: addMonths(p.last, 1) })).filter((slot) => slot.period <= now);
        if (reserved.length < o.countRequests) throw new Error(`writes: too few projects with a free report month in ${db.name}; rebuild it (run without --reuse)`);
        const slots: Slot[] = [];
        for (let period = addMonths(LAST_REPORT, 1); period <= now; period = addMonths(period, 1)) {
          for (const p of projects) if (p.last < period) slots.push({ projectId: p.id, period });
        }
        let taken = 0;
        let instance: autocannon.Instance | undefined;
        let exhaustedAt: number | null = null;
        const FILLER = body('query BenchFiller { __typename }');
        const save = () => {
          const slot = slots[taken++];
          if (!slot) {
            exhaustedAt ??= performance.now();
            instance?.stop(); // takes effect within a second; until then fillers, left out of the figures
            return FILLER;
          }
          return body(SAVE_REPORT, { input: saveInput(slot) });
        };
        const requests: autocannon.Request[] = [
          {
            method: 'POST',
            path: '/graphql',
            setupRequest: (req) => ({ ...req, body: save() }),
            onResponse: (_status, text, context) => {
              const m = /"report":\{"id":"([^"]+)","version":(\d+)/.exec(text);
              context.report = m ? { id: m[1], version: Number(m[2]) } : undefined;
            },
          },
          {
            method: 'POST',
            path: '/graphql',
            setupRequest: (req, context) => {
              const report = context.report as { id: string; version: number } | undefined;
              return report ? { ...req, body: body(SUBMIT_REPORT, { input: { id: report.id, expectedVersion: report.version, comment: null } }) } : null;
            },
          },
        ];
        const before = slots.length;
        const result = await measure(platform, {
          requests,
          token: tokens.county,
          onInstance: (i) => (instance = i),
          isFiller: (text) => text.startsWith('{"data":{"__typename":'),
          exhaustedAt: () => exhaustedAt,
        }, o, platformStatements);
        // Statement count: save+submit pairs, one after another.
        const n = o.countRequests;
        const start = await counter.read('platform');
        for (const slot of reserved) {
          const saved = await post(platform.url, body(SAVE_REPORT, { input: saveInput(slot) }), tokens.county);
          const report = saved.json.data?.saveMonthlyReport?.report as { id: string; version: number } | undefined;
          if (!report) throw new Error(`counting: saveMonthlyReport failed: ${saved.text.slice(0, 300)}`);
          const submitted = await post(platform.url, body(SUBMIT_REPORT, { input: { id: report.id, expectedVersion: report.version, comment: null } }), tokens.county);
          if (errorsOf(submitted)) throw new Error(`counting: submitMonthlyReport failed: ${errorsOf(submitted)}`);
        }
        const statements = (await counter.read('platform')) - start;
        const note = `save+submit pairs as the county officer; ${(statements / n).toFixed(1)} statements per pair; ${Math.max(0, before - taken)} free months left` +
          (exhaustedAt !== null ? '; ran out of free months: figures up to then' : '');
        rows.push({ scenario: 'writes', server: 'platform', round: null, result, sqlPerRequest: statements / (2 * n), note });
        console.log(`  writes         : ${result.requests} requests, ${result.rps.toFixed(0)} req/s, p99 ${result.p99.toFixed(2)} ms`);
      }
    }

    // 5. Optional CPU profile of the county list.
    let profileText: string | null = null;
    if (o.profile) {
      await platform.stop();
      servers.splice(servers.indexOf(platform), 1);
      const dir = mkdtempSync(join(tmpdir(), 'techtransform-bench-profile-'));
      const spawned = performance.now();
      platform = await startPlatform({ databaseUrl: platformUrl, jwtSecret: secret, nodeFlags: o.nodeFlags }, dir);
      servers.push(platform);
      const load: Load = { requests: fixedBody(listBody), token: await login(platform.url, dataset.users.county.username) };
      if (o.warmup > 0) await cannon(platform.url, load, o.connections, o.warmup, false);
      const windowStart = performance.now() - spawned;
      const { latencies } = await cannon(platform.url, load, o.connections, o.duration, true);
      await platform.stop();
      servers.splice(servers.indexOf(platform), 1);
      const file = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f))[0];
      if (!file) failures.push('the platform wrote no CPU profile');
      else {
        const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
        profileText = `${formatSummary(summariseProfile(profile, 25, windowStart), latencies.length)}\n` +
          'Samples are wall-clock: time in socket writes (writeBuffer, writev) includes waiting while MariaDB, woken by the write, runs on the same cores.\n' +
          `profile: ${file} (open in Chrome DevTools › Performance)`;
      }
    }

    // 6. Report.
    await stopAll();
    console.log('');
    console.log(table(rows));
    console.log('');
    const runs = (scenario: string, server: string) => rows.filter((r) => r.scenario === scenario && r.server === server && r.result).map((r) => r.result!);
    const platformRuns = runs('county list', 'platform');
    const baselineRuns = runs('county list', 'baseline');
    const summary: Record<string, unknown> = {};
    if (platformRuns.length && baselineRuns.length) {
      const tp = mean(platformRuns.map((r) => r.rps)) / mean(baselineRuns.map((r) => r.rps));
      const p99 = mean(platformRuns.map((r) => r.p99)) / mean(baselineRuns.map((r) => r.p99));
      const p50 = mean(platformRuns.map((r) => r.p50)) / mean(baselineRuns.map((r) => r.p50));
      const cpu = mean(platformRuns.map((r) => r.cpuMsPerRequest)) / mean(baselineRuns.map((r) => r.cpuMsPerRequest));
      Object.assign(summary, { throughputRatio: tp, p99Ratio: p99, p50Ratio: p50, cpuPerRequestRatio: cpu });
      console.log(`platform/baseline, county list (mean of ${o.rounds} rounds): throughput ${tp.toFixed(3)} (target ≥ 0.5: ${tp >= 0.5 ? 'met' : 'not met'}), ` +
        `p99 ${p99.toFixed(2)}× (target ≤ 3: ${p99 <= 3 ? 'met' : 'not met'}), p50 ${p50.toFixed(2)}×, server CPU per request ${cpu.toFixed(2)}×; ` +
        `county list p50 ${fixed(mean(platformRuns.map((r) => r.p50)), 2)} ms at ${o.scale.toLocaleString('en')} projects`);
    }
    const sqlList = rows.find((r) => r.scenario === 'county list' && r.server === 'platform')?.sqlPerRequest;
    const underLoad = mean(rows.filter((r) => r.scenario === 'county list' && r.server === 'platform' && r.result).map((r) => r.result!.sqlPerRequestUnderLoad));
    if (sqlList !== undefined && sqlList !== null) {
      console.log(`SQL per nested list: ${sqlList.toFixed(2)} one request at a time (target ≤ 4: 3 relation levels + 1), ${fixed(underLoad, 2)} under load`);
    }
    const rssMax = Math.max(...rows.filter((r) => r.server === 'platform' && r.result).map((r) => r.result!.rssMax));
    if (Number.isFinite(rssMax)) console.log(`platform resident memory under load: max ${rssMax.toFixed(0)} MiB (target ≤ 250: ${rssMax <= 250 ? 'met' : 'not met'})`);
    const errors = rows.filter((r) => r.result && r.result.errors > 0);
    for (const r of errors) failures.push(`${r.scenario} on the ${r.server}: ${r.result!.errors} errors, first: ${r.result!.firstError}`);
    if (profileText) console.log(`\n${profileText}`);
    if (o.json) {
      writeFileSync(o.json, JSON.stringify({ options: { ...o, only: o.only && [...o.only] }, dataset, statementCounting: counter.method, rows, summary, failures }, null, 2));
      console.log(`results: ${o.json}`);
    }
  } finally {
    process.removeListener('SIGINT', interrupted);
    await stopAll();
    await admin.destroy();
    await counter.teardown();
  }
  if (failures.length) {
    console.error(`\nFAILED:\n${failures.map((f) => `- ${f}`).join('\n')}\n(server logs: ${LOG_DIR})`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exit(1);
  },
);
