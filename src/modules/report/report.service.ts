/** Monthly reports: scoped reads. */
import type { Context } from '../../app/context';
import { scopedQuery } from '../../core/db/scoped';
import { notFound } from '../../core/errors';
import { loadChildConnection } from '../../core/graphql/child-connection';
import { ConnectionShape, PageArgs } from '../../core/graphql/connection';
import { idOfTypeOrThrow } from '../../core/graphql/global-id';
import { byKey, loaderFor } from '../../core/graphql/loaders';
import { nodeLoaders } from '../../core/graphql/node';
import { MonthlyReport } from './monthly-report.entity';

export const reportQuery = (ctx: Context) => scopedQuery(ctx, MonthlyReport, 'r');

export function loadReport(ctx: Context, id: number): Promise<MonthlyReport | null> {
  return loaderFor<number, MonthlyReport | null>(ctx.loaders, 'MonthlyReport.byId', async (ids) =>
    byKey(ids, await reportQuery(ctx).andWhere('r.id IN (:...ids)', { ids }).getMany(), (r) => r.id),
  ).load(id);
}
nodeLoaders.set('MonthlyReport', loadReport);

export async function getReportOrThrow(ctx: Context, globalId: string, field = 'id'): Promise<MonthlyReport> {
  const report = await loadReport(ctx, idOfTypeOrThrow(globalId, 'MonthlyReport', field));
  if (!report) throw notFound('MonthlyReport', globalId);
  return report;
}

/** A project's reports, newest period first. */
export function projectReports(ctx: Context, projectId: number, args: PageArgs): Promise<ConnectionShape<MonthlyReport>> {
  return loadChildConnection(
    ctx,
    {
      name: 'Project.monthlyReports',
      query: () => reportQuery(ctx),
      alias: 'r',
      foreignKey: 'projectId',
      sort: { column: 'r.period', direction: 'DESC', valueOf: (r) => r.period },
    },
    args,
    projectId,
  );
}
