/**
 * Enough of each workflow (DESIGN.md §2, domain.md §7.2) to replay a plausible history to any
 * state: the main line, and for each side state the step that leads to it. The demo data uses it
 * so a record's state and its workflow_transitions rows always agree. Action names and who acts
 * follow the built-in role rules (role-rules.ts): each step is one its actor's role may take.
 */
import { WorkflowTransition } from '../modules/workflow-history/workflow-transition.entity';
import type { NewRow } from './rows';

/** Who performs a step, resolved to a demo account by `Actors`. */
export type ActorRole = 'enterprise' | 'territory' | 'jxj' | 'czj' | 'zrzy';

export interface Step {
  to: string;
  action: string;
  by: ActorRole;
  comment?: string;
}

export interface Workflow {
  subjectType: string;
  /** Which state column moves: "status", or "libraryStatus" / "stage" for projects. */
  axis: string;
  initial: string;
  mainLine: Step[];
  /** Side states, each with the main-line state it is usually reached from. */
  exits: Record<string, Step & { from: string }>;
}

export interface PlannedStep extends Step {
  from: string;
}

/** A step with its moment; becomes one workflow_transitions row once the record has an id. */
export interface HistoryStep extends PlannedStep {
  axis: string;
  at: Date;
}

export const PROJECT_LIBRARY: Workflow = {
  subjectType: 'Project',
  axis: 'libraryStatus',
  initial: 'DRAFT',
  mainLine: [
    { to: 'SUBMITTED', action: 'submit', by: 'enterprise' },
    { to: 'COUNTY_CHECKED', action: 'countyCheck', by: 'territory' },
    { to: 'IN_LIBRARY', action: 'accept', by: 'jxj' },
  ],
  exits: {
    RETURNED: { from: 'COUNTY_CHECKED', to: 'RETURNED', action: 'return', by: 'jxj', comment: '材料不全，请补充项目备案证明和环评批复。' },
    REJECTED: { from: 'COUNTY_CHECKED', to: 'REJECTED', action: 'reject', by: 'jxj', comment: '属新建基建类项目，不符合技改项目入库条件。' },
    WITHDRAWN: { from: 'IN_LIBRARY', to: 'WITHDRAWN', action: 'withdraw', by: 'jxj', comment: '企业调整投资计划，申请出库。' },
  },
};

export const PROJECT_STAGE: Workflow = {
  subjectType: 'Project',
  axis: 'stage',
  initial: 'PLANNING',
  mainLine: [
    { to: 'PREPARATION', action: 'startPreparation', by: 'territory' },
    { to: 'UNDER_CONSTRUCTION', action: 'startConstruction', by: 'territory' },
    { to: 'COMPLETED', action: 'completeConstruction', by: 'territory' },
    { to: 'IN_PRODUCTION', action: 'startProduction', by: 'territory' },
  ],
  exits: {
    SUSPENDED: { from: 'UNDER_CONSTRUCTION', to: 'SUSPENDED', action: 'suspend', by: 'territory', comment: '建设资金暂未到位，停缓建。' },
    TERMINATED: { from: 'PREPARATION', to: 'TERMINATED', action: 'terminate', by: 'territory', comment: '企业经营策略调整，项目终止。' },
  },
};

export const MONTHLY_REPORT: Workflow = {
  subjectType: 'MonthlyReport',
  axis: 'status',
  initial: 'OPEN',
  mainLine: [
    { to: 'SUBMITTED', action: 'submit', by: 'enterprise' },
    { to: 'CONFIRMED', action: 'confirm', by: 'territory' },
    { to: 'LOCKED', action: 'lock', by: 'jxj' },
  ],
  exits: {
    RETURNED: { from: 'SUBMITTED', to: 'RETURNED', action: 'return', by: 'territory', comment: '本月完成投资与形象进度不匹配，请核实后重报。' },
  },
};

