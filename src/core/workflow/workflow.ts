/**
 * One small transition-table state machine for every workflow (project library and stage,
 * monthly reports, fund applications, land requests). A transition names its CASL action, the
 * states it leaves from, the state it reaches, its guards and its extra changes; running it checks
 * scope, version, state, permission and guards, writes the new state, a history row and an audit
 * event in one transaction, and returns the updated record.
 */
import { EntityManager, ObjectLiteral } from 'typeorm';
import type { Context } from '../../app/context';
import { recordAudit } from '../../modules/audit/audit.service';
import { WorkflowTransition } from '../../modules/workflow-history/workflow-transition.entity';
import { assertCanOnRow, assertVersion, loadVisibleOrThrow, writeVersionedOrThrow } from '../db/scoped-write';
import { badInput, invalidTransition } from '../errors';
import { optionalTextOrThrow } from '../validation';
import { inTransaction } from '../db/transaction';

type Entity = ObjectLiteral & { id: number; version: number; territoryId: number; enterpriseId?: number | null };
type EntityClass<T> = { new (): T; name: string };

export interface TransitionInput {
  comment?: string | null;
}

export interface Transition<T extends Entity, S extends string, I extends TransitionInput = TransitionInput> {
  /** Names the transition (and its mutation's verb). */
  action: string;
  /** The CASL action that permits it, when several transitions share one (default: `action`). */
  permission?: string;
  from: readonly S[];
  /** The state reached; a function when it depends on the record or input (resuming where it stopped, a last tranche). */
  to: S | ((row: T, input: I) => S);
  requiresComment?: boolean;
  /** Throws a coded error (BAD_USER_INPUT, INVALID_TRANSITION, CONFLICT) when the record or input does not allow it. */
  guard?: (row: T, input: I, m: EntityManager, ctx: Context) => Promise<void> | void;
  /** Further field changes written with the state. */
  changes?: (row: T, input: I, ctx: Context) => Partial<T>;
  /** Further writes in the same transaction, after the state is written. */
  afterWrite?: (row: T, input: I, m: EntityManager, ctx: Context) => Promise<void>;
}

export interface Workflow<T extends Entity, S extends string> {
  entity: EntityClass<T>;
  /** The state column this workflow moves. */
  axis: keyof T & string;
  transitions: Transition<T, S, any>[];
}

export function defineWorkflow<T extends Entity, S extends string>(workflow: Workflow<T, S>): Workflow<T, S> {
  const actions = workflow.transitions.map((t) => t.action);
  const duplicate = actions.find((a, i) => actions.indexOf(a) !== i);
  if (duplicate) throw new Error(`${workflow.entity.name}.${workflow.axis}: transition ${duplicate} is defined twice`);
  return workflow;
}

export function transitionOf<T extends Entity, S extends string>(workflow: Workflow<T, S>, action: string): Transition<T, S> {
  const transition = workflow.transitions.find((t) => t.action === action);
  if (!transition) throw new Error(`${workflow.entity.name} has no transition ${action}`);
  return transition;
}

/** The transitions that leave `state`. */
export const transitionsFrom = <T extends Entity, S extends string>(workflow: Workflow<T, S>, state: S) =>
  workflow.transitions.filter((t) => t.from.includes(state));

const MAX_COMMENT = 2000;

/** Inserts history rows; every column is set in code, so nothing is read back. */
export async function insertHistory(m: EntityManager, rows: ReturnType<typeof historyRow>[]): Promise<void> {
  await m.createQueryBuilder().insert().into(WorkflowTransition).values(rows).updateEntity(false).execute();
}

/** The history row of one record's step (bulk steps insert many at once). */
export function historyRow<T extends Entity>(ctx: Context, workflow: Workflow<T, any>, row: T, from: string, to: string, action: string, comment: string | null) {
  return {
    subjectType: workflow.entity.name,
    recordId: row.id,
    axis: workflow.axis,
    fromState: from,
    toState: to,
    action,
    actorId: ctx.viewer!.user.id,
    comment,
    territoryId: row.territoryId,
    enterpriseId: row.enterpriseId ?? null,
    // Set here rather than by the column default, so the insert needs no read-back.
    createdAt: new Date(),
  };
}

export async function runTransition<T extends Entity, S extends string, I extends TransitionInput>(
  ctx: Context,
  workflow: Workflow<T, S>,
  action: string,
  id: number,
  expectedVersion: number,
  input: I,
): Promise<T> {
  const transition = transitionOf(workflow, action) as Transition<T, S, I>;
  const comment = optionalTextOrThrow('comment', input.comment, MAX_COMMENT) ?? null;
  if (transition.requiresComment && !comment) throw badInput('comment', `${action} needs a comment saying why`);

  return inTransaction(ctx, async (m) => {
    const row = await loadVisibleOrThrow(ctx, m, workflow.entity, id);
    assertVersion(row, expectedVersion);
    const current = row[workflow.axis] as S;
    if (!transition.from.includes(current)) {
      const allowed = transitionsFrom(workflow, current).map((t) => t.action);
      throw invalidTransition(`Cannot ${action} a ${workflow.entity.name} whose ${workflow.axis} is ${current}`, {
        currentState: current,
        allowedActions: allowed,
      });
    }
    await assertCanOnRow(ctx, m, workflow.entity, id, transition.permission ?? action, `in state ${current}`);
    await transition.guard?.(row, input, m, ctx);

    const to = typeof transition.to === 'function' ? transition.to(row, input) : transition.to;
    const changes = { ...(transition.changes?.(row, input, ctx) ?? {}), [workflow.axis]: to } as Partial<T>;
    const after = await writeVersionedOrThrow(m, workflow.entity, row, changes);
    await transition.afterWrite?.(after, input, m, ctx);
    await insertHistory(m, [historyRow(ctx, workflow, after, current, to, action, comment)]);
    await recordAudit(m, ctx, {
      action,
      subjectType: workflow.entity.name,
      recordId: id,
      before: row,
      after,
      territoryId: after.territoryId,
      enterpriseId: after.enterpriseId ?? null,
    });
    return after;
  });
}
