/**
 * `viewerCan { update submit … }` on every record type: what the viewer may do to THIS row, so a
 * frontend can hide buttons without copying rules. Each action is answered by the same SQL
 * predicate as the operation itself, batched per request: one query per action asked for.
 */
import { ClassType, Field, ObjectType } from 'type-graphql';
import type { Context } from '../../app/context';
import { scopedQuery } from '../db/scoped';
import { loaderFor } from '../graphql/loaders';

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

/** An object whose properties (the actions) query lazily: actions not selected cost nothing. */
export function viewerCan(ctx: Context, entity: EntityClass, id: number, actions: readonly string[]): object {
  const answers = {};
  for (const action of actions) {
    Object.defineProperty(answers, action, {
      enumerable: true,
      get: () =>
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
