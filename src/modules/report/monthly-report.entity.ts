import { Entity, Index } from 'typeorm';
import { EnumColumn, IdColumn, LongTextColumn, MonthColumn, MoneyColumn, TimestampColumn, VersionedRecord, DecimalColumn } from '../../core/db/columns';

export enum ReportStatus {
  OPEN = 'OPEN',
  SUBMITTED = 'SUBMITTED',
  RETURNED = 'RETURNED',
  CONFIRMED = 'CONFIRMED',
  LOCKED = 'LOCKED',
}

/** One report per project per month. */
@Entity('monthly_reports')
@Index(['projectId', 'period'], { unique: true })
@Index(['territoryId', 'period'])
export class MonthlyReport extends VersionedRecord {
  @IdColumn()
  projectId: number;

  @Index()
  @IdColumn()
  enterpriseId: number;

  @Index()
  @IdColumn()
  territoryId: number;

  @Index()
  @MonthColumn()
  period: string;

  @MoneyColumn()
  monthInvestment: string;

  @MoneyColumn()
  cumulativeInvestment: string;

  /** Physical progress, 0–100 %. */
  @DecimalColumn(5, 2, { default: 0 })
  progressPercent: string;

  @LongTextColumn({ nullable: true })
  progressText: string | null;

  @LongTextColumn({ nullable: true })
  issues: string | null;

  @Index()
  @EnumColumn({ default: ReportStatus.OPEN })
  status: ReportStatus;

  @TimestampColumn({ nullable: true })
  submittedAt: Date | null;

  @IdColumn({ nullable: true })
  submittedById: number | null;

  @IdColumn({ nullable: true })
  confirmedById: number | null;
}
