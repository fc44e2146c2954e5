import { Field, ObjectType } from 'type-graphql';
import { CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EnumColumn, IdColumn, LongTextColumn, TextColumn } from '../../core/db/columns';

/**
 * The history of every workflow record: who moved which record from which state to which, when
 * and why. One table for all record types; it carries the record's scope keys so it is read
 * through the same rules as the record.
 */
@ObjectType({ description: 'One step in the history of a workflow record.' })
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
  @Field(() => String)
  @TextColumn(32)
  axis: string;

  @Field(() => String)
  @EnumColumn()
  fromState: string;

  @Field(() => String)
  @EnumColumn()
  toState: string;

  @Field(() => String)
  @TextColumn(64)
  action: string;

  @IdColumn()
  actorId: number;

  @Field(() => String, { nullable: true })
  @LongTextColumn({ nullable: true })
  comment: string | null;

  @Index()
  @IdColumn()
  territoryId: number;

  @Index()
  @IdColumn({ nullable: true })
  enterpriseId: number | null;

  @Field(() => Date)
  @CreateDateColumn({ type: 'datetime' })
  createdAt: Date;
}
