import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Sensitive } from '../../core/authz/field-guard';
import { NodeRecord } from '../../core/graphql/node';
import { DecimalScalar } from '../../core/graphql/scalars';
import { Entity, Index } from 'typeorm';
import { DecimalColumn, EnumColumn, IdColumn, LongTextColumn, MoneyColumn, TextColumn, TimestampColumn, VersionedRecord } from '../../core/db/columns';
import { SupportFormEnum } from './fund-program.entity';
import type { SupportForm } from './fund-program.entity';

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
@ObjectType({ implements: NodeRecord, description: "An enterprise's application to a fund programme for one project." })
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

  @Field(() => SupportFormEnum, { description: "One of the programme's support forms." })
  @TextColumn(32)
  supportForm: SupportForm;

  @Field(() => DecimalScalar, { description: '万元' })
  @MoneyColumn()
  requestedAmount: string;

  /** The amount the programme's ratio applies to (equipment, approved investment or loan interest). */
  @Field(() => DecimalScalar, { description: 'The amount the ratio applies to, 万元.' })
  @MoneyColumn()
  basisAmount: string;

  @Field(() => String, { nullable: true })
  @LongTextColumn({ nullable: true })
  countyOpinion: string | null;

  @Field(() => String, { nullable: true })
  @LongTextColumn({ nullable: true })
  cityOpinion: string | null;

  /** Hidden from county and enterprise users until public notice. */
  @Field(() => DecimalScalar, { nullable: true, description: 'Hidden from counties, parks and enterprises until public notice.' })
  @Sensitive()
  @DecimalColumn(5, 2, { nullable: true })
  expertScore: string | null;

  @Field(() => String, { nullable: true, description: 'Hidden like expertScore.' })
  @Sensitive()
  @LongTextColumn({ nullable: true })
  expertOpinion: string | null;

  /** Proposed allocation; hidden like the expert score. */
  @Field(() => DecimalScalar, { nullable: true, description: 'Proposed allocation, 万元; hidden like expertScore.' })
  @Sensitive()
  @MoneyColumn({ nullable: true })
  proposedAmount: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  @MoneyColumn({ nullable: true })
  approvedAmount: string | null;

  /** Sum of disbursement tranches, kept with them in one transaction. */
  @Field(() => DecimalScalar)
  @MoneyColumn({ default: 0 })
  disbursedAmount: string;

  @Field(() => Date, { nullable: true })
  @TimestampColumn({ nullable: true })
  noticeStartsAt: Date | null;

  @Field(() => Date, { nullable: true })
  @TimestampColumn({ nullable: true })
  noticeEndsAt: Date | null;

  @Field(() => String, { nullable: true })
  @LongTextColumn({ nullable: true })
  acceptanceResult: string | null;

  @Field(() => FundApplicationStatus)
  @Index()
  @EnumColumn({ default: FundApplicationStatus.DRAFT })
  status: FundApplicationStatus;

  @Field(() => Date, { nullable: true })
  @TimestampColumn({ nullable: true })
  submittedAt: Date | null;
}
registerEnumType(FundApplicationStatus, { name: 'FundApplicationStatus' });
