import { GraphQLJSON } from 'graphql-scalars';
import { Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/context';
import { Can } from '../../core/authz/operation';
import { Connection, ConnectionShape } from '../../core/graphql/connection';
import { toGlobalId } from '../../core/graphql/global-id';
import { AuditEventsArgs } from './audit-log.inputs';
import { listAuditEvents, loadAuditActor } from './audit-log.service';
import { AuditActor, AuditActorBinding, AuditEvent } from './audit-log.types';

const AuditEventConnection = Connection(AuditEvent);

/** Read-only by design: there is no mutation on audit events; old ones are pruned by `npm run audit:prune`, never through the API. */
@Resolver(() => AuditEvent)
export class AuditLogResolver {
  @Can('read', 'AuditEvent')
  @Query(() => AuditEventConnection, { description: 'The audit log, newest first: every recorded change the viewer may see.' })
  auditEvents(@Ctx() ctx: Context, @Args(() => AuditEventsArgs) args: AuditEventsArgs): Promise<ConnectionShape<AuditEvent>> {
    return listAuditEvents(ctx, args);
  }

  @FieldResolver(() => ID)
  id(@Root() event: AuditEvent): string {
    return toGlobalId('AuditEvent', event.id);
  }

  @FieldResolver(() => ID, { nullable: true, description: 'Global id of the changed record (of type `subjectType`).' })
  recordId(@Root() event: AuditEvent): string | null {
    return event.recordId === null ? null : toGlobalId(event.subjectType, event.recordId);
  }

  @FieldResolver(() => AuditActor, { nullable: true, description: 'Who made the change; null for system changes (seed, retention).' })
  actor(@Ctx() ctx: Context, @Root() event: AuditEvent): Promise<AuditActor | null> | null {
    return event.actorId === null ? null : loadAuditActor(ctx, event.actorId);
  }

  @FieldResolver(() => [AuditActorBinding], { nullable: true, description: "The actor's role bindings when the event happened." })
  actorBindings(@Root() event: AuditEvent): AuditActorBinding[] | null {
    return event.actorBindings?.map((b) => ({ role: b.role, scopeUnitId: toGlobalId('OrgUnit', b.scopeUnitId) })) ?? null;
  }

  @FieldResolver(() => GraphQLJSON, { nullable: true, description: 'The changed fields as they were (null for a creation).' })
  before(@Root() event: AuditEvent): unknown {
    return event.changes?.before ?? null;
  }

  @FieldResolver(() => GraphQLJSON, { nullable: true, description: 'The changed fields as they became (null for a deletion).' })
  after(@Root() event: AuditEvent): unknown {
    return event.changes?.after ?? null;
  }
}
