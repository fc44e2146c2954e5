import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/context';
import { Can } from '../../core/authz/operation';
import { gatesOf, viewerCan, ViewerCanType } from '../../core/authz/viewer-can';
import { TransitionInput } from '../../core/graphql/common-inputs';
import { Connection, ConnectionShape, PageArgs } from '../../core/graphql/connection';
import { columnsSelected, nodeColumns, Reads } from '../../core/graphql/selection';
import { OrgUnit } from '../org/org-unit.entity';
import { loadOrgUnit } from '../org/org.service';
import { Project } from '../project/project.entity';
import { loadProject } from '../project/project.service';
import { historyOf } from '../workflow-history/history.service';
import { WorkflowTransition } from '../workflow-history/workflow-transition.entity';
import { MonthlyReport } from './monthly-report.entity';
import { ReportPeriod } from './report-period.entity';
import {
  MonthlyReportPayload, MonthlyReportsArgs, ReportPeriodInput, ReportPeriodPayload, ReportPeriodsArgs, SaveMonthlyReportInput,
} from './report.inputs';
import * as reports from './report.service';
import { reportWorkflow, SAVABLE } from './report.transitions';

const MonthlyReportConnection = Connection(MonthlyReport);
const ReportPeriodConnection = Connection(ReportPeriod);
const HistoryConnection = Connection(WorkflowTransition);

const REPORT_ACTIONS = ['save', 'submit', 'return', 'confirm'] as const;
const MonthlyReportViewerCan = ViewerCanType('MonthlyReport', REPORT_ACTIONS);
const REPORT_GATES = [...gatesOf(reportWorkflow), { axis: 'status', action: 'save', from: SAVABLE }];

@Resolver(() => MonthlyReport)
export class MonthlyReportResolver {
  @Can('read', 'MonthlyReport')
  @Query(() => MonthlyReportConnection, { description: 'Monthly reports the viewer may see.' })
  monthlyReports(@Ctx() ctx: Context, @Args(() => MonthlyReportsArgs) args: MonthlyReportsArgs, @Info() info: GraphQLResolveInfo): Promise<ConnectionShape<MonthlyReport>> {
    return reports.listReports(ctx, args, nodeColumns(ctx, info, MonthlyReport));
  }

  @Can('read', 'MonthlyReport')
  @Query(() => MonthlyReport)
  monthlyReport(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<MonthlyReport> {
    return reports.getReportOrThrow(ctx, id);
  }

  @Can('save', 'MonthlyReport')
  @Mutation(() => MonthlyReportPayload, {
    description: "Create or change a project's report for a month (while OPEN or RETURNED); later months' cumulative investment follows.",
  })
  async saveMonthlyReport(@Ctx() ctx: Context, @Arg('input', () => SaveMonthlyReportInput) input: SaveMonthlyReportInput): Promise<MonthlyReportPayload> {
    return { report: await reports.saveMonthlyReport(ctx, input) };
  }

  // Workflow: OPEN → SUBMITTED → CONFIRMED → LOCKED; SUBMITTED|CONFIRMED → RETURNED → SUBMITTED.

  @Can('submit', 'MonthlyReport')
  @Mutation(() => MonthlyReportPayload, { description: 'Submit an open (or returned) report for confirmation.' })
  async submitMonthlyReport(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<MonthlyReportPayload> {
    return { report: await reports.transitionReport(ctx, 'submit', input) };
  }

  @Can('return', 'MonthlyReport')
  @Mutation(() => MonthlyReportPayload, { description: 'Return a submitted or confirmed report for correction (comment required).' })
  async returnMonthlyReport(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<MonthlyReportPayload> {
    return { report: await reports.transitionReport(ctx, 'return', input) };
  }

  @Can('confirm', 'MonthlyReport')
  @Mutation(() => MonthlyReportPayload, { description: 'Confirm a submitted report (county or park, or 经信局).' })
  async confirmMonthlyReport(@Ctx() ctx: Context, @Arg('input', () => TransitionInput) input: TransitionInput): Promise<MonthlyReportPayload> {
    return { report: await reports.transitionReport(ctx, 'confirm', input) };
  }

  @Can('lock', 'MonthlyReport')
  @Mutation(() => ReportPeriodPayload, {
    description: 'Lock a month (经信局): its CONFIRMED reports become LOCKED, and no report of the month changes until an admin reopens it.',
  })
  async lockReportPeriod(@Ctx() ctx: Context, @Arg('input', () => ReportPeriodInput) input: ReportPeriodInput): Promise<ReportPeriodPayload> {
    return reports.lockReportPeriod(ctx, input);
  }

  @Can('unlock', 'MonthlyReport')
  @Mutation(() => ReportPeriodPayload, { description: 'Reopen a locked month (admins): its LOCKED reports go back to CONFIRMED.' })
  async unlockReportPeriod(@Ctx() ctx: Context, @Arg('input', () => ReportPeriodInput) input: ReportPeriodInput): Promise<ReportPeriodPayload> {
    return reports.unlockReportPeriod(ctx, input);
  }

  // Relations: all per-request loaders through the scoped path; hidden related rows are null.

  @Reads('projectId')
  @FieldResolver(() => Project, { nullable: true, description: 'Null if the viewer may not see the project.' })
  project(@Ctx() ctx: Context, @Root() r: MonthlyReport, @Info() info: GraphQLResolveInfo): Promise<Project | null> {
    return loadProject(ctx, r.projectId, columnsSelected(ctx, info, Project));
  }

  @Reads('territoryId')
  @FieldResolver(() => OrgUnit, { nullable: true, description: "属地: the project's county or park." })
  territory(@Ctx() ctx: Context, @Root() r: MonthlyReport): Promise<OrgUnit | null> {
    return loadOrgUnit(ctx, r.territoryId);
  }

  @Reads('period')
  @FieldResolver(() => Boolean, { description: 'Whether the month is locked: then nothing about this report changes until an admin reopens it.' })
  periodLocked(@Ctx() ctx: Context, @Root() r: MonthlyReport): Promise<boolean> {
    return reports.loadPeriodLocked(ctx, r.period);
  }

  @Reads('id')
  @FieldResolver(() => HistoryConnection, { description: 'Status transitions, oldest first.' })
  history(@Ctx() ctx: Context, @Root() r: MonthlyReport, @Args(() => PageArgs) args: PageArgs): ConnectionShape<WorkflowTransition> | Promise<ConnectionShape<WorkflowTransition>> {
    return historyOf(ctx, 'MonthlyReport', r.id, args);
  }

  @FieldResolver(() => MonthlyReportViewerCan, { description: 'What the viewer may do to this report in its current state (see also periodLocked).' })
  viewerCan(@Ctx() ctx: Context, @Root() r: MonthlyReport): object {
    return viewerCan(ctx, MonthlyReport, r, REPORT_ACTIONS, REPORT_GATES);
  }
}

@Resolver(() => ReportPeriod)
export class ReportPeriodResolver {
  @Can('read', 'MonthlyReport')
  @Query(() => ReportPeriodConnection, { description: 'Months the city has locked (and reopened), newest first.' })
  reportPeriods(@Ctx() ctx: Context, @Args(() => ReportPeriodsArgs) args: ReportPeriodsArgs): Promise<ConnectionShape<ReportPeriod>> {
    return reports.listReportPeriods(ctx, args);
  }

  @FieldResolver(() => Boolean, { description: 'Locked now (false once an admin reopened it).' })
  locked(@Root() p: ReportPeriod): boolean {
    return p.lockedAt !== null;
  }
}
