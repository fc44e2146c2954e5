import { Entity, Index } from 'typeorm';
import { DecimalColumn, EnumColumn, IdColumn, LongTextColumn, MoneyColumn, TextColumn, TimestampColumn, VersionedRecord } from '../../core/db/columns';

export enum FundApplicationStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  COUNTY_REVIEW = 'COUNTY_REVIEW',
  COUNTY_RECOMMENDED = 'COUNTY_RECOMMENDED',
  CITY_REVIEW = 'CITY_REVIEW',
  EXPERT_REVIEW = 'EXPERT_REVIEW',
  ALLOCATION_PROPOSED = 'ALLOCATION_PROPOSED',
  PUBLIC_NOTICE = 'PUBLIC_NOTICE',
  APPROVED = 'APPROVED',
  DISBURSING = 'DISBURSING',
  DISBURSED = 'DISBURSED',
  ACCEPTED = 'ACCEPTED',
  CLOSED = 'CLOSED',
  RETURNED = 'RETURNED',
  REJECTED = 'REJECTED',
  CLAWBACK = 'CLAWBACK',
}

/** One enterprise's application to one programme for one project. */
@Entity('fund_applications')
@Index(['programId', 'enterpriseId'], { unique: true })
@Index(['territoryId', 'id'])
export class FundApplication extends VersionedRecord {
  @IdColumn()
  programId: number;

  @Index()
  @IdColumn()
  projectId: number;

  @Index()
  @IdColumn()
  enterpriseId: number;

  @Index()
  @IdColumn()
  territoryId: number;

  @TextColumn(32)
  supportForm: string;

  @MoneyColumn()
  requestedAmount: string;

  /** The amount the programme's ratio applies to (equipment, approved investment or loan interest). */
  @MoneyColumn()
  basisAmount: string;

  @LongTextColumn({ nullable: true })
  countyOpinion: string | null;

  @LongTextColumn({ nullable: true })
  cityOpinion: string | null;

  /** Hidden from county and enterprise users until public notice. */
  @DecimalColumn(5, 2, { nullable: true })
  expertScore: string | null;

  @LongTextColumn({ nullable: true })
  expertOpinion: string | null;

  /** Proposed allocation; hidden like the expert score. */
  @MoneyColumn({ nullable: true })
  proposedAmount: string | null;

  @MoneyColumn({ nullable: true })
  approvedAmount: string | null;

  /** Sum of disbursement tranches, kept with them in one transaction. */
  @MoneyColumn({ default: 0 })
  disbursedAmount: string;

  @TimestampColumn({ nullable: true })
  noticeStartsAt: Date | null;

  @TimestampColumn({ nullable: true })
  noticeEndsAt: Date | null;

  @LongTextColumn({ nullable: true })
  acceptanceResult: string | null;

  @Index()
  @EnumColumn({ default: FundApplicationStatus.DRAFT })
  status: FundApplicationStatus;

  @TimestampColumn({ nullable: true })
  submittedAt: Date | null;
}
