import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Entity, Index } from 'typeorm';
import { NodeRecord } from '../../core/graphql/node';
import { EnumColumn, IdColumn, TextColumn, VersionedRecord } from '../../core/db/columns';

export enum OrgUnitKind {
  CITY = 'CITY',
  COUNTY = 'COUNTY',
  CITY_PARK = 'CITY_PARK',
  COUNTY_PARK = 'COUNTY_PARK',
  DEPARTMENT = 'DEPARTMENT',
}

export enum DepartmentType {
  JXJ = 'JXJ', // 经信局 economy & IT
  FGW = 'FGW', // 发改委 development & reform
  CZJ = 'CZJ', // 财政局 finance
  ZRZY = 'ZRZY', // 自然资源和规划局 natural resources & planning
  TJJ = 'TJJ', // 统计局 statistics
  TCJ = 'TCJ', // 投促局 investment promotion
  JXB = 'JXB', // 绩效办 performance office
  DCS = 'DCS', // 督查室 inspection office
}

export enum ParkLevel {
  NATIONAL = 'NATIONAL',
  PROVINCIAL = 'PROVINCIAL',
  PROVINCIAL_NEW_AREA = 'PROVINCIAL_NEW_AREA',
  CITY_FUNCTIONAL = 'CITY_FUNCTIONAL',
}

/**
 * One tree for all scoping: city → counties, city-run parks and departments; county → its parks.
 * `path` is the materialised path of ids ("/1/4/17/"), so a unit's subtree is one indexed
 * `path LIKE '/1/4/%'` in SQL. Units are never deleted: `validTo` closes them.
 */
@ObjectType({ implements: NodeRecord, description: 'A unit of the org tree: the city, a county, a park or a department.' })
@Entity('org_units')
export class OrgUnit extends VersionedRecord {
  @Index({ unique: true })
  @TextColumn(32)
  @Field(() => String)
  code: string;

  @TextColumn(100)
  @Field(() => String)
  name: string;

  @TextColumn(200)
  @Field(() => String)
  nameEn: string;

  @EnumColumn()
  @Field(() => OrgUnitKind)
  kind: OrgUnitKind;

  @Index()
  @IdColumn({ nullable: true })
  parentId: number | null;

  @Index()
  @TextColumn(255)
  path: string;

  /** GB/T 2260 administrative division code (city and counties). */
  @TextColumn(6, { nullable: true })
  @Field(() => String, { nullable: true })
  regionCode: string | null;

  @EnumColumn({ nullable: true })
  @Field(() => DepartmentType, { nullable: true })
  departmentType: DepartmentType | null;

  @EnumColumn({ nullable: true })
  @Field(() => ParkLevel, { nullable: true })
  parkLevel: ParkLevel | null;

  /** "YYYY-MM-DD"; null = always. */
  @TextColumn(10, { nullable: true })
  @Field(() => String, { nullable: true })
  validFrom: string | null;

  @TextColumn(10, { nullable: true })
  @Field(() => String, { nullable: true })
  validTo: string | null;
}

registerEnumType(OrgUnitKind, { name: 'OrgUnitKind' });
registerEnumType(DepartmentType, { name: 'DepartmentType', description: 'City department: 经信局 JXJ, 发改委 FGW, 财政局 CZJ, 自然资源和规划局 ZRZY, 统计局 TJJ, 投促局 TCJ, 绩效办 JXB, 督查室 DCS.' });
registerEnumType(ParkLevel, { name: 'ParkLevel' });
