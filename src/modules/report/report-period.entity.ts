import { Field, ObjectType } from 'type-graphql';
import { Entity, Index } from 'typeorm';
import { IdColumn, MonthColumn, TimestampColumn, VersionedRecord } from '../../core/db/columns';
import { NodeRecord } from '../../core/graphql/node';
import { MonthScalar } from '../../core/graphql/scalars';

/**
 * A reporting month the city has locked: its reports are read-only except for admins, who reopen it.
 * The row stays when a month is reopened (lockedAt back to null); lock history is in the audit log.
 * City-wide, so it carries no scope keys and is not a rule subject: anyone who may read monthly
 * reports may see which months are locked.
 */
@ObjectType({ implements: NodeRecord, description: 'A reporting month the city has locked (or locked and reopened).' })
@Entity('report_periods')
export class ReportPeriod extends VersionedRecord {
  @Field(() => MonthScalar)
  @Index({ unique: true })
  @MonthColumn()
  period: string;

  @Field(() => Date, { nullable: true, description: 'When the month was locked; null once reopened.' })
  @TimestampColumn({ nullable: true })
  lockedAt: Date | null;

  @IdColumn({ nullable: true })
  lockedById: number | null;
}
