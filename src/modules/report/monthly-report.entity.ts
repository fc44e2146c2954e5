import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { NodeRecord } from '../../core/graphql/node';
import { DecimalScalar, MonthScalar } from '../../core/graphql/scalars';
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
@ObjectType({ implements: NodeRecord, description: "A project's monthly investment report (月报)." })
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

  @Field(() => MonthScalar)
  @Index()
  @MonthColumn()
  period: string;

  @Field(() => DecimalScalar, { description: 'Investment completed this month, 万元.' })
  @MoneyColumn()
  monthInvestment: string;

  @Field(() => DecimalScalar, { description: 'Cumulative investment to this month, 万元.' })
  @MoneyColumn()
  cumulativeInvestment: string;

  /** Physical progress, 0–100 %. */
  @Field(() => DecimalScalar, { description: 'Physical progress, 0–100.' })
  @DecimalColumn(5, 2, { default: 0 })
  progressPercent: string;

  @Field(() => String, { nullable: true })
  @LongTextColumn({ nullable: true })
  progressText: string | null;

  @Field(() => String, { nullable: true })
  @LongTextColumn({ nullable: true })
  issues: string | null;

  @Field(() => ReportStatus)
  @Index()
  @EnumColumn({ default: ReportStatus.OPEN })
  status: ReportStatus;

  @Field(() => Date, { nullable: true })
  @TimestampColumn({ nullable: true })
  submittedAt: Date | null;

  @IdColumn({ nullable: true })
  submittedById: number | null;

  @IdColumn({ nullable: true })
  confirmedById: number | null;
}
registerEnumType(ReportStatus, { name: 'ReportStatus' });
