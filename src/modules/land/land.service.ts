/** Land requests: scoped reads. */
import type { Context } from '../../app/context';
import { scopedQuery } from '../../core/db/scoped';
import { loadChildConnection } from '../../core/graphql/child-connection';
import { ConnectionShape, PageArgs } from '../../core/graphql/connection';
import { byKey, loaderFor } from '../../core/graphql/loaders';
import { nodeLoaders } from '../../core/graphql/node';
import { LandRequest } from './land-request.entity';

export const landRequestQuery = (ctx: Context) => scopedQuery(ctx, LandRequest, 'lr');

export function loadLandRequest(ctx: Context, id: number): Promise<LandRequest | null> {
  return loaderFor<number, LandRequest | null>(ctx.loaders, 'LandRequest.byId', async (ids) =>
    byKey(ids, await landRequestQuery(ctx).andWhere('lr.id IN (:...ids)', { ids }).getMany(), (l) => l.id),
  ).load(id);
}
nodeLoaders.set('LandRequest', loadLandRequest);

/** A project's land requests, newest first. */
export function projectLandRequests(ctx: Context, projectId: number, args: PageArgs): Promise<ConnectionShape<LandRequest>> {
  return loadChildConnection(
    ctx,
    {
      name: 'Project.landRequests',
      query: () => landRequestQuery(ctx),
      alias: 'lr',
      foreignKey: 'projectId',
      sort: { column: 'lr.id', direction: 'DESC', valueOf: (l) => l.id },
    },
    args,
    projectId,
  );
}
