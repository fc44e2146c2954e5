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

  @AreaColumn()
  areaMu: string;

  @TextColumn(64)
  landUse: string;

  @TextColumn(300)
  location: string;

  @TextColumn(64, { nullable: true })
  plotNo: string | null;

  @EnumColumn()
  planConformity: PlanConformity;

  @EnumColumn()
  farmlandType: FarmlandType;

  @EnumColumn()
  supplyMethod: SupplyMethod;

  /** 万元 per 亩 */
  @MoneyColumn({ nullable: true })
  investmentIntensity: string | null;

  /** 万元 per 亩 per year */
  @MoneyColumn({ nullable: true })
  taxPerMu: string | null;

  @DecimalColumn(6, 2, { nullable: true })
  plotRatio: string | null;

  @MonthColumn({ nullable: true })
  expectedDate: string | null;

  /** Visible only to natural resources, city roles and the owning territory. */
  @MoneyColumn({ nullable: true })
  dealPrice: string | null;

  @TextColumn(64, { nullable: true })
  contractNo: string | null;

  /** "YYYY-MM-DD" */
  @TextColumn(10, { nullable: true })
  deliveredOn: string | null;

  @Index()
  @EnumColumn({ default: LandRequestStatus.DRAFT })
  status: LandRequestStatus;
}