export const FUND_APPLICATION: Workflow = {
  subjectType: 'FundApplication',
  axis: 'status',
  initial: 'DRAFT',
  mainLine: [
    { to: 'SUBMITTED', action: 'submit', by: 'enterprise' },
    { to: 'COUNTY_REVIEW', action: 'countyReview', by: 'territory' },
    { to: 'COUNTY_RECOMMENDED', action: 'countyRecommend', by: 'territory' },
    { to: 'CITY_REVIEW', action: 'cityReview', by: 'jxj' },
    { to: 'EXPERT_REVIEW', action: 'expertReview', by: 'jxj' },
    { to: 'ALLOCATION_PROPOSED', action: 'proposeAllocation', by: 'jxj' },
    { to: 'PUBLIC_NOTICE', action: 'publishNotice', by: 'jxj' },
    { to: 'APPROVED', action: 'approve', by: 'czj' },
    { to: 'DISBURSING', action: 'disburse', by: 'czj' },
    { to: 'DISBURSED', action: 'disburse', by: 'czj' },
    { to: 'ACCEPTED', action: 'accept', by: 'jxj' },
    { to: 'CLOSED', action: 'close', by: 'jxj' },
  ],
  exits: {
    RETURNED: { from: 'COUNTY_REVIEW', to: 'RETURNED', action: 'return', by: 'territory', comment: '申报材料缺少设备购置合同及发票清单，请补充。' },
    REJECTED: { from: 'CITY_REVIEW', to: 'REJECTED', action: 'reject', by: 'jxj', comment: '该项目已获其他财政资金支持，不予重复支持。' },
    CLAWBACK: { from: 'ACCEPTED', to: 'CLAWBACK', action: 'clawback', by: 'czj', comment: '专项检查发现资金未专账核算，按规定收回。' },
  },
};

export const LAND_REQUEST: Workflow = {
  subjectType: 'LandRequest',
  axis: 'status',
  initial: 'DRAFT',
  mainLine: [
    { to: 'SUBMITTED', action: 'submit', by: 'territory' },
    { to: 'NR_REVIEW', action: 'review', by: 'zrzy' },
    { to: 'IN_SUPPLY_PLAN', action: 'planSupply', by: 'zrzy' },
    { to: 'LISTED', action: 'list', by: 'zrzy' },
    { to: 'TRANSACTED', action: 'transact', by: 'zrzy' },
    { to: 'CONTRACTED', action: 'contract', by: 'zrzy' },
    { to: 'DELIVERED', action: 'deliver', by: 'zrzy' },
    { to: 'CLOSED', action: 'close', by: 'zrzy' },
  ],
  exits: {
    FAILED: { from: 'LISTED', to: 'FAILED', action: 'recordFailure', by: 'zrzy', comment: '挂牌期内无竞买人，流拍。' },
    REJECTED: { from: 'NR_REVIEW', to: 'REJECTED', action: 'reject', by: 'zrzy', comment: '拟用地块涉及永久基本农田，不符合国土空间规划。' },
    WITHDRAWN: { from: 'SUBMITTED', to: 'WITHDRAWN', action: 'withdraw', by: 'territory', comment: '企业调整项目选址，撤回申请。' },
  },
};

/** The steps from the initial state to `target`: along the main line, then out by the side step if any. */
export function stepsTo(workflow: Workflow, target: string): PlannedStep[] {
  const exit = workflow.exits[target];
  const lineEnd = exit ? exit.from : target;
  const steps: PlannedStep[] = [];
  let from = workflow.initial;
  for (const step of workflow.mainLine) {
    if (from === lineEnd) break;
    steps.push({ ...step, from });
    from = step.to;
  }
  if (from !== lineEnd) throw new Error(`${workflow.subjectType}.${workflow.axis}: ${lineEnd} is not on the main line`);
  if (exit) steps.push({ ...exit, from });
  return steps;
}

/** Attaches moments (one per step, in order) to planned steps. */
export function dated(workflow: Workflow, steps: PlannedStep[], dates: Date[]): HistoryStep[] {
  return steps.map((step, i) => ({ ...step, axis: workflow.axis, at: dates[i] }));
}

/** The demo accounts that plausibly performed each kind of step. */
export interface Actors {
  idFor(role: ActorRole, territoryId: number, enterpriseId: number): number;
  /** Account ids by username. */
  byUsername: Map<string, number>;
}

/** workflow_transitions rows for one record's history. */
export function transitionRows(
  subjectType: string,
  recordId: number,
  scope: { territoryId: number; enterpriseId: number },
  history: HistoryStep[],
  actors: Actors,
): NewRow<WorkflowTransition>[] {
  return history.map((step) => ({
    subjectType,
    recordId,
    axis: step.axis,
    fromState: step.from,
    toState: step.to,
    action: step.action,
    actorId: actors.idFor(step.by, scope.territoryId, scope.enterpriseId),
    comment: step.comment ?? null,
    territoryId: scope.territoryId,
    enterpriseId: scope.enterpriseId,
    createdAt: step.at,
  }));
}
