/**
 * Investment statistics: project counts and investment totals grouped by territory, for the
 * viewer's scope and any project filter. The aggregate runs in SQL over the same scoped query as
 * the `projects` list, so a total never includes a project the viewer could not list.
 */
import { Field, Int, ObjectType } from 'type-graphql';
import type { Context } from '../../app/context';
import { normalizeDecimal } from '../../core/db/decimal';
import { DecimalScalar } from '../../core/graphql/scalars';
import { loadOrgUnit } from '../org/org.service';
import { ProjectFilter } from './project.inputs';
import { applyProjectFilter, projectQuery } from './project.service';

@ObjectType({ description: 'Projects of one territory that the viewer may see and that match the filter.' })
export class TerritoryInvestment {
  territoryId: number;

  @Field(() => Int)
  projectCount: number;

  @Field(() => DecimalScalar, { description: 'Sum of total investment, 万元.' })
  totalInvestment: string;

  @Field(() => DecimalScalar, { description: 'Sum of equipment investment, 万元.' })
  equipmentInvestment: string;
}

export async function investmentByTerritory(ctx: Context, filter: ProjectFilter | null | undefined): Promise<TerritoryInvestment[]> {
  const qb = projectQuery(ctx);
  applyProjectFilter(ctx, qb, filter);
  const rows = await qb
    .select('p.territoryId', 'territoryId')
    .addSelect('COUNT(*)', 'projectCount')
    .addSelect('SUM(p.totalInvestment)', 'totalInvestment')
    .addSelect('SUM(p.equipmentInvestment)', 'equipmentInvestment')
    .groupBy('p.territoryId')
    .orderBy('p.territoryId')
    .getRawMany<{ territoryId: number | string; projectCount: number | string; totalInvestment: string | number; equipmentInvestment: string | number }>();
  // MySQL sums DECIMAL exactly and returns text; SQLite returns a REAL, exact at our scale.
  return rows.map((r) => ({
    territoryId: Number(r.territoryId),
    projectCount: Number(r.projectCount),
    totalInvestment: normalizeDecimal(r.totalInvestment ?? 0),
    equipmentInvestment: normalizeDecimal(r.equipmentInvestment ?? 0),
  }));
}

export const territoryOf = (ctx: Context, row: TerritoryInvestment) => loadOrgUnit(ctx, row.territoryId);
