import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/context';
import { Can } from '../../core/authz/operation';
import { gatesOf, viewerCan, ViewerCanType } from '../../core/authz/viewer-can';
import { divideDecimalByInteger } from '../../core/db/decimal';
import { TransitionInput } from '../../core/graphql/common-inputs';
import { Connection, ConnectionShape, PageArgs } from '../../core/graphql/connection';
import { columnsSelected, nodeColumns, Reads } from '../../core/graphql/selection';
import { DecimalScalar } from '../../core/graphql/scalars';
import { Enterprise } from '../enterprise/enterprise.entity';
import { enterpriseOf } from '../enterprise/enterprise.service';
import { OrgUnit } from '../org/org-unit.entity';
import { loadOrgUnit } from '../org/org.service';
import { Project } from '../project/project.entity';
import { loadProject } from '../project/project.service';
import { historyOf } from '../workflow-history/history.service';
import { WorkflowTransition } from '../workflow-history/workflow-transition.entity';
import { LandRequest } from './land-request.entity';
import {
  ContractLandRequestInput, CreateLandRequestInput, DeliverLandRequestInput, LandRequestPayload, LandRequestsArgs, ListLandRequestInput,
  TransactLandRequestInput, UpdateLandRequestInput,
} from './land.inputs';
import * as land from './land.service';
import { LAND_EDITABLE_STATES, landRequestWorkflow } from './land.transitions';

const MU_PER_HECTARE = 15;

const LandRequestConnection = Connection(LandRequest);
const HistoryConnection = Connection(WorkflowTransition);

const LAND_ACTIONS = [
  'update', 'submit', 'review', 'planSupply', 'list', 'recordFailure', 'transact', 'contract', 'deliver', 'close', 'reject', 'withdraw',
] as const;
const LandRequestViewerCan = ViewerCanType('LandRequest', LAND_ACTIONS);
const LAND_GATES = [...gatesOf(landRequestWorkflow), { axis: 'status', action: 'update', from: LAND_EDITABLE_STATES }];

@Resolver(() => LandRequest)
export class LandRequestResolver {
  @Can('read', 'LandRequest')
  @Query(() => LandRequestConnection, { description: 'Land requests the viewer may see.' })
  landRequests(@Ctx() ctx: Context, @Args(() => LandRequestsArgs) args: LandRequestsArgs, @Info() info: GraphQLResolveInfo): Promise<ConnectionShape<LandRequest>> {
    return land.listLandRequests(ctx, args, nodeColumns(ctx, info, LandRequest));
  }

