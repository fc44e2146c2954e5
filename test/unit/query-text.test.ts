/**
 * Remembered query texts (core/db/query-text): the same shape reuses its text, anything that
 * shapes the statement gives a different one, and a hit that differed from a fresh build would be
 * caught (the suite runs with `checkQueryTextOnHits`).
 */
import { Brackets, DataSource, SelectQueryBuilder } from 'typeorm';
import { checkQueryTextOnHits } from '../../src/core/db/query-text';
import { Enterprise } from '../../src/modules/enterprise/enterprise.entity';
import { Project } from '../../src/modules/project/project.entity';
import { openTestDatabase } from '../helpers/database';

let ds: DataSource;
beforeAll(async () => {
  ds = await openTestDatabase();
});
afterAll(async () => {
  await ds.destroy();
});

/** The shape a county list page has: predicate, joined to-one relation, selection, order, limit. */
function page(territories: number[], options: { limit?: number; joinCondition?: string; column?: string; alias?: string } = {}) {
  const alias = options.alias ?? 'p';
  return ds
    .createQueryBuilder(Project, alias)
    .where(`(${alias}.territoryId IN (:...territories))`, { territories })
    .leftJoin(Enterprise, 'pe', options.joinCondition ?? `pe.id = ${alias}.enterpriseId`)
    .select([`${alias}.id`, `${alias}.${options.column ?? 'name'}`])
    .addSelect(['pe.name'])
    .orderBy(`${alias}.id`, 'ASC')
    .limit(options.limit ?? 51);
}

/** How many times TypeORM built a SELECT clause during `run` (hits not rebuilt to check them). */
function buildsDuring(run: () => void): number {
  const proto = SelectQueryBuilder.prototype as unknown as { createSelectExpression: () => string };
  const spy = jest.spyOn(proto, 'createSelectExpression');
  checkQueryTextOnHits(false);
  try {
    run();
    return spy.mock.calls.length;
  } finally {
    checkQueryTextOnHits(true);
    spy.mockRestore();
  }
}

it('builds a shape once and binds each request its own values', () => {
  const first = page([3, 23]);
  const second = page([5]);
  expect(buildsDuring(() => first.getQuery())).toBeLessThanOrEqual(1);
  expect(buildsDuring(() => second.getQuery())).toBe(0);

  const [, firstValues] = first.getQueryAndParameters();
  const [, secondValues] = second.getQueryAndParameters();
  expect(firstValues).toEqual([3, 23]);
  expect(secondValues).toEqual([5]);
});

it('gives each difference in shape its own text', () => {
  const base = page([1]).getQuery();
  const variants: [string, SelectQueryBuilder<Project>, string][] = [
    ['limit', page([1], { limit: 11 }), 'LIMIT 11'],
    ['join condition', page([1], { joinCondition: 'pe.id = p.enterpriseId AND pe.territoryId = 7' }), '= 7'],
    ['selected column', page([1], { column: 'stage' }), 'stage'],
    ['alias', page([1], { alias: 'q' }), '"q"'],
    ['another condition', page([1]).andWhere('p.stage = :stage', { stage: 'PLANNING' }), ':stage'],
    ['descending', page([1]).orderBy('p.id', 'DESC'), 'DESC'],
    ['distinct', page([1]).distinct(true), 'DISTINCT'],
  ];
  for (const [what, qb, mark] of variants) {
    const text = qb.getQuery().replace(/`/g, '"');
    expect({ what, differs: text !== base.replace(/`/g, '"'), marked: text.includes(mark) }).toEqual({ what, differs: true, marked: true });
  }
});

it('spells conditions given as objects by the columns they name (as find options build them)', () => {
  const byName = ds.createQueryBuilder(Project, 'p').where({ name: 'x' });
  const byStage = ds.createQueryBuilder(Project, 'p').where({ stage: 'x' });
  expect(byName.getQuery()).toMatch(/WHERE [`"]p[`"]\.[`"]name[`"] = /);
  expect(byStage.getQuery()).toMatch(/WHERE [`"]p[`"]\.[`"]stage[`"] = /);
});

it('spells bracketed conditions by their content', () => {
  const bracketed = (stage: string) =>
    page([1]).andWhere(new Brackets((w) => w.where(`p.stage = '${stage}'`).orWhere('p.totalInvestment > 0')));
  expect(bracketed('PLANNING').getQuery()).toContain("'PLANNING'");
  expect(bracketed('BUILDING').getQuery()).toContain("'BUILDING'");
});

it('builds a builder it cannot spell (one holding another builder) every time, correctly', () => {
  const withCte = (limit: number) =>
    ds.createQueryBuilder().addCommonTableExpression(page([1], { limit }), 'recent').select('recent.p_id').from('recent', 'recent');
  withCte(5).getQuery();
  expect(buildsDuring(() => withCte(5).getQuery())).toBeGreaterThan(0);
  expect(withCte(6).getQuery()).toContain('LIMIT 6');
});

it('would catch a remembered text that differs from a fresh build', () => {
  const qb = page([1], { limit: 7 });
  qb.getQuery();
  // A shape the key does not see: change what TypeORM builds from behind the expression map's back.
  const proto = SelectQueryBuilder.prototype as unknown as { createLimitOffsetExpression: () => string };
  const spy = jest.spyOn(proto, 'createLimitOffsetExpression').mockReturnValue(' LIMIT 8');
  try {
    expect(() => page([1], { limit: 7 }).getQuery()).toThrow('Remembered query text differs');
    checkQueryTextOnHits(false);
    expect(page([1], { limit: 7 }).getQuery()).toContain('LIMIT 7');
  } finally {
    checkQueryTextOnHits(true);
    spy.mockRestore();
  }
});
