/**
 * Column shapes shared by every entity, so each kind of value is stored one way on MySQL and SQLite:
 * money and areas as exact DECIMAL, enums and months as short VARCHARs, flag sets as integer bit masks
 * (filterable with `&` on both dialects), timestamps as DATETIME in UTC.
 */
import { Field, Int, ObjectType } from 'type-graphql';
import { Column, ColumnOptions, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { NodeRecord } from '../graphql/node';
import { decimalTransformer } from './decimal';

/** 万元 with 4 decimal places (1 yuan). */
export const MONEY = { type: 'decimal', precision: 16, scale: 4 } as const;
/** 亩 with 2 decimal places. */
export const AREA = { type: 'decimal', precision: 12, scale: 2 } as const;

export const MoneyColumn = (options: ColumnOptions = {}) => Column({ ...MONEY, transformer: decimalTransformer, ...options });
export const AreaColumn = (options: ColumnOptions = {}) => Column({ ...AREA, transformer: decimalTransformer, ...options });
export const DecimalColumn = (precision: number, scale: number, options: ColumnOptions = {}) =>
  Column({ type: 'decimal', precision, scale, transformer: decimalTransformer, ...options });
export const EnumColumn = (options: ColumnOptions = {}) => Column({ type: 'varchar', length: 32, ...options });
/** A year-month "YYYY-MM": sorts and compares as text on both dialects. */
export const MonthColumn = (options: ColumnOptions = {}) => Column({ type: 'varchar', length: 7, ...options });
export const IdColumn = (options: ColumnOptions = {}) => Column({ type: 'int', ...options });
export const FlagsColumn = () => Column({ type: 'int', default: 0 });
export const TextColumn = (length: number, options: ColumnOptions = {}) => Column({ type: 'varchar', length, ...options });
export const LongTextColumn = (options: ColumnOptions = {}) => Column({ type: 'text', ...options });
export const JsonColumn = (options: ColumnOptions = {}) => Column({ type: 'simple-json', ...options });
export const TimestampColumn = (options: ColumnOptions = {}) => Column({ type: 'datetime', ...options });
export const BooleanColumn = (options: ColumnOptions = {}) => Column({ type: 'boolean', default: false, ...options });

/** Primary key, optimistic-lock version and timestamps: every mutable record has them. */
// Decorated so record types inherit its fields; it is never referenced, so never emitted as a type.
@ObjectType({ implements: NodeRecord })
export abstract class VersionedRecord extends NodeRecord {
  @PrimaryGeneratedColumn({ type: 'int' })
  declare id: number;

  /** Incremented by every update; writers pass the version they read as `expectedVersion`. */
  @Field(() => Int, { description: 'Optimistic-lock version: pass it back as `expectedVersion` when changing this record.' })
  @Column({ type: 'int', default: 1 })
  version: number;

  @Field()
  @CreateDateColumn({ type: 'datetime' })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ type: 'datetime' })
  updatedAt: Date;
}

/** Bit-mask helpers for flag-set columns (tags, techniques, support forms). */
export function toFlags<T extends string>(values: readonly T[], order: readonly T[]): number {
  return values.reduce((mask, v) => mask | (1 << order.indexOf(v)), 0);
}
export function fromFlags<T extends string>(mask: number, order: readonly T[]): T[] {
  return order.filter((_, i) => (mask & (1 << i)) !== 0);
}
