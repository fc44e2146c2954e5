/**
 * The fund application workflow (DESIGN.md §2, domain.md §3 and §7.2) and its guards:
 *
 *   DRAFT → SUBMITTED → COUNTY_REVIEW → COUNTY_RECOMMENDED → CITY_REVIEW → EXPERT_REVIEW →
 *   ALLOCATION_PROPOSED → PUBLIC_NOTICE → APPROVED → DISBURSING → DISBURSED → ACCEPTED → CLOSED
 *
 * with RETURNED (to be resubmitted) and REJECTED from the review states, an objection during the
 * notice back to CITY_REVIEW, and CLAWBACK once money has been paid. Who may take each step is
 * decided by the CASL action named here and the role rules (seed/role-rules.ts), never by role
 * names in code.
 *
 * Eligibility (the programme's window is open, the project is in the library, the amount is within
 * the programme's ratio and cap, the support form is one the programme offers) is checked when an
 * application is created or changed and again when it is submitted, because the programme and the
 * project may have changed in between. "One application per enterprise per programme" is the
 * unique index (programId, enterpriseId), checked first for a clear CONFLICT.
 */
import { EntityManager } from 'typeorm';
import type { Context } from '../../app/context';
import { addDecimals, compareDecimals, fromUnits, normalizeDecimal, toUnits } from '../../core/db/decimal';
import { badInput, invalidTransition } from '../../core/errors';
import { amountOrThrow, optionalTextOrThrow } from '../../core/validation';
import { defineWorkflow, TransitionInput, transitionsFrom, Workflow } from '../../core/workflow/workflow';
import { fromFlags } from '../../core/db/columns';
import { LibraryStatus, Project } from '../project/project.entity';
import { FundApplication, FundApplicationStatus as S } from './fund-application.entity';
import { FundDisbursement } from './fund-disbursement.entity';
import { FundBasis, FundProgram, SUPPORT_FORMS, SupportForm } from './fund-program.entity';

const MAX_TEXT = 5000;

/** Where county, city and expert review happen: an application may be returned or rejected from any of them. */
export const REVIEW_STATES: readonly S[] = [
  S.SUBMITTED, S.COUNTY_REVIEW, S.COUNTY_RECOMMENDED, S.CITY_REVIEW, S.EXPERT_REVIEW, S.ALLOCATION_PROPOSED,
];
/** States in which the applicant may still change the application. */
export const EDITABLE_STATES: readonly S[] = [S.DRAFT, S.RETURNED];
/** Money has been paid: a violation found now is clawed back. */
export const PAID_STATES: readonly S[] = [S.DISBURSING, S.DISBURSED, S.ACCEPTED];

export const DEFAULT_NOTICE_DAYS = 7;
export const MAX_NOTICE_DAYS = 30;
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Eligibility

/** The values the amount rules apply to. */
export interface ApplicationTerms {
  supportForm: SupportForm;
  requestedAmount: string;
  basisAmount: string;
}

export const windowIsOpen = (p: FundProgram, now = new Date()) => p.windowOpensAt <= now && now <= p.windowClosesAt;

export function windowOpenOrThrow(program: FundProgram, now = new Date()): void {
  if (!windowIsOpen(program, now)) {
    const when = now < program.windowOpensAt ? `opens ${program.windowOpensAt.toISOString()}` : `closed ${program.windowClosesAt.toISOString()}`;
    throw badInput('programId', `The programme's application window is not open (it ${when})`);
  }
}

export function inLibraryOrThrow(project: Project): void {
  if (project.libraryStatus !== LibraryStatus.IN_LIBRARY) {
    throw badInput('projectId', `Only projects in the library may apply (先入库、再申报); this one is ${project.libraryStatus}`);
  }
}

