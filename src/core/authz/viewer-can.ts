/**
 * `viewerCan { update submit … }` on every record type: what the viewer may do to THIS row now, so
 * a frontend can hide buttons without copying rules. An action is false when none of its state
 * gates (workflow transitions, editable states) admits the row's state; otherwise it is answered by the
 * same SQL predicate as the operation itself, batched per request: one query per action asked for.
 */
import { ClassType, Field, ObjectType } from 'type-graphql';
import type { Context } from '../../app/context';
import { scopedQuery } from '../db/scoped';
import { loaderFor } from '../graphql/loaders';
import type { Workflow } from '../workflow/workflow';

type EntityClass = { new (): object; name: string };

const types = new Map<string, ClassType>();

/** The `<Subject>ViewerCan` object type with one Boolean per action. */
export function ViewerCanType(subject: string, actions: readonly string[]): ClassType {
  let type = types.get(subject);
  if (!type) {
    class ViewerCan {}
    Object.defineProperty(ViewerCan, 'name', { value: `${subject}ViewerCan` });
    for (const action of actions) {
      Field(() => Boolean, { description: `Whether the viewer may ${action} this ${subject}.` })(ViewerCan.prototype, action);
    }
    ObjectType(`${subject}ViewerCan`, { description: `What the viewer may do to this ${subject}.` })(ViewerCan);
    type = ViewerCan;
    types.set(subject, type);
  }
  return type;
}

/** States in which an action applies: each workflow transition is one; edits allowed only in some states are others. */
export interface StateGate {
  axis: string;
  action: string;
  from: readonly string[];
}

export const gatesOf = (workflow: Workflow<any, any>): StateGate[] =>
  workflow.transitions.map((t) => ({ axis: workflow.axis, action: t.permission ?? t.action, from: t.from }));

/** Whether some gate for `action` admits the row's state; true for actions without gates. */
function stateAllows(row: Record<string, unknown>, action: string, gates: readonly StateGate[]): boolean {
  const relevant = gates.filter((g) => g.action === action);
  return relevant.length === 0 || relevant.some((g) => g.from.includes(row[g.axis] as string));
}

/** An object whose properties (the actions) query lazily: actions not selected cost nothing. */
export function viewerCan(
  ctx: Context,
  entity: EntityClass,
  row: { id: number },
  actions: readonly string[],
  gates: readonly StateGate[] = [],
): object {
  const answers = {};
  const id = row.id;
  for (const action of actions) {
    Object.defineProperty(answers, action, {
      enumerable: true,
      get: () =>
        stateAllows(row as Record<string, unknown>, action, gates) &&
        loaderFor<number, boolean>(ctx.loaders, `viewerCan:${entity.name}:${action}`, async (ids) => {
          const allowed = await scopedQuery(ctx, entity as never, 'v', action)
            .select('v.id', 'id')
            .andWhere('v.id IN (:...ids)', { ids })
            .getRawMany<{ id: number }>();
          const set = new Set(allowed.map((r) => Number(r.id)));
          return ids.map((i) => set.has(i));
        }).load(id),
    });
  }
  return answers;
}
