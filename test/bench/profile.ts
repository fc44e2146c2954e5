/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self time per function and per package, so the
 * benchmark can say what dominates the server's CPU. Also a CLI:
 *   node dist/test/bench/profile.js <file.cpuprofile> [top] [skip-ms]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  /** Share of the busy (non-idle) time. */
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  busyMs: number;
  functions: SelfTime[];
  packages: SelfTime[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Where a frame lives: a package, the app's own file, node's internals or V8 itself. */
export function packageOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return SPECIAL.has(frame.functionName) ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const app = /\/dist\/((?:src|migrations|test)\/.*)$/.exec(url);
  if (app) return `app ${app[1].replace(/\/[^/]+$/, '/')}`;
  return url.replace(/^file:\/\//, '');
}

function shortLocation(frame: CallFrame): string {
  if (!frame.url) return '';
  const url = frame.url.replace(/^file:\/\//, '');
  const modules = /node_modules\/(.*)$/.exec(url);
  const app = /\/dist\/(.*)$/.exec(url);
  return `${modules?.[1] ?? app?.[1] ?? url}:${frame.lineNumber + 1}`;
}

/** `fromMs`: ignore the first milliseconds of the profile (start-up and warm-up). */
export function summariseProfile(profile: CpuProfile, top = 25, fromMs = 0): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; charge each interval to the sample that ends it.
  let clock = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    clock += delta;
    if (clock >= fromMs * 1000) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });

  const functions = new Map<string, { name: string; where: string; us: number }>();
  const packages = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const name = frame.functionName || '(anonymous)';
    const where = shortLocation(frame);
    const key = `${name}\u0000${where}`;
    const entry = functions.get(key) ?? { name, where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    const pkg = packageOf(frame);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const share = (us: number) => (busyUs > 0 ? us / busyUs : 0);
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    busyMs: busyUs / 1000,
    functions: [...functions.values()].sort((a, b) => b.us - a.us).slice(0, top).map((f) => ({ name: f.name, where: f.where, ms: f.us / 1000, share: share(f.us) })),
    packages: [...packages.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, where: '', ms: us / 1000, share: share(us) })),
  };
}

export function formatSummary(s: ProfileSummary, requests?: number): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;
  const lines = [
    `CPU profile: ${(s.totalMs / 1000).toFixed(1)} s sampled, ${(s.busyMs / 1000).toFixed(1)} s busy (${pct(s.busyMs / Math.max(1, s.totalMs)).trim()} of the main thread)` +
      (requests ? `, ${((s.busyMs * 1000) / requests).toFixed(0)} µs of main-thread CPU per request` : ''),
    '',
    'self time by package (share of busy time):',
    ...s.packages.map((p) => `  ${pct(p.share)}  ${p.ms.toFixed(0).padStart(7)} ms  ${p.name}`),
    '',
    'top functions by self time:',
    ...s.functions.map((f) => `  ${pct(f.share)}  ${f.ms.toFixed(0).padStart(7)} ms  ${f.name}  ${f.where}`),
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const [file, top, fromMs] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node dist/test/bench/profile.js <file.cpuprofile> [top] [skip-ms]');
    process.exit(2);
  }
  console.log(formatSummary(summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(top ?? 25), Number(fromMs ?? 0))));
}
