/** The transition history of any workflow record, read through the history's own rules (it carries the record's scope keys). */
import type { Context } from '../../app/context';
import { scopedQuery } from '../../core/db/scoped';
import { loadChildConnection } from '../../core/graphql/child-connection';
import { ConnectionShape, PageArgs } from '../../core/graphql/connection';
import { WorkflowTransition } from './workflow-transition.entity';

/** Oldest first: the history reads as a story. */
export function historyOf(ctx: Context, subjectType: string, recordId: number, args: PageArgs): Promise<ConnectionShape<WorkflowTransition>> {
  return loadChildConnection(
    ctx,
    {
      name: `${subjectType}.history`,
      query: () => scopedQuery(ctx, WorkflowTransition, 'h').andWhere('h.subjectType = :historySubject', { historySubject: subjectType }),
      alias: 'h',
      foreignKey: 'recordId',
      sort: { column: 'h.id', direction: 'ASC', valueOf: (h) => h.id },
    },
    args,
    recordId,
  );
}
