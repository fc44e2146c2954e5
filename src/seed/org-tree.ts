/**
 * Mianyang's organisation tree as data (reference/domain.md §1): the city, its 9 county-level
 * divisions, the city-run parks and city departments under the city, and the county-run
 * provincial parks under their counties. Listed parents first, so it can be inserted in order.
 *
 * Codes are stable keys for the seed and for people ("MY-FC" is 涪城区); ids are not.
 * Parks appear, merge and are renamed over time, but the seed only states today's tree: validFrom
 * and validTo stay null (always valid) because the demo data spans years before some of the
 * parks' formal approval dates, and the dates matter only once a park actually changes.
 */
import { DepartmentType, OrgUnitKind, ParkLevel } from '../modules/org/org-unit.entity';

export interface OrgUnitSeed {
  code: string;
  name: string;
  nameEn: string;
  kind: OrgUnitKind;
  parentCode: string | null;
  /** GB/T 2260 code: the city and counties only. */
  regionCode?: string;
  parkLevel?: ParkLevel;
  departmentType?: DepartmentType;
  /**
   * City-run parks only: the county whose land the park sits on (domain.md §1.2 "where it sits").
   * Not stored (the tree is administrative); the demo data uses it for enterprises' credit codes.
   */
  hostCountyCode?: string;
}

export const CITY_CODE = 'MY';

const city: OrgUnitSeed = {
  code: CITY_CODE, name: '绵阳市', nameEn: 'Mianyang', kind: OrgUnitKind.CITY, parentCode: null, regionCode: '510700',
};

const county = (code: string, name: string, nameEn: string, regionCode: string): OrgUnitSeed => ({
  code, name, nameEn, kind: OrgUnitKind.COUNTY, parentCode: CITY_CODE, regionCode,
});

export const COUNTIES: OrgUnitSeed[] = [
  county('MY-FC', '涪城区', 'Fucheng District', '510703'),
  county('MY-YX', '游仙区', 'Youxian District', '510704'),
  county('MY-AZ', '安州区', 'Anzhou District', '510705'),
  county('MY-ST', '三台县', 'Santai County', '510722'),
  county('MY-YT', '盐亭县', 'Yanting County', '510723'),
  county('MY-ZT', '梓潼县', 'Zitong County', '510725'),
  county('MY-BC', '北川羌族自治县', 'Beichuan Qiang Autonomous County', '510726'),
  county('MY-PW', '平武县', 'Pingwu County', '510727'),
  county('MY-JY', '江油市', 'Jiangyou City', '510781'),
];

const cityPark = (code: string, name: string, nameEn: string, parkLevel: ParkLevel, hostCountyCode: string): OrgUnitSeed => ({
  code, name, nameEn, kind: OrgUnitKind.CITY_PARK, parentCode: CITY_CODE, parkLevel, hostCountyCode,
});

/**
 * The four city-run parks of the 2020 source. The 科技城新区直管区 (a reporting unit from 2022) is
 * left out on purpose: whether it absorbed 高新区 and 科创区 is unverified (domain.md §8.2), and an
 * admin can add it as data.
 */
export const CITY_PARKS: OrgUnitSeed[] = [
  cityPark('MY-GX', '高新区', 'Mianyang Hi-tech Industrial Development Zone', ParkLevel.NATIONAL, 'MY-FC'),
  cityPark('MY-JK', '经开区', 'Mianyang Economic and Technological Development Zone', ParkLevel.NATIONAL, 'MY-FC'),
  cityPark('MY-KC', '科创区', 'Mianyang Science and Innovation Zone (Sichuan Mianyang Industrial Park)', ParkLevel.PROVINCIAL, 'MY-FC'),
  cityPark('MY-XH', '仙海区', 'Xianhai District (Xianhai Scenic Area)', ParkLevel.CITY_FUNCTIONAL, 'MY-YX'),
];

const countyPark = (code: string, name: string, nameEn: string, parentCode: string, parkLevel?: ParkLevel): OrgUnitSeed => ({
  code, name, nameEn, kind: OrgUnitKind.COUNTY_PARK, parentCode, parkLevel,
});

