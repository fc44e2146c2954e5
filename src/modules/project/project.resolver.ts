import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/context';
import { Can } from '../../core/authz/operation';
import { gatesOf, viewerCan, ViewerCanType } from '../../core/authz/viewer-can';
import { fromFlags } from '../../core/db/columns';
import { TransitionInput } from '../../core/graphql/common-inputs';
import { withChildPages } from '../../core/graphql/child-connection';
import { Connection, ConnectionShape, PageArgs } from '../../core/graphql/connection';
import { columnsSelected, nodeColumns, nodeRelation, Reads } from '../../core/graphql/selection';
import { Enterprise } from '../enterprise/enterprise.entity';
import { enterpriseOf } from '../enterprise/enterprise.service';
import { FundApplication } from '../fund/fund-application.entity';
import { projectFundApplications } from '../fund/fund.service';
import { LandRequest } from '../land/land-request.entity';
import { projectLandRequests } from '../land/land.service';
import { OrgUnit } from '../org/org-unit.entity';
import { loadOrgUnit } from '../org/org.service';
import { MonthlyReport } from '../report/monthly-report.entity';
import { projectReports } from '../report/report.service';
import { historyOf } from '../workflow-history/history.service';
import { WorkflowTransition } from '../workflow-history/workflow-transition.entity';
import { ProjectAnnualPlan } from './project-annual-plan.entity';
import { Project, Technique, TECHNIQUES, TechniqueEnum } from './project.entity';
import { CreateProjectInput, ProjectFilter, ProjectPayload, ProjectsArgs, ProjectStageInput, ProjectStatsInput, UpdateProjectInput } from './project.inputs';
import * as projects from './project.service';
import * as stats from './project-stats';
import { TerritoryInvestment } from './project-stats';
import { libraryWorkflow, stageWorkflow } from './project.transitions';

const ProjectConnection = Connection(Project);
const MonthlyReportConnection = Connection(MonthlyReport);
const FundApplicationConnection = Connection(FundApplication);
const LandRequestConnection = Connection(LandRequest);
const HistoryConnection = Connection(WorkflowTransition);

const PROJECT_ACTIONS = [
  'update', 'submit', 'countyCheck', 'accept', 'return', 'reject', 'withdraw', 'changeStage', 'registerStats',
] as const;
const ProjectViewerCan = ViewerCanType('Project', PROJECT_ACTIONS);
const PROJECT_GATES = [...gatesOf(libraryWorkflow), ...gatesOf(stageWorkflow)];

@Resolver(() => Project)
export class ProjectResolver {
  @Can('read', 'Project')
  @Query(() => ProjectConnection, { description: 'Projects the viewer may see.' })
  projects(@Ctx() ctx: Context, @Args(() => ProjectsArgs) args: ProjectsArgs, @Info() info: GraphQLResolveInfo): Promise<ConnectionShape<Project>> {
    return withChildPages(ctx, info, projects.listProjects(ctx, args, nodeColumns(ctx, info, Project), nodeRelation(ctx, info, 'enterprise', Enterprise)));
  }