/** The project amount a basis may not exceed: its equipment or total investment (loan interest is not on the project). */
export function projectBasisLimit(program: FundProgram, project: Project): string | null {
  if (program.basis === FundBasis.EQUIPMENT) return project.equipmentInvestment;
  if (program.basis === FundBasis.APPROVED_INVESTMENT) return project.totalInvestment;
  return null;
}

/**
 * The most the programme gives for `basis`: min(cap, maxRatio × basis), the product rounded down to
 * 0.0001 万元 (1 yuan). Compared exactly: ratio and basis have at most 4 decimal places, so their
 * product is an integer number of 10^-8 units.
 */
export function maxSupport(program: FundProgram, basis: string): string {
  const byRatio = (toUnits(program.maxRatio) * toUnits(basis)) / toUnits(1);
  const cap = toUnits(program.cap);
  return fromUnits(byRatio < cap ? byRatio : cap);
}

/** requested ≤ cap and requested ≤ maxRatio × basis, in exact integer arithmetic. */
export function withinProgrammeRules(program: FundProgram, requested: string, basis: string): boolean {
  const r = toUnits(requested);
  return r <= toUnits(program.cap) && r * toUnits(1) <= toUnits(program.maxRatio) * toUnits(basis);
}

export function termsOrThrow(program: FundProgram, project: Project, terms: ApplicationTerms): void {
  if (!fromFlags(program.supportFormFlags, SUPPORT_FORMS).includes(terms.supportForm)) {
    throw badInput('supportForm', `The programme does not offer ${terms.supportForm}; it offers ${fromFlags(program.supportFormFlags, SUPPORT_FORMS).join(', ')}`);
  }
  const limit = projectBasisLimit(program, project);
  if (limit !== null && compareDecimals(terms.basisAmount, limit) > 0) {
    const what = program.basis === FundBasis.EQUIPMENT ? 'equipment investment' : 'total investment';
    throw badInput('basisAmount', `basisAmount must not exceed the project's ${what} (${limit} 万元)`);
  }
  if (!withinProgrammeRules(program, terms.requestedAmount, terms.basisAmount)) {
    throw badInput(
      'requestedAmount',
      `requestedAmount must not exceed ${maxSupport(program, terms.basisAmount)} 万元: min(cap ${program.cap}, ${program.maxRatio} × basis ${terms.basisAmount})`,
    );
  }
}

/**
 * The programme and project of an application as they are now, read inside the transaction. Not
 * through the viewer's scope on purpose: eligibility is a fact about the application's own
 * programme and project, whatever the viewer may read of them.
 */
export async function termsContextOf(m: EntityManager, a: Pick<FundApplication, 'programId' | 'projectId'>) {
  const program = await m.findOneByOrFail(FundProgram, { id: a.programId });
  const project = await m.findOneByOrFail(Project, { id: a.projectId });
  return { program, project };
}

// ---------------------------------------------------------------------------------------------
// Transition inputs

export interface ProposeAllocationInput extends TransitionInput {
  expertScore: string;
  expertOpinion?: string | null;
  proposedAmount: string;
}

export interface PublishNoticeInput extends TransitionInput {
  noticeDays?: number | null;
}

export interface ApproveInput extends TransitionInput {
  approvedAmount?: string | null;
}

export interface DisburseInput extends TransitionInput {
  amount: string;
  paidOn?: string | null;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Today in China Standard Time, "YYYY-MM-DD". */
export const today = (now = new Date()) => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** A calendar day "YYYY-MM-DD", not in the future (China Standard Time). */
export function pastDayOrThrow(field: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value.trim() === '') return today();
  const text = value.trim();
  const match = DAY.exec(text);
  const date = match ? new Date(`${text}T00:00:00Z`) : null;
  if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text || Number(match[1]) < 1990) {
    throw badInput(field, `${field} must be a date "YYYY-MM-DD"`);
  }
  if (text > today()) throw badInput(field, `${field} must not be in the future`);
  return text;
}