/**
 * Domain.md §1.2 B. 盐亭 and 梓潼 parks are only "likely" provincial and their names are the usual
 * 经济开发区 form; the 平武 enclave park's level is unknown, so it has none.
 */
export const COUNTY_PARKS: OrgUnitSeed[] = [
  countyPark('MY-YX-GXY', '游仙高新技术产业园区', 'Youxian High-tech Industrial Park', 'MY-YX', ParkLevel.PROVINCIAL),
  countyPark('MY-JY-GXY', '江油高新技术产业园区', 'Jiangyou High-tech Industrial Park', 'MY-JY', ParkLevel.PROVINCIAL),
  countyPark('MY-ST-GYY', '四川三台工业园区', 'Sichuan Santai Industrial Park', 'MY-ST', ParkLevel.PROVINCIAL),
  countyPark('MY-BC-KFQ', '北川经济开发区', 'Beichuan Economic Development Zone', 'MY-BC', ParkLevel.PROVINCIAL),
  countyPark('MY-AZ-GYY', '安州工业园区', 'Anzhou Industrial Park', 'MY-AZ', ParkLevel.PROVINCIAL),
  countyPark('MY-YT-KFQ', '盐亭经济开发区', 'Yanting Economic Development Zone', 'MY-YT', ParkLevel.PROVINCIAL),
  countyPark('MY-ZT-KFQ', '梓潼经济开发区', 'Zitong Economic Development Zone', 'MY-ZT', ParkLevel.PROVINCIAL),
  countyPark('MY-PW-FDY', '平武飞地工业园区', 'Pingwu Enclave Industrial Park', 'MY-PW'),
];

const department = (type: DepartmentType, name: string, nameEn: string): OrgUnitSeed => ({
  code: `${CITY_CODE}-D-${type}`, name, nameEn, kind: OrgUnitKind.DEPARTMENT, parentCode: CITY_CODE, departmentType: type,
});

export const CITY_DEPARTMENTS: OrgUnitSeed[] = [
  department(DepartmentType.JXJ, '经信局', 'Economy and Information Technology Bureau'),
  department(DepartmentType.FGW, '发改委', 'Development and Reform Commission'),
  department(DepartmentType.CZJ, '财政局', 'Finance Bureau'),
  department(DepartmentType.ZRZY, '自然资源和规划局', 'Natural Resources and Planning Bureau'),
  department(DepartmentType.TJJ, '统计局', 'Statistics Bureau'),
  department(DepartmentType.TCJ, '投促局', 'Investment Promotion Bureau'),
  department(DepartmentType.JXB, '绩效办', 'Performance Management Office'),
  department(DepartmentType.DCS, '督查室', 'Government Inspection Office'),
];

/** The whole tree, every parent before its children. */
export const ORG_TREE: OrgUnitSeed[] = [city, ...COUNTIES, ...CITY_PARKS, ...CITY_DEPARTMENTS, ...COUNTY_PARKS];

/** Counties and parks: the units a project or enterprise can belong to (属地). */
export const TERRITORIES: OrgUnitSeed[] = [...COUNTIES, ...CITY_PARKS, ...COUNTY_PARKS];

const byCode = new Map(ORG_TREE.map((unit) => [unit.code, unit]));

export function orgUnitSeedOrThrow(code: string): OrgUnitSeed {
  const unit = byCode.get(code);
  if (!unit) throw new Error(`no org unit with code ${code} in the seed tree`);
  return unit;
}

/**
 * The county a territory belongs to: itself, its parent (county park) or the county it sits in
 * (city park). Enterprises there carry that county's region code in their credit codes.
 */
export function countyOfTerritory(code: string): OrgUnitSeed {
  const unit = orgUnitSeedOrThrow(code);
  if (unit.kind === OrgUnitKind.COUNTY) return unit;
  if (unit.kind === OrgUnitKind.COUNTY_PARK) return orgUnitSeedOrThrow(unit.parentCode!);
  if (unit.kind === OrgUnitKind.CITY_PARK) return orgUnitSeedOrThrow(unit.hostCountyCode!);
  throw new Error(`${code} is not a territory`);
}
