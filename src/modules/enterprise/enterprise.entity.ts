import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Entity, Index } from 'typeorm';
import { Sensitive } from '../../core/authz/field-guard';
import { NodeRecord } from '../../core/graphql/node';
import { EnumColumn, FlagsColumn, IdColumn, TextColumn, VersionedRecord } from '../../core/db/columns';

export enum EnterpriseScale {
  ABOVE_SCALE = 'ABOVE_SCALE', // 规上
  BELOW_SCALE = 'BELOW_SCALE',
}

/** Order fixes each tag's bit in `tagFlags`; append only. */
export const ENTERPRISE_TAGS = ['KEY_ENTERPRISE', 'CHAIN_LEADER', 'SPECIALISED_INNOVATIVE'] as const;
export type EnterpriseTag = (typeof ENTERPRISE_TAGS)[number];
export const EnterpriseTagEnum = Object.fromEntries(ENTERPRISE_TAGS.map((t) => [t, t])) as { [K in EnterpriseTag]: K };

@ObjectType({ implements: NodeRecord, description: 'An enterprise (企业), identified by its unified social credit code.' })
@Entity('enterprises')
export class Enterprise extends VersionedRecord {
  /** 统一社会信用代码, 18 characters with its GB 32100 check character. */
  @Field(() => String, { description: '统一社会信用代码 (18 characters).' })
  @Index({ unique: true })
  @TextColumn(18)
  creditCode: string;

  @Field(() => String)
  @Index()
  @TextColumn(200)
  name: string;

  /** GB/T 4754-2017 industry code (letter + up to 4 digits). */
  @Field(() => String, { description: 'GB/T 4754-2017 industry code.' })
  @Index()
  @TextColumn(8)
  industryCode: string;

  /** 属地: a county or park unit. Scope key. */
  @Index()
  @IdColumn()
  territoryId: number;

  @Field(() => EnterpriseScale)
  @EnumColumn()
  scale: EnterpriseScale;

  @FlagsColumn()
  tagFlags: number;

  @Field(() => String, { nullable: true })
  @TextColumn(300, { nullable: true })
  address: string | null;

  @Field(() => String, { nullable: true, description: 'Hidden from users of other enterprises.' })
  @Sensitive()
  @TextColumn(50, { nullable: true })
  contactName: string | null;

  @Field(() => String, { nullable: true, description: 'Hidden from users of other enterprises.' })
  @Sensitive()
  @TextColumn(32, { nullable: true })
  contactPhone: string | null;
}

registerEnumType(EnterpriseScale, { name: 'EnterpriseScale', description: 'ABOVE_SCALE: 规模以上 (above designated size).' });
registerEnumType(EnterpriseTagEnum, { name: 'EnterpriseTag', description: 'KEY_ENTERPRISE 重点企业, CHAIN_LEADER 链主, SPECIALISED_INNOVATIVE 专精特新.' });
