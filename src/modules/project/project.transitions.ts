/**
 * The two independent state machines of a project (DESIGN.md §2): its place in the project
 * library (储备库) and its construction stage, with their guards.
 */
import { badInput, invalidTransition } from '../../core/errors';
import { currentMonth } from '../../core/validation';
import { defineWorkflow, TransitionInput } from '../../core/workflow/workflow';
import { ConstructionStage as S, LibraryStatus as L, Project } from './project.entity';

export const libraryWorkflow = defineWorkflow<Project, L>({
  entity: Project,
  axis: 'libraryStatus',
  transitions: [
    { action: 'submit', from: [L.DRAFT, L.RETURNED], to: L.SUBMITTED },
    { action: 'countyCheck', from: [L.SUBMITTED], to: L.COUNTY_CHECKED },
    { action: 'accept', from: [L.COUNTY_CHECKED], to: L.IN_LIBRARY },
    { action: 'return', from: [L.SUBMITTED, L.COUNTY_CHECKED], to: L.RETURNED, requiresComment: true },
    { action: 'reject', from: [L.SUBMITTED, L.COUNTY_CHECKED], to: L.REJECTED, requiresComment: true },
    { action: 'withdraw', from: [L.IN_LIBRARY], to: L.WITHDRAWN, requiresComment: true },
  ],
});

export interface StageInput extends TransitionInput {
  actualStart?: string | null;
  actualCompletion?: string | null;
}

function monthNotInFutureOrThrow(field: string, month: string): void {
  if (month > currentMonth()) throw badInput(field, `${field} must not be in the future`);
}

const ACTIVE: S[] = [S.PLANNING, S.PREPARATION, S.UNDER_CONSTRUCTION, S.COMPLETED, S.SUSPENDED];

export const stageWorkflow = defineWorkflow<Project, S>({
  entity: Project,
  axis: 'stage',
  transitions: [
    { action: 'startPreparation', permission: 'changeStage', from: [S.PLANNING], to: S.PREPARATION },
    {
      action: 'startConstruction',
      permission: 'changeStage',
      from: [S.PLANNING, S.PREPARATION],
      to: S.UNDER_CONSTRUCTION,
      guard: (p, input: StageInput) => {
        const start = input.actualStart ?? p.actualStart;
        if (!start) throw badInput('actualStart', 'Construction needs its actual start month');
        monthNotInFutureOrThrow('actualStart', start);
      },
      changes: (p, input: StageInput) => ({ actualStart: input.actualStart ?? p.actualStart }),
    },
    {
      action: 'completeConstruction',
      permission: 'changeStage',
      from: [S.UNDER_CONSTRUCTION],
      to: S.COMPLETED,
      guard: (p, input: StageInput) => {
        const end = input.actualCompletion ?? p.actualCompletion;
        if (!end) throw badInput('actualCompletion', 'Completion needs its actual completion month');
        monthNotInFutureOrThrow('actualCompletion', end);
        if (p.actualStart && end < p.actualStart) throw badInput('actualCompletion', 'actualCompletion must not be before actualStart');
      },
      changes: (p, input: StageInput) => ({ actualCompletion: input.actualCompletion ?? p.actualCompletion }),
    },
    { action: 'startProduction', permission: 'changeStage', from: [S.COMPLETED], to: S.IN_PRODUCTION },
    { action: 'suspend', permission: 'changeStage', from: [S.PREPARATION, S.UNDER_CONSTRUCTION], to: S.SUSPENDED, requiresComment: true },
    {
      // Back to where it stopped: construction had started if it has an actual start.
      action: 'resume',
      permission: 'changeStage',
      from: [S.SUSPENDED],
      to: (p) => (p.actualStart ? S.UNDER_CONSTRUCTION : S.PREPARATION),
    },
    { action: 'terminate', permission: 'changeStage', from: ACTIVE, to: S.TERMINATED, requiresComment: true },
  ],
});

/** 纳统: only projects under construction with total investment of at least 500 万元. */
export const STATS_THRESHOLD = '500';
export function assertStatsRegistrableOrThrow(p: Project, meetsThreshold: boolean): void {
  if (p.stage !== S.UNDER_CONSTRUCTION || !meetsThreshold) {
    throw invalidTransition('Statistical registration needs a project under construction with total investment of at least 500 万元', {
      currentState: p.stage,
      allowedActions: [],
    });
  }
}
