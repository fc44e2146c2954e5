import { Entity, Index } from 'typeorm';
import { IdColumn, MonthColumn, TimestampColumn, VersionedRecord } from '../../core/db/columns';

/** A reporting month the city has locked: its reports are read-only except for admins. */
@Entity('report_periods')
export class ReportPeriod extends VersionedRecord {
  @Index({ unique: true })
  @MonthColumn()
  period: string;

  @TimestampColumn({ nullable: true })
  lockedAt: Date | null;

  @IdColumn({ nullable: true })
  lockedById: number | null;
}
