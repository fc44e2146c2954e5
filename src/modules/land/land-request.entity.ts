import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Sensitive } from '../../core/authz/field-guard';
import { NodeRecord } from '../../core/graphql/node';
import { DecimalScalar, MonthScalar } from '../../core/graphql/scalars';
import { Entity, Index } from 'typeorm';
import { AreaColumn, DecimalColumn, EnumColumn, IdColumn, MonthColumn, MoneyColumn, TextColumn, VersionedRecord } from '../../core/db/columns';

export enum LandRequestStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  NR_REVIEW = 'NR_REVIEW',
  IN_SUPPLY_PLAN = 'IN_SUPPLY_PLAN',
  LISTED = 'LISTED',
  FAILED = 'FAILED',
  TRANSACTED = 'TRANSACTED',
  CONTRACTED = 'CONTRACTED',
  DELIVERED = 'DELIVERED',
  CLOSED = 'CLOSED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
}

export enum PlanConformity {
  CONFORMS = 'CONFORMS',
  NEEDS_ADJUSTMENT = 'NEEDS_ADJUSTMENT',
}

export enum FarmlandType {
  NONE = 'NONE',
  CULTIVATED = 'CULTIVATED',
  PERMANENT_BASIC = 'PERMANENT_BASIC',
}

export enum SupplyMethod {
  LISTING = 'LISTING',
  AUCTION = 'AUCTION',
  TENDER = 'TENDER',
  AGREEMENT = 'AGREEMENT',
  LEASE_THEN_TRANSFER = 'LEASE_THEN_TRANSFER',
  LONG_LEASE = 'LONG_LEASE',
  FLEXIBLE_TERM = 'FLEXIBLE_TERM',
}

/** 项目用地需求, supplied under Sichuan's "standard land" (标准地) indicators. */
@ObjectType({ implements: NodeRecord, description: "A project's land-supply request (用地需求)." })
@Entity('land_requests')
@Index(['territoryId', 'id'])
export class LandRequest extends VersionedRecord {
  @Index()
  @IdColumn()
  projectId: number;

  @Index()
  @IdColumn()
  enterpriseId: number;

  @Index()
  @IdColumn()
  territoryId: number;

  @Field(() => DecimalScalar, { description: 'Area in 亩 (15 亩 = 1 ha).' })
  @AreaColumn()
  areaMu: string;

  @Field(() => String)
  @TextColumn(64)
  landUse: string;

  @Field(() => String)
  @TextColumn(300)
  location: string;

  @Field(() => String, { nullable: true })
  @TextColumn(64, { nullable: true })
  plotNo: string | null;

  @Field(() => PlanConformity)
  @EnumColumn()
  planConformity: PlanConformity;

  @Field(() => FarmlandType)
  @EnumColumn()
  farmlandType: FarmlandType;

  @Field(() => SupplyMethod)
  @EnumColumn()
  supplyMethod: SupplyMethod;

  /** 万元 per 亩 */
  @Field(() => DecimalScalar, { nullable: true, description: '万元 per 亩' })
  @MoneyColumn({ nullable: true })
  investmentIntensity: string | null;

  /** 万元 per 亩 per year */
  @Field(() => DecimalScalar, { nullable: true, description: '万元 per 亩 per year' })
  @MoneyColumn({ nullable: true })
  taxPerMu: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  @DecimalColumn(6, 2, { nullable: true })
  plotRatio: string | null;

  @Field(() => MonthScalar, { nullable: true })
  @MonthColumn({ nullable: true })
  expectedDate: string | null;

  /** Visible only to natural resources, city roles and the owning territory. */
  @Field(() => DecimalScalar, { nullable: true, description: 'Visible to natural resources, city roles and the owning territory only.' })
  @Sensitive()
  @MoneyColumn({ nullable: true })
  dealPrice: string | null;

  @Field(() => String, { nullable: true })
  @TextColumn(64, { nullable: true })
  contractNo: string | null;

  /** "YYYY-MM-DD" */
  @Field(() => String, { nullable: true })
  @TextColumn(10, { nullable: true })
  deliveredOn: string | null;

  @Field(() => LandRequestStatus)
  @Index()
  @EnumColumn({ default: LandRequestStatus.DRAFT })
  status: LandRequestStatus;
}
registerEnumType(LandRequestStatus, { name: 'LandRequestStatus' });
registerEnumType(PlanConformity, { name: 'PlanConformity' });
registerEnumType(FarmlandType, { name: 'FarmlandType' });
registerEnumType(SupplyMethod, { name: 'SupplyMethod' });
