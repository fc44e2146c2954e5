import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../app/context';
import { RequireViewer } from '../../core/authz/operation';
import * as queue from './queue.service';
import { QueueArgs, QueueConnection } from './queue.types';

@Resolver()
export class QueueResolver {
  // Any signed-in user: the queue holds only what their own rules let them act on (an empty queue otherwise).
  @RequireViewer()
  @Query(() => QueueConnection, {
    description:
      'The records awaiting a workflow step the viewer may take now — project library entries, monthly reports to confirm, fund applications, ' +
      'land requests — oldest first, with counts per type.',
  })
  myQueue(@Ctx() ctx: Context, @Args(() => QueueArgs) args: QueueArgs): Promise<QueueConnection> {
    return queue.myQueue(ctx, args);
  }
}