  @Can('read', 'Project')
  @Query(() => Project)
  project(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Project> {
    return projects.getProjectOrThrow(ctx, id);
  }

  @Can('read', 'Project')
  @Query(() => [TerritoryInvestment], { description: 'Project counts and investment totals by territory, over the projects the viewer may see (and the filter).' })
  investmentByTerritory(@Ctx() ctx: Context, @Arg('filter', () => ProjectFilter, { nullable: true }) filter?: ProjectFilter | null): Promise<TerritoryInvestment[]> {
    return stats.investmentByTerritory(ctx, filter);
  }

  @Can('create', 'Project')
  @Mutation(() => ProjectPayload, { description: "Declare a project (library status DRAFT, stage PLANNING) for an enterprise the viewer can see." })
  async createProject(@Ctx() ctx: Context, @Arg('input', () => CreateProjectInput) input: CreateProjectInput): Promise<ProjectPayload> {
    return { project: await projects.createProject(ctx, input) };
  }

  @Can('update', 'Project')
  @Mutation(() => ProjectPayload)
  async updateProject(@Ctx() ctx: Context, @Arg('input', () => UpdateProjectInput) input: UpdateProjectInput): Promise<ProjectPayload> {
    return { project: await projects.updateProject(ctx, input) };
  }

  // Library (储备库) workflow: DRAFT → SUBMITTED → COUNTY_CHECKED → IN_LIBRARY.

  @Can('submit', 'Project')
  @Mutation(() => ProjectPayload, { description: 'Submit a draft (or returned) project to the library.' })
  async submitProject(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<ProjectPayload> {
    return { project: await projects.transitionProjectLibrary(ctx, 'submit', input) };
  }

  @Can('countyCheck', 'Project')
  @Mutation(() => ProjectPayload, { description: 'County or park check of a submitted project.' })
  async countyCheckProject(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<ProjectPayload> {
    return { project: await projects.transitionProjectLibrary(ctx, 'countyCheck', input) };
  }

  @Can('accept', 'Project')
  @Mutation(() => ProjectPayload, { description: 'Accept a checked project into the library (经信局).' })
  async acceptProject(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<ProjectPayload> {
    return { project: await projects.transitionProjectLibrary(ctx, 'accept', input) };
  }

  @Can('return', 'Project')
  @Mutation(() => ProjectPayload, { description: 'Return a submitted or checked project for changes (comment required).' })
  async returnProject(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<ProjectPayload> {
    return { project: await projects.transitionProjectLibrary(ctx, 'return', input) };
  }

  @Can('reject', 'Project')
  @Mutation(() => ProjectPayload, { description: 'Reject a submitted or checked project (comment required).' })
  async rejectProject(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<ProjectPayload> {
    return { project: await projects.transitionProjectLibrary(ctx, 'reject', input) };
  }

  @Can('withdraw', 'Project')
  @Mutation(() => ProjectPayload, { description: 'Take a project out of the library (出库; reason required).' })
  async withdrawProject(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<ProjectPayload> {
    return { project: await projects.transitionProjectLibrary(ctx, 'withdraw', input) };
  }

  // Construction stage: PLANNING → PREPARATION → UNDER_CONSTRUCTION → COMPLETED → IN_PRODUCTION.

  @Can('changeStage', 'Project')
  @Mutation(() => ProjectPayload)
  async startProjectPreparation(@Ctx() ctx: Context, @Arg('input', () => ProjectStageInput) input: ProjectStageInput): Promise<ProjectPayload> {
    return { project: await projects.transitionProjectStage(ctx, 'startPreparation', input) };
  }

  @Can('changeStage', 'Project')
  @Mutation(() => ProjectPayload, { description: 'Needs actualStart (given here or already recorded), not in the future.' })
  async startProjectConstruction(@Ctx() ctx: Context, @Arg('input', () => ProjectStageInput) input: ProjectStageInput): Promise<ProjectPayload> {
    return { project: await projects.transitionProjectStage(ctx, 'startConstruction', input) };
  }

  @Can('changeStage', 'Project')
  @Mutation(() => ProjectPayload, { description: 'Needs actualCompletion (given here or already recorded), not before the start.' })
  async completeProjectConstruction(@Ctx() ctx: Context, @Arg('input', () => ProjectStageInput) input: ProjectStageInput): Promise<ProjectPayload> {
    return { project: await projects.transitionProjectStage(ctx, 'completeConstruction', input) };
  }

  @Can('changeStage', 'Project')
  @Mutation(() => ProjectPayload)
  async startProjectProduction(@Ctx() ctx: Context, @Arg('input', () => ProjectStageInput) input: ProjectStageInput): Promise<ProjectPayload> {
    return { project: await projects.transitionProjectStage(ctx, 'startProduction', input) };
  }

  @Can('changeStage', 'Project')
  @Mutation(() => ProjectPayload, { description: '停缓建 (comment required).' })
  async suspendProject(@Ctx() ctx: Context, @Arg('input', () => ProjectStageInput) input: ProjectStageInput): Promise<ProjectPayload> {
    return { project: await projects.transitionProjectStage(ctx, 'suspend', input) };
  }

  @Can('changeStage', 'Project')
  @Mutation(() => ProjectPayload, { description: 'Back to construction if it had started, else to preparation.' })
  async resumeProject(@Ctx() ctx: Context, @Arg('input', () => ProjectStageInput) input: ProjectStageInput): Promise<ProjectPayload> {
    return { project: await projects.transitionProjectStage(ctx, 'resume', input) };
  }

  @Can('changeStage', 'Project')
  @Mutation(() => ProjectPayload, { description: 'End a project for good (comment required).' })
  async terminateProject(@Ctx() ctx: Context, @Arg('input', () => ProjectStageInput) input: ProjectStageInput): Promise<ProjectPayload> {
    return { project: await projects.transitionProjectStage(ctx, 'terminate', input) };
  }

  @Can('registerStats', 'Project')
  @Mutation(() => ProjectPayload, { description: '纳统: only under construction with total investment ≥ 500 万元.' })
  async registerProjectStats(@Ctx() ctx: Context, @Arg('input', () => ProjectStatsInput) input: ProjectStatsInput): Promise<ProjectPayload> {
    return { project: await projects.setProjectStatsRegistration(ctx, input, true) };
  }

  @Can('registerStats', 'Project')
  @Mutation(() => ProjectPayload)
  async clearProjectStats(@Ctx() ctx: Context, @Arg('input', () => ProjectStatsInput) input: ProjectStatsInput): Promise<ProjectPayload> {
    return { project: await projects.setProjectStatsRegistration(ctx, input, false) };
  }

  // Relations: all per-request loaders through the scoped path; hidden related rows are null.

  @Reads('techniqueFlags')
  @FieldResolver(() => [TechniqueEnum])
  techniques(@Root() p: Project): Technique[] {
    return fromFlags(p.techniqueFlags, TECHNIQUES);
  }

  @Reads('enterpriseId')
  @FieldResolver(() => Enterprise, { nullable: true, description: 'Null if the viewer may not see the enterprise.' })
  enterprise(@Ctx() ctx: Context, @Root() p: Project, @Info() info: GraphQLResolveInfo): Enterprise | null | Promise<Enterprise | null> {
    return enterpriseOf(ctx, p, 'enterpriseId', columnsSelected(ctx, info, Enterprise));
  }

  @Reads('territoryId')
  @FieldResolver(() => OrgUnit, { nullable: true, description: '属地: the county or park.' })
  territory(@Ctx() ctx: Context, @Root() p: Project): Promise<OrgUnit | null> {
    return loadOrgUnit(ctx, p.territoryId);
  }

  @Reads('parkId')
  @FieldResolver(() => OrgUnit, { nullable: true })
  park(@Ctx() ctx: Context, @Root() p: Project): Promise<OrgUnit | null> | null {
    return p.parkId === null ? null : loadOrgUnit(ctx, p.parkId);
  }

  @Reads('id')
  @FieldResolver(() => [ProjectAnnualPlan])
  annualPlans(@Ctx() ctx: Context, @Root() p: Project): Promise<ProjectAnnualPlan[]> {
    return projects.loadAnnualPlans(ctx, p.id);
  }

  @Reads('id')
  @FieldResolver(() => MonthlyReportConnection, { description: 'Newest period first.' })
  monthlyReports(@Ctx() ctx: Context, @Root() p: Project, @Args(() => PageArgs) args: PageArgs, @Info() info: GraphQLResolveInfo): ConnectionShape<MonthlyReport> | Promise<ConnectionShape<MonthlyReport>> {
    return projectReports(ctx, p.id, args, nodeColumns(ctx, info, MonthlyReport));
  }

  @Reads('id')
  @FieldResolver(() => FundApplicationConnection, { description: 'Newest first.' })
  fundApplications(@Ctx() ctx: Context, @Root() p: Project, @Args(() => PageArgs) args: PageArgs, @Info() info: GraphQLResolveInfo): ConnectionShape<FundApplication> | Promise<ConnectionShape<FundApplication>> {
    return projectFundApplications(ctx, p.id, args, nodeColumns(ctx, info, FundApplication));
  }

  @Reads('id')
  @FieldResolver(() => LandRequestConnection, { description: 'Newest first.' })
  landRequests(@Ctx() ctx: Context, @Root() p: Project, @Args(() => PageArgs) args: PageArgs, @Info() info: GraphQLResolveInfo): ConnectionShape<LandRequest> | Promise<ConnectionShape<LandRequest>> {
    return projectLandRequests(ctx, p.id, args, nodeColumns(ctx, info, LandRequest));
  }

  @Reads('id')
  @FieldResolver(() => HistoryConnection, { description: 'Library and stage transitions, oldest first.' })
  history(@Ctx() ctx: Context, @Root() p: Project, @Args(() => PageArgs) args: PageArgs): ConnectionShape<WorkflowTransition> | Promise<ConnectionShape<WorkflowTransition>> {
    return historyOf(ctx, 'Project', p.id, args);
  }

  @FieldResolver(() => ProjectViewerCan)
  viewerCan(@Ctx() ctx: Context, @Root() p: Project): object {
    return viewerCan(ctx, Project, p, PROJECT_ACTIONS, PROJECT_GATES);
  }
}

@Resolver(() => TerritoryInvestment)
export class TerritoryInvestmentResolver {
  @FieldResolver(() => OrgUnit, { nullable: true })
  territory(@Ctx() ctx: Context, @Root() row: TerritoryInvestment): Promise<OrgUnit | null> {
    return stats.territoryOf(ctx, row);
  }
}
