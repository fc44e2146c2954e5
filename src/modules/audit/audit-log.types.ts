/**
 * The GraphQL shape of audit events (read-only: no operation changes or deletes one). The entity
 * (audit-event.entity.ts) is written by every module through audit.service; its GraphQL fields are
 * declared here with the decorators an entity file would carry, and the derived ones (global ids,
 * actor, before/after) are resolved in audit-log.resolver.ts.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { AuditEvent } from './audit-event.entity';

Field(() => Date)(AuditEvent.prototype, 'occurredAt');
Field(() => String, { description: 'What was done: create, update, delete, or a named step (disable, resetPassword, move, submit, …).' })(
  AuditEvent.prototype,
  'action',
);
Field(() => String, { description: 'The kind of record, e.g. "Project", "User", "RoleBinding".' })(AuditEvent.prototype, 'subjectType');
Field(() => String, { nullable: true, description: 'The request it happened in (the `x-request-id` response header), to match server logs.' })(
  AuditEvent.prototype,
  'requestId',
);
ObjectType('AuditEvent', { description: 'One recorded change: who, when, in which request, and the changed fields before and after. Append-only.' })(
  AuditEvent,
);

@ObjectType({ description: 'Who made a change, as recorded with the event.' })
export class AuditActor {
  @Field(() => ID, { description: 'Global id of the user.' })
  id: string;

  @Field(() => String)
  username: string;

  @Field(() => String)
  displayName: string;
}

@ObjectType({ description: "One of the actor's role bindings when the event happened." })
export class AuditActorBinding {
  @Field(() => String)
  role: string;

  @Field(() => ID)
  scopeUnitId: string;
}

export { AuditEvent };