  @Can('read', 'LandRequest')
  @Query(() => LandRequest)
  landRequest(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<LandRequest> {
    return land.getLandRequestOrThrow(ctx, id);
  }

  @Can('create', 'LandRequest')
  @Mutation(() => LandRequestPayload, { description: 'Draft a land request for a project (county or park).' })
  async createLandRequest(@Ctx() ctx: Context, @Arg('input', () => CreateLandRequestInput) input: CreateLandRequestInput): Promise<LandRequestPayload> {
    return { landRequest: await land.createLandRequest(ctx, input) };
  }

  @Can('update', 'LandRequest')
  @Mutation(() => LandRequestPayload)
  async updateLandRequest(@Ctx() ctx: Context, @Arg('input', () => UpdateLandRequestInput) input: UpdateLandRequestInput): Promise<LandRequestPayload> {
    return { landRequest: await land.updateLandRequest(ctx, input) };
  }

  // Workflow: DRAFT → SUBMITTED → NR_REVIEW → IN_SUPPLY_PLAN → LISTED → TRANSACTED → CONTRACTED → DELIVERED → CLOSED
  // (land.transitions.ts).

  @Can('submit', 'LandRequest')
  @Mutation(() => LandRequestPayload, { description: 'submit: send a draft to 自然资源和规划局 (county or park).' })
  async submitLandRequest(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<LandRequestPayload> {
    return { landRequest: await land.transitionLandRequest(ctx, 'submit', input) };
  }

  @Can('review', 'LandRequest')
  @Mutation(() => LandRequestPayload, { description: 'review: start reviewing plan conformity and quota (自然资源局).' })
  async reviewLandRequest(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<LandRequestPayload> {
    return { landRequest: await land.transitionLandRequest(ctx, 'review', input) };
  }

  @Can('planSupply', 'LandRequest')
  @Mutation(() => LandRequestPayload, { description: 'planSupply: put it into the supply plan; not for permanent basic farmland.' })
  async planLandSupply(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<LandRequestPayload> {
    return { landRequest: await land.transitionLandRequest(ctx, 'planSupply', input) };
  }

  @Can('list', 'LandRequest')
  @Mutation(() => LandRequestPayload, { description: 'list: announce the listing (挂牌), or list again after a failed one.' })
  async listLandRequest(@Ctx() ctx: Context, @Arg('input', () => ListLandRequestInput) input: ListLandRequestInput): Promise<LandRequestPayload> {
    return { landRequest: await land.transitionLandRequest(ctx, 'list', input) };
  }

  @Can('recordFailure', 'LandRequest')
  @Mutation(() => LandRequestPayload, { description: 'recordFailure: the listing failed (流拍); it may be listed again.' })
  async recordLandListingFailure(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<LandRequestPayload> {
    return { landRequest: await land.transitionLandRequest(ctx, 'recordFailure', input) };
  }

  @Can('transact', 'LandRequest')
  @Mutation(() => LandRequestPayload, { description: 'transact: record the transaction and its deal price.' })
  async transactLandRequest(@Ctx() ctx: Context, @Arg('input', () => TransactLandRequestInput) input: TransactLandRequestInput): Promise<LandRequestPayload> {
    return { landRequest: await land.transitionLandRequest(ctx, 'transact', input) };
  }

  @Can('contract', 'LandRequest')
  @Mutation(() => LandRequestPayload, { description: 'contract: record the signed transfer contract.' })
  async contractLandRequest(@Ctx() ctx: Context, @Arg('input', () => ContractLandRequestInput) input: ContractLandRequestInput): Promise<LandRequestPayload> {
    return { landRequest: await land.transitionLandRequest(ctx, 'contract', input) };
  }

  @Can('deliver', 'LandRequest')
  @Mutation(() => LandRequestPayload, { description: 'deliver: record the handover of the land.' })
  async deliverLandRequest(@Ctx() ctx: Context, @Arg('input', () => DeliverLandRequestInput) input: DeliverLandRequestInput): Promise<LandRequestPayload> {
    return { landRequest: await land.transitionLandRequest(ctx, 'deliver', input) };
  }

  @Can('close', 'LandRequest')
  @Mutation(() => LandRequestPayload, { description: 'close: file a delivered request.' })
  async closeLandRequest(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<LandRequestPayload> {
    return { landRequest: await land.transitionLandRequest(ctx, 'close', input) };
  }

  @Can('reject', 'LandRequest')
  @Mutation(() => LandRequestPayload, { description: 'reject: refuse it before the land is sold (自然资源局; comment required).' })
  async rejectLandRequest(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<LandRequestPayload> {
    return { landRequest: await land.transitionLandRequest(ctx, 'reject', input) };
  }

  @Can('withdraw', 'LandRequest')
  @Mutation(() => LandRequestPayload, { description: 'withdraw: take it back before the land is sold (county or park; comment required).' })
  async withdrawLandRequest(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<LandRequestPayload> {
    return { landRequest: await land.transitionLandRequest(ctx, 'withdraw', input) };
  }

  // Relations and derived fields.

  @Reads('projectId')
  @FieldResolver(() => Project, { nullable: true, description: 'Null if the viewer may not see the project.' })
  project(@Ctx() ctx: Context, @Root() l: LandRequest, @Info() info: GraphQLResolveInfo): Promise<Project | null> {
    return loadProject(ctx, l.projectId, columnsSelected(ctx, info, Project));
  }

  @Reads('enterpriseId')
  @FieldResolver(() => Enterprise, { nullable: true, description: 'Null if the viewer may not see the enterprise.' })
  enterprise(@Ctx() ctx: Context, @Root() l: LandRequest, @Info() info: GraphQLResolveInfo): Enterprise | null | Promise<Enterprise | null> {
    return enterpriseOf(ctx, l, 'enterpriseId', columnsSelected(ctx, info, Enterprise));
  }

  @Reads('territoryId')
  @FieldResolver(() => OrgUnit, { nullable: true, description: "属地: the project's county or park." })
  territory(@Ctx() ctx: Context, @Root() l: LandRequest): Promise<OrgUnit | null> {
    return loadOrgUnit(ctx, l.territoryId);
  }

  @Reads('areaMu')
  @FieldResolver(() => DecimalScalar, { description: 'Area in hectares (公顷): areaMu ÷ 15, to 4 decimal places.' })
  areaHectares(@Root() l: LandRequest): string {
    return divideDecimalByInteger(l.areaMu, MU_PER_HECTARE);
  }

  @Reads('id')
  @FieldResolver(() => HistoryConnection, { description: 'Status transitions, oldest first.' })
  history(@Ctx() ctx: Context, @Root() l: LandRequest, @Args(() => PageArgs) args: PageArgs): ConnectionShape<WorkflowTransition> | Promise<ConnectionShape<WorkflowTransition>> {
    return historyOf(ctx, 'LandRequest', l.id, args);
  }

  @FieldResolver(() => LandRequestViewerCan, { description: 'What the viewer may do to this request in its current state (input guards such as amounts are checked when it is done).' })
  viewerCan(@Ctx() ctx: Context, @Root() l: LandRequest): object {
    return viewerCan(ctx, LandRequest, l, LAND_ACTIONS, LAND_GATES);
  }
}
