import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from '../helpers/app';
import { openOwnDatabase } from '../helpers/database';
import { createUser, createUserWithRole } from '../helpers/factories';

const ORG_UNITS = `query($f: OrgUnitFilter, $first: Int) {
  orgUnits(filter: $f, first: $first) { totalCount edges { node { id code name nameEn kind regionCode parent { code } } } }
}`;

let ds: DataSource;
let t: TestApp;
let token: string;

beforeAll(async () => {
  ds = await openOwnDatabase('org'); // exactly the seeded tree: other tests add and move units
  t = await startTestApp(ds);
  token = await t.login((await createUserWithRole(ds, 'county_officer', 'MY-FC')).username);
});
afterAll(async () => {
  await t.close();
  await ds.destroy();
});

describe('org tree', () => {
  it('has the nine counties with their GB/T 2260 codes under the city', async () => {
    const res = await t.gql(ORG_UNITS, { f: { kinds: ['COUNTY'] }, first: 100 }, token);
    expect(res.errors).toBeUndefined();
    const counties = res.data.orgUnits.edges.map((e: any) => e.node);
    expect(res.data.orgUnits.totalCount).toBe(9);
    expect(Object.fromEntries(counties.map((c: any) => [c.name, c.regionCode]))).toEqual({
      涪城区: '510703', 游仙区: '510704', 安州区: '510705', 三台县: '510722', 盐亭县: '510723', 梓潼县: '510725',
      北川羌族自治县: '510726', 平武县: '510727', 江油市: '510781',
    });
    expect(new Set(counties.map((c: any) => c.parent.code))).toEqual(new Set(['MY']));
  });

  it('puts city-run parks and departments under the city and county-run parks under their county', async () => {
    const cityChildren = await t.gql(ORG_UNITS, { f: { kinds: ['CITY_PARK', 'DEPARTMENT'] }, first: 100 }, token);
    const names = cityChildren.data.orgUnits.edges.map((e: any) => e.node.name);
    for (const name of ['高新区', '经开区', '科创区', '仙海区', '经信局', '发改委', '财政局', '自然资源和规划局', '统计局', '投促局', '绩效办', '督查室']) {
      expect(names.some((n: string) => n.includes(name))).toBe(true);
    }
    expect(cityChildren.data.orgUnits.edges.every((e: any) => e.node.parent.code === 'MY')).toBe(true);

    const countyParks = await t.gql(ORG_UNITS, { f: { kinds: ['COUNTY_PARK'] }, first: 100 }, token);
    expect(countyParks.data.orgUnits.totalCount).toBeGreaterThan(0);
    for (const { node } of countyParks.data.orgUnits.edges) {
      // A county-run park's code extends its county's code, and that county is its parent.
      expect(node.code.startsWith(`${node.parent.code}-`)).toBe(true);
    }
  });

  it('walks the tree with children and reads a unit through node(id)', async () => {
    const city = await t.gql(`{ orgUnits(filter: { kinds: [CITY] }) { edges { node { id children { kind } } } } }`, {}, token);
    const node = city.data.orgUnits.edges[0].node;
    expect(node.children.filter((c: any) => c.kind === 'COUNTY')).toHaveLength(9);
    const viaNode = await t.gql(`query($id: ID!) { node(id: $id) { id ... on OrgUnit { code } } }`, { id: node.id }, token);
    expect(viaNode.data.node).toEqual({ id: node.id, code: 'MY' });
  });

  it('pages with cursors in both directions, and totalCount matches what paging returns', async () => {
    const all: string[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const res: any = await t.gql(`query($a: String) { orgUnits(first: 7, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { code } } } }`, { a: after }, token);
      total = res.data.orgUnits.totalCount;
      all.push(...res.data.orgUnits.edges.map((e: any) => e.node.code));
      after = res.data.orgUnits.pageInfo.hasNextPage ? res.data.orgUnits.pageInfo.endCursor : null;
    } while (after);
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
    const last = await t.gql(`{ orgUnits(last: 3) { edges { node { code } } pageInfo { hasPreviousPage } } }`, {}, token);
    expect(last.data.orgUnits.edges.map((e: any) => e.node.code)).toEqual(all.slice(-3));
    expect(last.data.orgUnits.pageInfo.hasPreviousPage).toBe(true);
  });

  it('rejects bad paging and ids with a coded error naming the argument', async () => {
    const big = await t.gql(`{ orgUnits(first: 101) { totalCount } }`, {}, token);
    expect(big.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const cursor = await t.gql(`{ orgUnits(after: "nonsense") { totalCount } }`, {}, token);
    expect(cursor.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const id = await t.gql(`{ orgUnit(id: "not-an-id") { code } }`, {}, token);
    expect(id.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const missing = await t.gql(`query($id: ID!) { orgUnit(id: $id) { code } }`, { id: Buffer.from('OrgUnit:999999').toString('base64url') }, token);
    expect(missing.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('is refused to a signed-in user with no role', async () => {
    const nobody = await t.login((await createUser(ds)).username);
    const res = await t.gql(ORG_UNITS, {}, nobody);
    expect(res.errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});
