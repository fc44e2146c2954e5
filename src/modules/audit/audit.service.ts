/** Writing audit events. Always called with the transaction's manager, so an event exists iff its write committed. */
import { EntityManager } from 'typeorm';
import type { Context } from '../../app/context';
import { AuditEvent } from './audit-event.entity';

export interface AuditInput {
  action: string;
  subjectType: string;
  recordId: number | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  territoryId?: number | null;
  enterpriseId?: number | null;
}

/** Only the fields that differ, so an event reads as the change it records. */
export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  if (!before || !after) return { before, after };
  const keys = Object.keys(after).filter((k) => !['updatedAt', 'version'].includes(k) && !sameValue(before[k], after[k]));
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k] ?? null])),
    after: Object.fromEntries(keys.map((k) => [k, after[k] ?? null])),
  };
}

const sameValue = (a: unknown, b: unknown) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function recordAudit(m: EntityManager, ctx: Context, input: AuditInput): Promise<void> {
  const viewer = ctx.viewer;
  const changes = changedFields(input.before ?? null, input.after ?? null);
  const event = m.create(AuditEvent);
  Object.assign(event, {
    // Set here rather than by the column default, so the insert needs no read-back.
    occurredAt: new Date(),
    actorId: viewer?.user.id ?? null,
    actorBindings: viewer ? viewer.permissions.bindings.map((b) => ({ role: b.roleKey, scopeUnitId: b.scopeUnitId })) : null,
    requestId: ctx.requestId,
    action: input.action,
    subjectType: input.subjectType,
    recordId: input.recordId,
    changes: { before: changes.before, after: changes.after },
    territoryId: input.territoryId ?? null,
    enterpriseId: input.enterpriseId ?? null,
  });
  await m.createQueryBuilder().insert().into(AuditEvent).values(event as never).updateEntity(false).execute();
}
