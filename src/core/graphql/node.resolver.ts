import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../../app/context';
import { RequireViewer } from '../authz/operation';
import { badInput, notFound } from '../errors';
import { parseGlobalId } from './global-id';
import { NodeRecord, nodeLoaders } from './node';

const MAX_NODES = 100;

async function loadNode(ctx: Context, globalId: string): Promise<object | null> {
  const parsed = parseGlobalId(globalId);
  const load = parsed && nodeLoaders.get(parsed.type);
  return load ? load(ctx, parsed.id) : null;
}

@Resolver()
export class NodeResolver {
  @RequireViewer()
  @Query(() => NodeRecord, { description: 'Any record by global id; NOT_FOUND if it does not exist or the viewer may not read it.' })
  async node(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<object> {
    const parsed = parseGlobalId(id);
    if (!parsed || !nodeLoaders.has(parsed.type)) throw badInput('id', 'id is not a valid global id');
    const row = await loadNode(ctx, id);
    if (!row) throw notFound('Node', id);
    return row;
  }

  @RequireViewer()
  @Query(() => [NodeRecord], { nullable: 'items', description: `Records by global id, in order; null where one is not found or not visible (at most ${MAX_NODES}).` })
  async nodes(@Ctx() ctx: Context, @Arg('ids', () => [ID]) ids: string[]): Promise<(object | null)[]> {
    if (ids.length > MAX_NODES) throw badInput('ids', `At most ${MAX_NODES} ids`);
    return Promise.all(ids.map((id) => loadNode(ctx, id)));
  }
}
