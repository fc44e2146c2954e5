import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { NodeRecord } from '../../core/graphql/node';
import { DecimalScalar } from '../../core/graphql/scalars';
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
@ObjectType({ implements: NodeRecord, description: 'A fund programme (专项资金) owned by 经信局.' })
@Entity('fund_programs')
@Index(['year', 'id'])
export class FundProgram extends VersionedRecord {
  @Field(() => Int)
  @IdColumn()
  year: number;

  @Field(() => String)
  @TextColumn(200)
  name: string;

  @Field(() => FundSource)
  @EnumColumn()
  source: FundSource;

  @FlagsColumn()
  supportFormFlags: number;

  @Field(() => FundBasis)
  @EnumColumn()
  basis: FundBasis;

  /** Maximum support as a fraction of the basis amount, 0–1. */
  @Field(() => DecimalScalar, { description: 'Maximum support as a fraction of the basis amount.' })
  @DecimalColumn(5, 4)
  maxRatio: string;

  /** Maximum support per application, 万元. */
  @Field(() => DecimalScalar, { description: 'Maximum support per application, 万元.' })
  @MoneyColumn()
  cap: string;

  @Field(() => Date)
  @TimestampColumn()
  windowOpensAt: Date;

  @Field(() => Date)
  @TimestampColumn()
  windowClosesAt: Date;

  @Index()
  @IdColumn()
  ownerUnitId: number;

  @Field(() => String, { nullable: true })
  @LongTextColumn({ nullable: true })
  description: string | null;
}
export const SupportFormEnum = Object.fromEntries(SUPPORT_FORMS.map((f) => [f, f])) as { [K in SupportForm]: K };
registerEnumType(SupportFormEnum, { name: 'SupportForm', description: 'SUBSIDY 补助, INTEREST_SUBSIDY 贴息, AWARD 奖励.' });
registerEnumType(FundSource, { name: 'FundSource' });
registerEnumType(FundBasis, { name: 'FundBasis' });
