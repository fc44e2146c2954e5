import { Entity, Index } from 'typeorm';
import {
  EnumColumn, FlagsColumn, IdColumn, LongTextColumn, MonthColumn, MoneyColumn, TextColumn, TimestampColumn, VersionedRecord,
} from '../../core/db/columns';

export enum LibraryStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  COUNTY_CHECKED = 'COUNTY_CHECKED',
  IN_LIBRARY = 'IN_LIBRARY',
  RETURNED = 'RETURNED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
}

export enum ConstructionStage {
  PLANNING = 'PLANNING',
  PREPARATION = 'PREPARATION',
  UNDER_CONSTRUCTION = 'UNDER_CONSTRUCTION',
  COMPLETED = 'COMPLETED',
  IN_PRODUCTION = 'IN_PRODUCTION',
  SUSPENDED = 'SUSPENDED',
  TERMINATED = 'TERMINATED',
}

export enum ConstructionNature {
  NEW = 'NEW',
  EXPANSION = 'EXPANSION',
  RENOVATION = 'RENOVATION',
  RELOCATION = 'RELOCATION',
  PURCHASE_ONLY = 'PURCHASE_ONLY',
}

export enum KeyLevel {
  NONE = 'NONE',
  CITY = 'CITY',
  PROVINCE = 'PROVINCE',
}

/** Order fixes each technique's bit in `techniqueFlags`; append only. */
export const TECHNIQUES = ['SMART', 'DIGITAL', 'GREEN', 'SAFETY', 'EQUIPMENT_RENEWAL', 'CAPACITY'] as const;
export type Technique = (typeof TECHNIQUES)[number];

/** 技改项目. Scope keys `territoryId` and `enterpriseId` are copied to every child record. */
@Entity('projects')
@Index(['territoryId', 'id'])
export class Project extends VersionedRecord {
  @Index()
  @TextColumn(200)
  name: string;

  /** 24-character national investment project code, when filed. */
  @Index({ unique: true })
  @TextColumn(24, { nullable: true })
  projectCode: string | null;

  @Index()
  @IdColumn()
  enterpriseId: number;

  @Index()
  @IdColumn()
  territoryId: number;

  @Index()
  @IdColumn({ nullable: true })
  parkId: number | null;

  @TextColumn(300, { nullable: true })
  site: string | null;

  @TextColumn(8)
  industryCode: string;

  @EnumColumn()
  constructionNature: ConstructionNature;

  @FlagsColumn()
  techniqueFlags: number;

  @LongTextColumn({ nullable: true })
  content: string | null;

  @MoneyColumn()
  totalInvestment: string;

  @MoneyColumn()
  equipmentInvestment: string;

  @MonthColumn()
  plannedStart: string;

  @MonthColumn()
  plannedCompletion: string;

  @MonthColumn({ nullable: true })
  actualStart: string | null;

  @MonthColumn({ nullable: true })
  actualCompletion: string | null;

  @EnumColumn({ default: KeyLevel.NONE })
  keyLevel: KeyLevel;

  @TextColumn(32, { nullable: true })
  reserveBatch: string | null;

  @Index()
  @EnumColumn({ default: LibraryStatus.DRAFT })
  libraryStatus: LibraryStatus;

  @Index()
  @EnumColumn({ default: ConstructionStage.PLANNING })
  stage: ConstructionStage;

  /** 纳统: set by the statistics bureau. */
  @TimestampColumn({ nullable: true })
  statsRegisteredAt: Date | null;
}
