/** The transition history of any workflow record, read through the history's own rules (it carries the record's scope keys). */
import type { Context } from '../../app/context';
import { scopedQuery } from '../../core/db/scoped';
import { ChildConnectionSpec, loadChildConnection } from '../../core/graphql/child-connection';
import { ConnectionShape, PageArgs } from '../../core/graphql/connection';
import { WorkflowTransition } from './workflow-transition.entity';

const specs = new Map<string, ChildConnectionSpec<WorkflowTransition>>();

/** Oldest first: the history reads as a story. */
export function historyOf(ctx: Context, subjectType: string, recordId: number, args: PageArgs): ConnectionShape<WorkflowTransition> | Promise<ConnectionShape<WorkflowTransition>> {
  let spec = specs.get(subjectType);
  if (!spec) {
    specs.set(subjectType, (spec = {
      name: `${subjectType}.history`,
      entity: WorkflowTransition,
      query: (c) => scopedQuery(c, WorkflowTransition, 'h').andWhere('h.subjectType = :historySubject', { historySubject: subjectType }),
      alias: 'h',
      foreignKey: 'recordId',
      sort: { column: 'h.id', direction: 'ASC', valueOf: (h) => h.id },
    }));
  }
  return loadChildConnection(ctx, spec, args, recordId);
}
