import { CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { IdColumn, JsonColumn, TextColumn } from '../../core/db/columns';

export interface AuditChanges {
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Append-only record of every write, committed in the same transaction as the write. */
@Entity('audit_events')
@Index(['subjectType', 'recordId'])
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @Index()
  @CreateDateColumn({ type: 'datetime' })
  occurredAt: Date;

  @Index()
  @IdColumn({ nullable: true })
  actorId: number | null;

  /** The actor's bindings when the event happened: [{ role, scopeUnitId }]. */
  @JsonColumn({ nullable: true })
  actorBindings: { role: string; scopeUnitId: number }[] | null;

  @TextColumn(64, { nullable: true })
  requestId: string | null;

  @TextColumn(64)
  action: string;

  @TextColumn(32)
  subjectType: string;

  @IdColumn({ nullable: true })
  recordId: number | null;

  @JsonColumn({ nullable: true })
  changes: AuditChanges | null;

  @Index()
  @IdColumn({ nullable: true })
  territoryId: number | null;

  @IdColumn({ nullable: true })
  enterpriseId: number | null;
}
