/**
 * Audit retention. Events are never changed or deleted through the API; old ones are removed only
 * by an operator running `npm run audit:prune -- --days N` (src/app/prune-audit.ts), which prints
 * how many it deleted and leaves an event recording the prune itself, so a pruned log says so.
 */
import { DataSource, LessThan } from 'typeorm';
import { AuditEvent } from './audit-event.entity';

export class RetentionError extends Error {}

/** Parses `--days N` (or `--days=N`) from command-line arguments; N must be a whole number of days, at least 1. */
export function retentionDaysOrThrow(argv: readonly string[]): number {
  let raw: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--days') raw = argv[i + 1];
    else if (argv[i].startsWith('--days=')) raw = argv[i].slice('--days='.length);
  }
  if (raw === undefined) throw new RetentionError('Usage: npm run audit:prune -- --days N   (deletes audit events older than N days; N ≥ 1)');
  if (!/^\d+$/.test(raw.trim())) throw new RetentionError(`--days must be a whole number of days (got "${raw}")`);
  const days = Number(raw.trim());
  if (days < 1) throw new RetentionError('--days must be at least 1: pruning today\'s events is refused');
  if (days > 36500) throw new RetentionError('--days must be at most 36500');
  return days;
}

export interface PruneResult {
  days: number;
  cutoff: Date;
  deleted: number;
}

/** Deletes the events that occurred before `now` minus `days` days, and records the prune as an event. */
export async function pruneAuditEvents(ds: DataSource, days: number, now = new Date()): Promise<PruneResult> {
  if (!Number.isInteger(days) || days < 1) throw new RetentionError('days must be a whole number of at least 1');
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  return ds.transaction(async (m) => {
    const result = await m.delete(AuditEvent, { occurredAt: LessThan(cutoff) });
    const deleted = result.affected ?? 0;
    await m.insert(AuditEvent, {
      actorId: null,
      actorBindings: null,
      requestId: null,
      action: 'prune',
      subjectType: 'AuditEvent',
      recordId: null,
      changes: { before: null, after: { olderThanDays: days, cutoff: cutoff.toISOString(), deleted } },
      territoryId: null,
      enterpriseId: null,
    });
    return { days, cutoff, deleted };
  });
}
