/** Reading the audit log, through the scoped path (admins and the oversight office read it by the built-in rules). */
import { In } from 'typeorm';
import type { Context } from '../../app/context';
import { scopedQuery } from '../../core/db/scoped';
import { badInput } from '../../core/errors';
import { ConnectionShape, paginate } from '../../core/graphql/connection';
import { idOfTypeOrThrow, parseGlobalId, toGlobalId } from '../../core/graphql/global-id';
import { byKey, loaderFor } from '../../core/graphql/loaders';
import { User } from '../user/user.entity';
import { AuditEventsArgs } from './audit-log.inputs';
import { AuditActor, AuditEvent } from './audit-log.types';
import { managerOf } from '../../core/db/transaction';

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export function listAuditEvents(ctx: Context, args: AuditEventsArgs): Promise<ConnectionShape<AuditEvent>> {
  const qb = scopedQuery(ctx, AuditEvent, 'ev');
  const f = args.filter ?? {};
  if (f.actorId) qb.andWhere('ev.actorId = :actorId', { actorId: idOfTypeOrThrow(f.actorId, 'User', 'filter.actorId') });
  if (f.subjectType) {
    if (!NAME.test(f.subjectType)) throw badInput('filter.subjectType', 'filter.subjectType must be a record type name such as "Project"');
    qb.andWhere('ev.subjectType = :subjectType', { subjectType: f.subjectType });
  }
  if (f.recordId) {
    const record = parseGlobalId(f.recordId);
    if (!record) throw badInput('filter.recordId', 'filter.recordId is not a valid global id');
    if (f.subjectType && f.subjectType !== record.type) throw badInput('filter.recordId', `filter.recordId is not a ${f.subjectType} id`);
    qb.andWhere('ev.subjectType = :recordType AND ev.recordId = :recordId', { recordType: record.type, recordId: record.id });
  }
  if (f.actions) {
    if (f.actions.length === 0 || f.actions.length > 50 || !f.actions.every((a) => NAME.test(a))) {
      throw badInput('filter.actions', 'filter.actions must list 1 to 50 action names');
    }
    qb.andWhere('ev.action IN (:...actions)', { actions: f.actions });
  }
  const range = f.occurredAt;
  for (const [end, op] of [['from', '>='], ['to', '<=']] as const) {
    const value = range?.[end];
    if (value === null || value === undefined) continue;
    if (Number.isNaN(value.getTime())) throw badInput(`filter.occurredAt.${end}`, `filter.occurredAt.${end} is not a valid time`);
    qb.andWhere(`ev.occurredAt ${op} :occurred_${end}`, { [`occurred_${end}`]: value });
  }
  // Newest first; ids grow with time, and an id order is stable and cheap to page.
  return paginate(qb, args, { column: 'ev.id', direction: 'DESC', valueOf: (e) => e.id }, 'ev.id');
}

/**
 * The actor of an event, as recorded: read past the viewer's User rules on purpose. Who did
 * something is part of the event the viewer may read (the oversight office reads the log but not
 * the user accounts); only the identity is exposed, nothing else of the account.
 */
export function loadAuditActor(ctx: Context, userId: number): Promise<AuditActor | null> {
  return loaderFor<number, AuditActor | null>(ctx.loaders, 'AuditEvent.actor', async (ids) => {
    const users = await managerOf(ctx).find(User, { select: { id: true, username: true, displayName: true }, where: { id: In([...ids]) } });
    return byKey(ids, users, (u) => u.id).map((u) => (u ? { id: toGlobalId('User', u.id), username: u.username, displayName: u.displayName } : null));
  }).load(userId);
}
