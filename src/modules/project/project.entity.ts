import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { NodeRecord } from '../../core/graphql/node';
import { DecimalScalar, MonthScalar } from '../../core/graphql/scalars';
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
@ObjectType({ implements: NodeRecord, description: 'A technological-transformation project (技改项目) of one enterprise.' })
@Entity('projects')
@Index(['territoryId', 'id'])
export class Project extends VersionedRecord {
  @Field(() => String)
  @Index()
  @TextColumn(200)
  name: string;

  /** 24-character national investment project code, when filed. */
  @Field(() => String, { nullable: true, description: '24-character national investment project code.' })
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

  @Field(() => String, { nullable: true })
  @TextColumn(300, { nullable: true })
  site: string | null;

  @Field(() => String)
  @TextColumn(8)
  industryCode: string;

  @Field(() => ConstructionNature)
  @EnumColumn()
  constructionNature: ConstructionNature;

  @FlagsColumn()
  techniqueFlags: number;

  @Field(() => String, { nullable: true })
  @LongTextColumn({ nullable: true })
  content: string | null;

  @Field(() => DecimalScalar, { description: 'Total investment, 万元.' })
  @MoneyColumn()
  totalInvestment: string;

  @Field(() => DecimalScalar, { description: 'Equipment investment, 万元.' })
  @MoneyColumn()
  equipmentInvestment: string;

  @Field(() => MonthScalar)
  @MonthColumn()
  plannedStart: string;

  @Field(() => MonthScalar)
  @MonthColumn()
  plannedCompletion: string;

  @Field(() => MonthScalar, { nullable: true })
  @MonthColumn({ nullable: true })
  actualStart: string | null;

  @Field(() => MonthScalar, { nullable: true })
  @MonthColumn({ nullable: true })
  actualCompletion: string | null;

  @Field(() => KeyLevel)
  @EnumColumn({ default: KeyLevel.NONE })
  keyLevel: KeyLevel;

  @Field(() => String, { nullable: true, description: 'Reserve batch, e.g. "十四五".' })
  @TextColumn(32, { nullable: true })
  reserveBatch: string | null;

  @Field(() => LibraryStatus, { description: 'Project library (储备库) status.' })
  @Index()
  @EnumColumn({ default: LibraryStatus.DRAFT })
  libraryStatus: LibraryStatus;

  @Field(() => ConstructionStage, { description: 'Construction stage.' })
  @Index()
  @EnumColumn({ default: ConstructionStage.PLANNING })
  stage: ConstructionStage;

  /** 纳统: set by the statistics bureau. */
  @Field(() => Date, { nullable: true, description: 'When the statistics bureau registered it (纳统).' })
  @TimestampColumn({ nullable: true })
  statsRegisteredAt: Date | null;
}

export const TechniqueEnum = Object.fromEntries(TECHNIQUES.map((t) => [t, t])) as { [K in Technique]: K };
registerEnumType(LibraryStatus, { name: 'LibraryStatus' });
registerEnumType(ConstructionStage, { name: 'ConstructionStage' });
registerEnumType(ConstructionNature, { name: 'ConstructionNature' });
registerEnumType(KeyLevel, { name: 'KeyLevel' });
registerEnumType(TechniqueEnum, { name: 'Technique', description: 'SMART 智能化, DIGITAL 数字化, GREEN 绿色化, SAFETY 安全, EQUIPMENT_RENEWAL 设备更新, CAPACITY 产能.' });