/** Expert score: 0–100 with at most 2 decimal places (DECIMAL(5,2)). */
function expertScoreOrThrow(value: string): string {
  const score = normalizeDecimal(value);
  if (compareDecimals(score, 0) < 0 || compareDecimals(score, 100) > 0) throw badInput('expertScore', 'expertScore must be between 0 and 100');
  if (/\.\d{3,}$/.test(score)) throw badInput('expertScore', 'expertScore must have at most 2 decimal places');
  return score;
}

function notAboveRequestedOrThrow(field: string, amount: string, a: FundApplication): string {
  amountOrThrow(field, amount, { allowZero: false });
  if (compareDecimals(amount, a.requestedAmount) > 0) throw badInput(field, `${field} must not exceed the requested amount (${a.requestedAmount} 万元)`);
  return amount;
}

const remainingOf = (a: FundApplication) => addDecimals(a.approvedAmount ?? 0, `-${a.disbursedAmount}`);

// ---------------------------------------------------------------------------------------------
// The table

export const fundApplicationWorkflow: Workflow<FundApplication, S> = defineWorkflow<FundApplication, S>({
  entity: FundApplication,
  axis: 'status',
  transitions: [
    {
      action: 'submit',
      from: EDITABLE_STATES,
      to: S.SUBMITTED,
      guard: async (a, _input, m) => {
        const { program, project } = await termsContextOf(m, a);
        windowOpenOrThrow(program);
        inLibraryOrThrow(project);
        termsOrThrow(program, project, a);
      },
      changes: () => ({ submittedAt: new Date() }),
    },
    { action: 'countyReview', from: [S.SUBMITTED], to: S.COUNTY_REVIEW },
    {
      // 联合推荐: the county (park) recommends by formal opinion, vouching the application is genuine.
      action: 'countyRecommend',
      from: [S.COUNTY_REVIEW],
      to: S.COUNTY_RECOMMENDED,
      requiresComment: true,
      changes: (_a, input) => ({ countyOpinion: input.comment!.trim() }),
    },
    { action: 'cityReview', from: [S.COUNTY_RECOMMENDED], to: S.CITY_REVIEW },
    {
      // The city review (复审) passed: the application goes to the experts, with the city's opinion if given.
      action: 'expertReview',
      from: [S.CITY_REVIEW],
      to: S.EXPERT_REVIEW,
      changes: (a, input) => ({ cityOpinion: input.comment?.trim() || a.cityOpinion }),
    },
    {
      // The experts' score and opinion, and the allocation proposed on them.
      action: 'proposeAllocation',
      from: [S.EXPERT_REVIEW],
      to: S.ALLOCATION_PROPOSED,
      guard: (a, input: ProposeAllocationInput) => {
        expertScoreOrThrow(input.expertScore);
        optionalTextOrThrow('expertOpinion', input.expertOpinion, MAX_TEXT);
        notAboveRequestedOrThrow('proposedAmount', input.proposedAmount, a);
      },
      changes: (_a, input: ProposeAllocationInput) => ({
        expertScore: expertScoreOrThrow(input.expertScore),
        expertOpinion: optionalTextOrThrow('expertOpinion', input.expertOpinion, MAX_TEXT) ?? null,
        proposedAmount: input.proposedAmount,
      }),
    },
    {
      // 公示: from now on the score and the proposal are public (role-rules.ts hides them before).
      action: 'publishNotice',
      from: [S.ALLOCATION_PROPOSED],
      to: S.PUBLIC_NOTICE,
      guard: (_a, input: PublishNoticeInput) => {
        const days = input.noticeDays ?? DEFAULT_NOTICE_DAYS;
        if (!Number.isInteger(days) || days < 1 || days > MAX_NOTICE_DAYS) throw badInput('noticeDays', `noticeDays must be between 1 and ${MAX_NOTICE_DAYS}`);
      },
      changes: (_a, input: PublishNoticeInput) => {
        const start = new Date();
        return { noticeStartsAt: start, noticeEndsAt: new Date(start.getTime() + (input.noticeDays ?? DEFAULT_NOTICE_DAYS) * DAY_MS) };
      },
    },
    {
      // An objection upheld during the notice sends the application back to city review; the notice ends.
      action: 'object',
      from: [S.PUBLIC_NOTICE],
      to: S.CITY_REVIEW,
      requiresComment: true,
      changes: () => ({ noticeStartsAt: null, noticeEndsAt: null }),
    },
    {
      // 下达: after the notice has run its course, an amount up to the requested one.
      action: 'approve',
      from: [S.PUBLIC_NOTICE],
      to: S.APPROVED,
      guard: (a, input: ApproveInput) => {
        if (a.noticeEndsAt && a.noticeEndsAt > new Date()) {
          throw invalidTransition(`The public notice runs until ${a.noticeEndsAt.toISOString()}; approve after it ends`, {
            currentState: a.status,
            allowedActions: transitionsFrom(fundApplicationWorkflow, a.status).map((t) => t.action).filter((t) => t !== 'approve'),
            noticeEndsAt: a.noticeEndsAt.toISOString(),
          });
        }
        const amount = input.approvedAmount ?? a.proposedAmount;
        if (!amount) throw badInput('approvedAmount', 'approvedAmount is required');
        notAboveRequestedOrThrow('approvedAmount', amount, a);
      },
      changes: (a, input: ApproveInput) => ({ approvedAmount: input.approvedAmount ?? a.proposedAmount }),
    },
    {
      // One tranche: the one that pays the rest of the approved amount reaches DISBURSED (the guard
      // has already refused a tranche above the rest).
      action: 'disburse',
      from: [S.APPROVED, S.DISBURSING],
      to: (a, input: DisburseInput) => (compareDecimals(input.amount, remainingOf(a)) >= 0 ? S.DISBURSED : S.DISBURSING),
      guard: (a, input: DisburseInput) => {
        amountOrThrow('amount', input.amount, { allowZero: false });
        pastDayOrThrow('paidOn', input.paidOn);
        const remaining = remainingOf(a);
        if (compareDecimals(input.amount, remaining) > 0) {
          throw badInput('amount', `amount must not exceed what is left of the approved amount: ${remaining} 万元 (approved ${a.approvedAmount}, paid ${a.disbursedAmount})`);
        }
      },
      changes: (a, input: DisburseInput) => ({ disbursedAmount: addDecimals(a.disbursedAmount, input.amount) }),
      afterWrite: async (a, input: DisburseInput, m, ctx: Context) => {
        await m.insert(FundDisbursement, {
          applicationId: a.id,
          territoryId: a.territoryId,
          enterpriseId: a.enterpriseId,
          amount: normalizeDecimal(input.amount),
          paidOn: pastDayOrThrow('paidOn', input.paidOn),
          recordedById: ctx.viewer!.user.id,
        });
      },
    },
    {
      // 验收: the acceptance result is the comment.
      action: 'accept',
      from: [S.DISBURSED],
      to: S.ACCEPTED,
      requiresComment: true,
      changes: (_a, input) => ({ acceptanceResult: input.comment!.trim() }),
    },
    { action: 'close', from: [S.ACCEPTED], to: S.CLOSED },
    { action: 'return', from: REVIEW_STATES, to: S.RETURNED, requiresComment: true },
    { action: 'reject', from: REVIEW_STATES, to: S.REJECTED, requiresComment: true },
    { action: 'clawback', from: PAID_STATES, to: S.CLAWBACK, requiresComment: true },
  ],
});

/** The steps that move an application forward: a record in a state they leave awaits whoever may take them (myQueue). */
export const FUND_FORWARD_ACTIONS = [
  'submit', 'countyReview', 'countyRecommend', 'cityReview', 'expertReview', 'proposeAllocation', 'publishNotice', 'approve',
  'disburse', 'accept', 'close',
] as const;
