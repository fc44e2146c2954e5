import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/context';
import { Can } from '../../core/authz/operation';
import { gatesOf, viewerCan, ViewerCanType } from '../../core/authz/viewer-can';
import { TransitionInput } from '../../core/graphql/common-inputs';
import { Connection, ConnectionShape, PageArgs } from '../../core/graphql/connection';
import { columnsSelected, nodeColumns, Reads } from '../../core/graphql/selection';
import { Enterprise } from '../enterprise/enterprise.entity';
import { enterpriseOf } from '../enterprise/enterprise.service';
import { OrgUnit } from '../org/org-unit.entity';
import { loadOrgUnit } from '../org/org.service';
import { Project } from '../project/project.entity';
import { loadProject } from '../project/project.service';
import { historyOf } from '../workflow-history/history.service';
import { WorkflowTransition } from '../workflow-history/workflow-transition.entity';
import { FundApplication } from './fund-application.entity';
import { FundDisbursement } from './fund-disbursement.entity';
import { FundProgram, SupportForm, SupportFormEnum } from './fund-program.entity';
import {
  ApproveFundApplicationInput, CreateFundApplicationInput, CreateFundProgramInput, DisburseFundApplicationInput, FundApplicationPayload,
  FundApplicationsArgs, FundProgramPayload, FundProgramsArgs, ProposeFundAllocationInput, PublishFundNoticeInput,
  UpdateFundApplicationInput, UpdateFundProgramInput,
} from './fund.inputs';
import * as funds from './fund.service';
import { EDITABLE_STATES, fundApplicationWorkflow, windowIsOpen } from './fund.transitions';

const FundProgramConnection = Connection(FundProgram);
const FundApplicationConnection = Connection(FundApplication);
const HistoryConnection = Connection(WorkflowTransition);

const PROGRAM_ACTIONS = ['update'] as const;
const FundProgramViewerCan = ViewerCanType('FundProgram', PROGRAM_ACTIONS);

const APPLICATION_ACTIONS = [
  'update', 'submit', 'countyReview', 'countyRecommend', 'cityReview', 'expertReview', 'proposeAllocation', 'publishNotice', 'object',
  'approve', 'disburse', 'accept', 'close', 'return', 'reject', 'clawback',
] as const;
const FundApplicationViewerCan = ViewerCanType('FundApplication', APPLICATION_ACTIONS);
const APPLICATION_GATES = [...gatesOf(fundApplicationWorkflow), { axis: 'status', action: 'update', from: EDITABLE_STATES }];

@Resolver(() => FundProgram)
export class FundProgramResolver {
  @Can('read', 'FundProgram')
  @Query(() => FundProgramConnection, { description: 'Fund programmes the viewer may see.' })
  fundPrograms(@Ctx() ctx: Context, @Args(() => FundProgramsArgs) args: FundProgramsArgs): Promise<ConnectionShape<FundProgram>> {
    return funds.listFundPrograms(ctx, args);
  }

  @Can('read', 'FundProgram')
  @Query(() => FundProgram)
  fundProgram(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<FundProgram> {
    return funds.getFundProgramOrThrow(ctx, id);
  }

  @Can('create', 'FundProgram')
  @Mutation(() => FundProgramPayload, { description: 'Create a fund programme (经信局).' })
  async createFundProgram(@Ctx() ctx: Context, @Arg('input', () => CreateFundProgramInput) input: CreateFundProgramInput): Promise<FundProgramPayload> {
    return { program: await funds.createFundProgram(ctx, input) };
  }

  @Can('update', 'FundProgram')
  @Mutation(() => FundProgramPayload, { description: 'Change a fund programme (经信局).' })
  async updateFundProgram(@Ctx() ctx: Context, @Arg('input', () => UpdateFundProgramInput) input: UpdateFundProgramInput): Promise<FundProgramPayload> {
    return { program: await funds.updateFundProgram(ctx, input) };
  }

  @FieldResolver(() => [SupportFormEnum])
  supportForms(@Root() p: FundProgram): SupportForm[] {
    return funds.supportFormsOf(p);
  }

  @FieldResolver(() => Boolean, { description: 'Whether applications may be created and submitted now.' })
  windowOpen(@Root() p: FundProgram): boolean {
    return windowIsOpen(p);
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: 'The owning department.' })
  ownerUnit(@Ctx() ctx: Context, @Root() p: FundProgram): Promise<OrgUnit | null> {
    return loadOrgUnit(ctx, p.ownerUnitId);
  }

  @FieldResolver(() => FundProgramViewerCan)
  viewerCan(@Ctx() ctx: Context, @Root() p: FundProgram): object {
    return viewerCan(ctx, FundProgram, p, PROGRAM_ACTIONS);
  }
}

