/**
 * The land-supply workflow (DESIGN.md §2, domain.md §4 and §7.2):
 *
 *   DRAFT → SUBMITTED → NR_REVIEW → IN_SUPPLY_PLAN → LISTED → TRANSACTED → CONTRACTED → DELIVERED → CLOSED
 *
 * with LISTED → FAILED (流拍) → LISTED, and REJECTED (自然资源局) or WITHDRAWN (the county or park)
 * at any time before the land is sold. The county or park drafts and submits for a project; the
 * 自然资源和规划局 does the rest, recording the plot number at listing, the deal price at the
 * transaction, the contract number and the delivery day.
 */
import { compareDecimals, normalizeDecimal } from '../../core/db/decimal';
import { badInput } from '../../core/errors';
import { amountOrThrow, optionalTextOrThrow, textOrThrow } from '../../core/validation';
import { defineWorkflow, TransitionInput, Workflow } from '../../core/workflow/workflow';
import { pastDayOrThrow } from '../fund/fund.transitions';
import { FarmlandType, LandRequest, LandRequestStatus as S } from './land-request.entity';

/** Before the land is sold: the request may still be rejected or withdrawn. */
const UNSOLD: readonly S[] = [S.SUBMITTED, S.NR_REVIEW, S.IN_SUPPLY_PLAN, S.LISTED, S.FAILED];

export interface ListInput extends TransitionInput {
  plotNo?: string | null;
}

export interface TransactInput extends TransitionInput {
  dealPrice: string;
}

export interface ContractInput extends TransitionInput {
  contractNo: string;
}

export interface DeliverInput extends TransitionInput {
  deliveredOn?: string | null;
}

export const landRequestWorkflow: Workflow<LandRequest, S> = defineWorkflow<LandRequest, S>({
  entity: LandRequest,
  axis: 'status',
  transitions: [
    { action: 'submit', from: [S.DRAFT], to: S.SUBMITTED },
    { action: 'review', from: [S.SUBMITTED], to: S.NR_REVIEW },
    {
      // Permanent basic farmland cannot be converted for industry: such a request can only be rejected.
      action: 'planSupply',
      from: [S.NR_REVIEW],
      to: S.IN_SUPPLY_PLAN,
      guard: (l) => {
        if (l.farmlandType === FarmlandType.PERMANENT_BASIC) {
          throw badInput('farmlandType', 'Permanent basic farmland (永久基本农田) cannot go into the supply plan; reject the request instead');
        }
      },
    },
    {
      // 挂牌: the plot number is given now, unless the plot was listed before (relisting after 流拍).
      action: 'list',
      from: [S.IN_SUPPLY_PLAN, S.FAILED],
      to: S.LISTED,
      guard: (l, input: ListInput) => {
        const plotNo = optionalTextOrThrow('plotNo', input.plotNo, 64);
        if (!plotNo && !l.plotNo) throw badInput('plotNo', 'plotNo is required to list the plot');
      },
      changes: (l, input: ListInput) => ({ plotNo: optionalTextOrThrow('plotNo', input.plotNo, 64) || l.plotNo }),
    },
    { action: 'recordFailure', from: [S.LISTED], to: S.FAILED },
    {
      action: 'transact',
      from: [S.LISTED],
      to: S.TRANSACTED,
      guard: (_l, input: TransactInput) => {
        amountOrThrow('dealPrice', input.dealPrice, { allowZero: false });
      },
      changes: (_l, input: TransactInput) => ({ dealPrice: normalizeDecimal(input.dealPrice) }),
    },
    {
      action: 'contract',
      from: [S.TRANSACTED],
      to: S.CONTRACTED,
      guard: (_l, input: ContractInput) => {
        textOrThrow('contractNo', input.contractNo ?? '', 64);
      },
      changes: (_l, input: ContractInput) => ({ contractNo: textOrThrow('contractNo', input.contractNo, 64) }),
    },
    {
      action: 'deliver',
      from: [S.CONTRACTED],
      to: S.DELIVERED,
      guard: (_l, input: DeliverInput) => {
        pastDayOrThrow('deliveredOn', input.deliveredOn);
      },
      changes: (_l, input: DeliverInput) => ({ deliveredOn: pastDayOrThrow('deliveredOn', input.deliveredOn) }),
    },
    { action: 'close', from: [S.DELIVERED], to: S.CLOSED },
    { action: 'reject', from: UNSOLD, to: S.REJECTED, requiresComment: true },
    { action: 'withdraw', from: [S.DRAFT, ...UNSOLD], to: S.WITHDRAWN, requiresComment: true },
  ],
});

/** States in which the county or park may still change the request. */
export const LAND_EDITABLE_STATES: readonly S[] = [S.DRAFT];

/** The steps that move a request forward: a record in a state they leave awaits whoever may take them (myQueue). */
export const LAND_FORWARD_ACTIONS = ['submit', 'review', 'planSupply', 'list', 'transact', 'contract', 'deliver', 'close'] as const;

/** An area or ratio with at most `places` decimal places, more than 0 and at most `max`. */
export function positiveDecimalOrThrow(field: string, value: string, places: number, max: string): string {
  const text = normalizeDecimal(value);
  if (compareDecimals(text, 0) <= 0) throw badInput(field, `${field} must be more than zero`);
  if (compareDecimals(text, max) > 0) throw badInput(field, `${field} must be at most ${max}`);
  if (new RegExp(`\\.\\d{${places + 1},}$`).test(text)) throw badInput(field, `${field} must have at most ${places} decimal places`);
  return text;
}
