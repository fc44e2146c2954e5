import { Entity, Index } from 'typeorm';
import { EnumColumn, FlagsColumn, IdColumn, TextColumn, VersionedRecord } from '../../core/db/columns';

export enum EnterpriseScale {
  ABOVE_SCALE = 'ABOVE_SCALE', // 规上
  BELOW_SCALE = 'BELOW_SCALE',
}

/** Order fixes each tag's bit in `tagFlags`; append only. */
export const ENTERPRISE_TAGS = ['KEY_ENTERPRISE', 'CHAIN_LEADER', 'SPECIALISED_INNOVATIVE'] as const;
export type EnterpriseTag = (typeof ENTERPRISE_TAGS)[number];

@Entity('enterprises')
export class Enterprise extends VersionedRecord {
  /** 统一社会信用代码, 18 characters with its GB 32100 check character. */
  @Index({ unique: true })
  @TextColumn(18)
  creditCode: string;

  @Index()
  @TextColumn(200)
  name: string;

  /** GB/T 4754-2017 industry code (letter + up to 4 digits). */
  @Index()
  @TextColumn(8)
  industryCode: string;

  /** 属地: a county or park unit. Scope key. */
  @Index()
  @IdColumn()
  territoryId: number;

  @EnumColumn()
  scale: EnterpriseScale;

  @FlagsColumn()
  tagFlags: number;

  @TextColumn(300, { nullable: true })
  address: string | null;

  @TextColumn(50, { nullable: true })
  contactName: string | null;

  @TextColumn(32, { nullable: true })
  contactPhone: string | null;
}