@Resolver(() => FundApplication)
export class FundApplicationResolver {
  @Can('read', 'FundApplication')
  @Query(() => FundApplicationConnection, { description: 'Fund applications the viewer may see.' })
  fundApplications(@Ctx() ctx: Context, @Args(() => FundApplicationsArgs) args: FundApplicationsArgs, @Info() info: GraphQLResolveInfo): Promise<ConnectionShape<FundApplication>> {
    return funds.listFundApplications(ctx, args, nodeColumns(ctx, info, FundApplication));
  }

  @Can('read', 'FundApplication')
  @Query(() => FundApplication)
  fundApplication(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<FundApplication> {
    return funds.getFundApplicationOrThrow(ctx, id);
  }

  @Can('create', 'FundApplication')
  @Mutation(() => FundApplicationPayload, { description: 'Draft an application (enterprise, or county/park on its behalf).' })
  async createFundApplication(@Ctx() ctx: Context, @Arg('input', () => CreateFundApplicationInput) input: CreateFundApplicationInput): Promise<FundApplicationPayload> {
    return { application: await funds.createFundApplication(ctx, input) };
  }

  @Can('update', 'FundApplication')
  @Mutation(() => FundApplicationPayload)
  async updateFundApplication(@Ctx() ctx: Context, @Arg('input', () => UpdateFundApplicationInput) input: UpdateFundApplicationInput): Promise<FundApplicationPayload> {
    return { application: await funds.updateFundApplication(ctx, input) };
  }

  // Workflow: DRAFT → SUBMITTED → COUNTY_REVIEW → COUNTY_RECOMMENDED → CITY_REVIEW → EXPERT_REVIEW → ALLOCATION_PROPOSED →
  // PUBLIC_NOTICE → APPROVED → DISBURSING → DISBURSED → ACCEPTED → CLOSED (fund.transitions.ts).

  @Can('submit', 'FundApplication')
  @Mutation(() => FundApplicationPayload, {
    description: 'submit: a draft (or returned) application, while the window is open and the project is in the library.',
  })
  async submitFundApplication(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<FundApplicationPayload> {
    return { application: await funds.transitionFundApplication(ctx, 'submit', input) };
  }

  @Can('countyReview', 'FundApplication')
  @Mutation(() => FundApplicationPayload, { description: 'countyReview: the county or park starts its preliminary review (初审).' })
  async countyReviewFundApplication(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<FundApplicationPayload> {
    return { application: await funds.transitionFundApplication(ctx, 'countyReview', input) };
  }

  @Can('countyRecommend', 'FundApplication')
  @Mutation(() => FundApplicationPayload, { description: "countyRecommend: the county or park recommends it; the comment (required) is the county's opinion." })
  async countyRecommendFundApplication(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<FundApplicationPayload> {
    return { application: await funds.transitionFundApplication(ctx, 'countyRecommend', input) };
  }

  @Can('cityReview', 'FundApplication')
  @Mutation(() => FundApplicationPayload, { description: 'cityReview: 经信局 or 财政局 starts the city review (复审).' })
  async cityReviewFundApplication(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<FundApplicationPayload> {
    return { application: await funds.transitionFundApplication(ctx, 'cityReview', input) };
  }

  @Can('expertReview', 'FundApplication')
  @Mutation(() => FundApplicationPayload, { description: "expertReview: the city review passed, on to the experts; the comment is the city's opinion." })
  async expertReviewFundApplication(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<FundApplicationPayload> {
    return { application: await funds.transitionFundApplication(ctx, 'expertReview', input) };
  }

  @Can('proposeAllocation', 'FundApplication')
  @Mutation(() => FundApplicationPayload, { description: "proposeAllocation: record the experts' score and opinion and propose an amount." })
  async proposeFundAllocation(@Ctx() ctx: Context, @Arg('input', () => ProposeFundAllocationInput) input: ProposeFundAllocationInput): Promise<FundApplicationPayload> {
    return { application: await funds.transitionFundApplication(ctx, 'proposeAllocation', input) };
  }

  @Can('publishNotice', 'FundApplication')
  @Mutation(() => FundApplicationPayload, { description: 'publishNotice: start the public notice (公示); score and proposal become visible to the applicant.' })
  async publishFundNotice(@Ctx() ctx: Context, @Arg('input', () => PublishFundNoticeInput) input: PublishFundNoticeInput): Promise<FundApplicationPayload> {
    return { application: await funds.transitionFundApplication(ctx, 'publishNotice', input) };
  }

  @Can('object', 'FundApplication')
  @Mutation(() => FundApplicationPayload, { description: 'object: an objection during the notice sends it back to city review (comment required).' })
  async objectToFundApplication(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<FundApplicationPayload> {
    return { application: await funds.transitionFundApplication(ctx, 'object', input) };
  }

  @Can('approve', 'FundApplication')
  @Mutation(() => FundApplicationPayload, { description: 'approve: after the notice has ended, approve an amount up to the requested one (财政局).' })
  async approveFundApplication(@Ctx() ctx: Context, @Arg('input', () => ApproveFundApplicationInput) input: ApproveFundApplicationInput): Promise<FundApplicationPayload> {
    return { application: await funds.transitionFundApplication(ctx, 'approve', input) };
  }

  @Can('disburse', 'FundApplication')
  @Mutation(() => FundApplicationPayload, {
    description: 'disburse: record a payment tranche (财政局); DISBURSING until the approved amount is paid in full, then DISBURSED.',
  })
  async disburseFundApplication(@Ctx() ctx: Context, @Arg('input', () => DisburseFundApplicationInput) input: DisburseFundApplicationInput): Promise<FundApplicationPayload> {
    return { application: await funds.disburseFundApplication(ctx, input) };
  }

  @Can('accept', 'FundApplication')
  @Mutation(() => FundApplicationPayload, { description: 'accept: 验收 of a fully paid project; the comment (required) is the acceptance result.' })
  async acceptFundApplication(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<FundApplicationPayload> {
    return { application: await funds.transitionFundApplication(ctx, 'accept', input) };
  }

  @Can('close', 'FundApplication')
  @Mutation(() => FundApplicationPayload, { description: 'close: file an accepted application.' })
  async closeFundApplication(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<FundApplicationPayload> {
    return { application: await funds.transitionFundApplication(ctx, 'close', input) };
  }

  @Can('return', 'FundApplication')
  @Mutation(() => FundApplicationPayload, { description: 'return: send it back to the applicant from a review state (comment required); it can be changed and resubmitted.' })
  async returnFundApplication(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<FundApplicationPayload> {
    return { application: await funds.transitionFundApplication(ctx, 'return', input) };
  }

  @Can('reject', 'FundApplication')
  @Mutation(() => FundApplicationPayload, { description: 'reject: refuse it from a review state (comment required).' })
  async rejectFundApplication(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<FundApplicationPayload> {
    return { application: await funds.transitionFundApplication(ctx, 'reject', input) };
  }

  @Can('clawback', 'FundApplication')
  @Mutation(() => FundApplicationPayload, { description: 'clawback: recover paid support after a violation (财政局; comment required).' })
  async clawBackFundApplication(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<FundApplicationPayload> {
    return { application: await funds.transitionFundApplication(ctx, 'clawback', input) };
  }

  // Relations: all per-request loaders through the scoped path; hidden related rows are null.

  @Reads('projectId')
  @FieldResolver(() => Project, { nullable: true, description: 'Null if the viewer may not see the project.' })
  project(@Ctx() ctx: Context, @Root() a: FundApplication, @Info() info: GraphQLResolveInfo): Promise<Project | null> {
    return loadProject(ctx, a.projectId, columnsSelected(ctx, info, Project));
  }

  @Reads('programId')
  @FieldResolver(() => FundProgram, { nullable: true })
  program(@Ctx() ctx: Context, @Root() a: FundApplication): Promise<FundProgram | null> {
    return funds.loadFundProgram(ctx, a.programId);
  }

  @Reads('enterpriseId')
  @FieldResolver(() => Enterprise, { nullable: true, description: 'Null if the viewer may not see the enterprise.' })
  enterprise(@Ctx() ctx: Context, @Root() a: FundApplication, @Info() info: GraphQLResolveInfo): Enterprise | null | Promise<Enterprise | null> {
    return enterpriseOf(ctx, a, 'enterpriseId', columnsSelected(ctx, info, Enterprise));
  }

  @Reads('territoryId')
  @FieldResolver(() => OrgUnit, { nullable: true, description: "属地: the project's county or park." })
  territory(@Ctx() ctx: Context, @Root() a: FundApplication): Promise<OrgUnit | null> {
    return loadOrgUnit(ctx, a.territoryId);
  }

  @Reads('id')
  @FieldResolver(() => [FundDisbursement], { description: 'Payment tranches, oldest first.' })
  disbursements(@Ctx() ctx: Context, @Root() a: FundApplication): Promise<FundDisbursement[]> {
    return funds.loadDisbursements(ctx, a.id);
  }

  @Reads('id')
  @FieldResolver(() => HistoryConnection, { description: 'Status transitions, oldest first.' })
  history(@Ctx() ctx: Context, @Root() a: FundApplication, @Args(() => PageArgs) args: PageArgs): ConnectionShape<WorkflowTransition> | Promise<ConnectionShape<WorkflowTransition>> {
    return historyOf(ctx, 'FundApplication', a.id, args);
  }

  @FieldResolver(() => FundApplicationViewerCan, { description: 'What the viewer may do to this application in its current state (input guards such as amounts are checked when it is done).' })
  viewerCan(@Ctx() ctx: Context, @Root() a: FundApplication): object {
    return viewerCan(ctx, FundApplication, a, APPLICATION_ACTIONS, APPLICATION_GATES);
  }
}
