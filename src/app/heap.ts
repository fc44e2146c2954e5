/**
 * How far the old generation may grow between full garbage collections.
 *
 * V8 lets it grow to up to 4× what survived the last full collection on a machine with this much
 * memory. This server keeps a few tens of MiB alive (schema, entity metadata, compiled operations),
 * so under load its heap swung up to ~210 MiB and the process to ~335 MiB resident. At most 2×
 * kept it near 240 MiB; with `npm run bench` the extra full collections cost no measurable
 * throughput, because little survives a request now (its loaders are released when the response
 * is written).
 */
import { setFlagsFromString } from 'node:v8';

const HEAP_GROWING_PERCENT = 100;

/** Applies the limit unless the process was started with its own `--heap-growing-percent`. */
export function limitHeapGrowth(): void {
  if (process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent') || arg.startsWith('--heap_growing_percent'))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
