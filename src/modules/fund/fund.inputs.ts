import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DecimalRange, ProjectRecordFilter, RecordChangeInput, TransitionInput } from '../../core/graphql/common-inputs';
import { PageArgs } from '../../core/graphql/connection';
import { Order, OrderInput } from '../../core/graphql/ordering';
import { DecimalScalar } from '../../core/graphql/scalars';
import { FundApplication, FundApplicationStatus } from './fund-application.entity';
import { FundBasis, FundProgram, FundSource, SupportFormEnum } from './fund-program.entity';
import type { SupportForm } from './fund-program.entity';
import { DEFAULT_NOTICE_DAYS, MAX_NOTICE_DAYS } from './fund.transitions';

// ---------------------------------------------------------------------------------------------
// Programmes

@InputType({ description: 'All given conditions must hold; list values match any of the list.' })
export class FundProgramFilter {
  @Field(() => [Int], { nullable: true })
  years?: number[] | null;

  @Field(() => [FundSource], { nullable: true })
  sources?: FundSource[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Only programmes whose application window is open now (true) or not (false).' })
  windowOpen?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Name contains.' })
  search?: string | null;
}

export enum FundProgramOrderField {
  YEAR = 'YEAR',
  NAME = 'NAME',
  ID = 'ID',
}
registerEnumType(FundProgramOrderField, { name: 'FundProgramOrderField' });

export const FundProgramOrder = OrderInput<FundProgramOrderField>('FundProgramOrder', FundProgramOrderField);
export type FundProgramOrder = Order<FundProgramOrderField>;

@ArgsType()
export class FundProgramsArgs extends PageArgs {
  @Field(() => FundProgramFilter, { nullable: true })
  filter?: FundProgramFilter | null;

  @Field(() => FundProgramOrder, { nullable: true, description: 'Default: newest year first. Ties are broken by id.' })
  orderBy?: FundProgramOrder | null;
}

@InputType({ description: 'A fund programme (经信局). The window is when applications may be created and submitted.' })
export class CreateFundProgramInput {
  @Field(() => Int)
  year: number;

  @Field(() => String)
  name: string;

  @Field(() => FundSource)
  source: FundSource;

  @Field(() => [SupportFormEnum], { description: 'At least one.' })
  supportForms: SupportForm[];

  @Field(() => FundBasis, { description: 'What maxRatio applies to.' })
  basis: FundBasis;

  @Field(() => DecimalScalar, { description: 'Maximum support as a fraction of the basis amount: more than 0, at most 1 (e.g. "0.1").' })
  maxRatio: string;

  @Field(() => DecimalScalar, { description: 'Maximum support per application, 万元 (more than 0).' })
  cap: string;

  @Field(() => Date)
  windowOpensAt: Date;

  @Field(() => Date, { description: 'After windowOpensAt.' })
  windowClosesAt: Date;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => ID, { nullable: true, description: "The owning department; defaults to 经信局." })
  ownerUnitId?: string | null;
}

@InputType({ description: 'Fields left out are not changed. Submitted applications are checked against the rules as they are when submitted.' })
export class UpdateFundProgramInput extends RecordChangeInput {
  @Field(() => Int, { nullable: true })
  year?: number | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => FundSource, { nullable: true })
  source?: FundSource | null;

  @Field(() => [SupportFormEnum], { nullable: true })
  supportForms?: SupportForm[] | null;

  @Field(() => FundBasis, { nullable: true })
  basis?: FundBasis | null;

  @Field(() => DecimalScalar, { nullable: true })
  maxRatio?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  cap?: string | null;

  @Field(() => Date, { nullable: true })
  windowOpensAt?: Date | null;

  @Field(() => Date, { nullable: true })
  windowClosesAt?: Date | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@ObjectType()
export class FundProgramPayload {
  @Field(() => FundProgram)
  program: FundProgram;
}

// ---------------------------------------------------------------------------------------------
// Applications

