/** Fund programmes and applications: scoped reads. */
import type { Context } from '../../app/context';
import { scopedQuery } from '../../core/db/scoped';
import { loadChildConnection } from '../../core/graphql/child-connection';
import { ConnectionShape, PageArgs } from '../../core/graphql/connection';
import { byKey, loaderFor } from '../../core/graphql/loaders';
import { nodeLoaders } from '../../core/graphql/node';
import { FundApplication } from './fund-application.entity';
import { FundProgram } from './fund-program.entity';

export const fundApplicationQuery = (ctx: Context) => scopedQuery(ctx, FundApplication, 'fa');
export const fundProgramQuery = (ctx: Context) => scopedQuery(ctx, FundProgram, 'fp');

export function loadFundApplication(ctx: Context, id: number): Promise<FundApplication | null> {
  return loaderFor<number, FundApplication | null>(ctx.loaders, 'FundApplication.byId', async (ids) =>
    byKey(ids, await fundApplicationQuery(ctx).andWhere('fa.id IN (:...ids)', { ids }).getMany(), (a) => a.id),
  ).load(id);
}
nodeLoaders.set('FundApplication', loadFundApplication);

export function loadFundProgram(ctx: Context, id: number): Promise<FundProgram | null> {
  return loaderFor<number, FundProgram | null>(ctx.loaders, 'FundProgram.byId', async (ids) =>
    byKey(ids, await fundProgramQuery(ctx).andWhere('fp.id IN (:...ids)', { ids }).getMany(), (p) => p.id),
  ).load(id);
}
nodeLoaders.set('FundProgram', loadFundProgram);

/** A project's fund applications, newest first. */
export function projectFundApplications(ctx: Context, projectId: number, args: PageArgs): Promise<ConnectionShape<FundApplication>> {
  return loadChildConnection(
    ctx,
    {
      name: 'Project.fundApplications',
      query: () => fundApplicationQuery(ctx),
      alias: 'fa',
      foreignKey: 'projectId',
      sort: { column: 'fa.id', direction: 'DESC', valueOf: (a) => a.id },
    },
    args,
    projectId,
  );
}
