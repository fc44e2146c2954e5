import { CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EnumColumn, IdColumn, LongTextColumn, TextColumn } from '../../core/db/columns';

/**
 * The history of every workflow record: who moved which record from which state to which, when
 * and why. One table for all record types; it carries the record's scope keys so it is read
 * through the same rules as the record.
 */
@Entity('workflow_transitions')
@Index(['subjectType', 'recordId', 'id'])
export class WorkflowTransition {
  @PrimaryGeneratedColumn({ type: 'int' })
  id: number;

  @TextColumn(32)
  subjectType: string;

  @IdColumn()
  recordId: number;

  /** Which state axis moved: "status", or for projects "libraryStatus" / "stage". */
  @TextColumn(32)
  axis: string;

  @EnumColumn()
  fromState: string;

  @EnumColumn()
  toState: string;

  @TextColumn(64)
  action: string;

  @IdColumn()
  actorId: number;

  @LongTextColumn({ nullable: true })
  comment: string | null;

  @Index()
  @IdColumn()
  territoryId: number;

  @Index()
  @IdColumn({ nullable: true })
  enterpriseId: number | null;

  @CreateDateColumn({ type: 'datetime' })
  createdAt: Date;
}