@InputType({ description: 'All given conditions must hold; list values match any of the list. Expert scores and proposals are never filters.' })
export class FundApplicationFilter extends ProjectRecordFilter {
  @Field(() => [FundApplicationStatus], { nullable: true })
  statuses?: FundApplicationStatus[] | null;

  @Field(() => ID, { nullable: true })
  programId?: string | null;

  @Field(() => [SupportFormEnum], { nullable: true })
  supportForms?: SupportForm[] | null;

  @Field(() => DecimalRange, { nullable: true })
  requestedAmount?: DecimalRange | null;
}

export enum FundApplicationOrderField {
  ID = 'ID',
  REQUESTED_AMOUNT = 'REQUESTED_AMOUNT',
}
registerEnumType(FundApplicationOrderField, { name: 'FundApplicationOrderField' });

export const FundApplicationOrder = OrderInput<FundApplicationOrderField>('FundApplicationOrder', FundApplicationOrderField);
export type FundApplicationOrder = Order<FundApplicationOrderField>;

@ArgsType()
export class FundApplicationsArgs extends PageArgs {
  @Field(() => FundApplicationFilter, { nullable: true })
  filter?: FundApplicationFilter | null;

  @Field(() => FundApplicationOrder, { nullable: true, description: 'Default: by id. Ties are broken by id.' })
  orderBy?: FundApplicationOrder | null;
}

@InputType({
  description:
    "Draft an application (DRAFT) of the project's enterprise to a programme whose window is open, for a project in the library. " +
    'One application per enterprise per programme; requestedAmount ≤ min(cap, maxRatio × basisAmount).',
})
export class CreateFundApplicationInput {
  @Field(() => ID)
  programId: string;

  @Field(() => ID)
  projectId: string;

  @Field(() => SupportFormEnum)
  supportForm: SupportForm;

  @Field(() => DecimalScalar, { description: '万元, more than 0.' })
  requestedAmount: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      "万元. Defaults to the project's equipment investment (basis EQUIPMENT) or total investment (APPROVED_INVESTMENT), and may not exceed it; " +
      'required for LOAN_INTEREST.',
  })
  basisAmount?: string | null;
}

@InputType({ description: 'Change a DRAFT or RETURNED application. Fields left out are not changed.' })
export class UpdateFundApplicationInput extends RecordChangeInput {
  @Field(() => SupportFormEnum, { nullable: true })
  supportForm?: SupportForm | null;

  @Field(() => DecimalScalar, { nullable: true })
  requestedAmount?: string | null;

  @Field(() => DecimalScalar, { nullable: true })
  basisAmount?: string | null;
}

@InputType({ description: "The experts' score (0–100, 2 decimal places) and opinion, and the allocation proposed (≤ the requested amount)." })
export class ProposeFundAllocationInput extends TransitionInput {
  @Field(() => DecimalScalar)
  expertScore: string;

  @Field(() => String, { nullable: true })
  expertOpinion?: string | null;

  @Field(() => DecimalScalar, { description: '万元, more than 0, at most the requested amount.' })
  proposedAmount: string;
}

@InputType()
export class PublishFundNoticeInput extends TransitionInput {
  @Field(() => Int, { nullable: true, description: `How long the notice runs, 1–${MAX_NOTICE_DAYS} days (default ${DEFAULT_NOTICE_DAYS}).` })
  noticeDays?: number | null;
}

@InputType()
export class ApproveFundApplicationInput extends TransitionInput {
  @Field(() => DecimalScalar, { nullable: true, description: '万元, at most the requested amount; defaults to the proposed amount.' })
  approvedAmount?: string | null;
}

@InputType({ description: 'One payment tranche. The tranches of an application never add up to more than its approved amount.' })
export class DisburseFundApplicationInput extends TransitionInput {
  @Field(() => DecimalScalar, { description: '万元, more than 0, at most what is left of the approved amount.' })
  amount: string;

  @Field(() => String, { nullable: true, description: 'The day it was paid, "YYYY-MM-DD", not in the future; defaults to today.' })
  paidOn?: string | null;
}

@ObjectType()
export class FundApplicationPayload {
  @Field(() => FundApplication)
  application: FundApplication;
}
