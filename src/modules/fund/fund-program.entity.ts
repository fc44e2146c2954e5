import { Entity, Index } from 'typeorm';
import { DecimalColumn, EnumColumn, FlagsColumn, IdColumn, LongTextColumn, MoneyColumn, TextColumn, TimestampColumn, VersionedRecord } from '../../core/db/columns';

export enum FundSource {
  CITY = 'CITY',
  PROVINCE = 'PROVINCE',
  CENTRAL = 'CENTRAL',
}

/** What the support ratio applies to. */
export enum FundBasis {
  EQUIPMENT = 'EQUIPMENT',
  APPROVED_INVESTMENT = 'APPROVED_INVESTMENT',
  LOAN_INTEREST = 'LOAN_INTEREST',
}

/** Order fixes each form's bit in `supportFormFlags`; append only. */
export const SUPPORT_FORMS = ['SUBSIDY', 'INTEREST_SUBSIDY', 'AWARD'] as const;
export type SupportForm = (typeof SUPPORT_FORMS)[number];

/** A city-wide support programme (专项资金) owned by 经信局. */
@Entity('fund_programs')
@Index(['year', 'id'])
export class FundProgram extends VersionedRecord {
  @IdColumn()
  year: number;

  @TextColumn(200)
  name: string;

  @EnumColumn()
  source: FundSource;

  @FlagsColumn()
  supportFormFlags: number;

  @EnumColumn()
  basis: FundBasis;

  /** Maximum support as a fraction of the basis amount, 0–1. */
  @DecimalColumn(5, 4)
  maxRatio: string;

  /** Maximum support per application, 万元. */
  @MoneyColumn()
  cap: string;

  @TimestampColumn()
  windowOpensAt: Date;

  @TimestampColumn()
  windowClosesAt: Date;

  @Index()
  @IdColumn()
  ownerUnitId: number;

  @LongTextColumn({ nullable: true })
  description: string | null;
}
