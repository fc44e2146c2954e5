import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MonthRange, ProjectRecordFilter } from '../../core/graphql/common-inputs';
import { PageArgs } from '../../core/graphql/connection';
import { Order, OrderInput } from '../../core/graphql/ordering';
import { DecimalScalar, MonthScalar } from '../../core/graphql/scalars';
import { MonthlyReport, ReportStatus } from './monthly-report.entity';
import { ReportPeriod } from './report-period.entity';

@InputType({ description: 'All given conditions must hold; list values match any of the list.' })
export class MonthlyReportFilter extends ProjectRecordFilter {
  @Field(() => MonthRange, { nullable: true })
  period?: MonthRange | null;

  @Field(() => [ReportStatus], { nullable: true })
  statuses?: ReportStatus[] | null;
}

export enum MonthlyReportOrderField {
  PERIOD = 'PERIOD',
  ID = 'ID',
}
registerEnumType(MonthlyReportOrderField, { name: 'MonthlyReportOrderField' });

export const MonthlyReportOrder = OrderInput<MonthlyReportOrderField>('MonthlyReportOrder', MonthlyReportOrderField);
export type MonthlyReportOrder = Order<MonthlyReportOrderField>;

@ArgsType()
export class MonthlyReportsArgs extends PageArgs {
  @Field(() => MonthlyReportFilter, { nullable: true })
  filter?: MonthlyReportFilter | null;

  @Field(() => MonthlyReportOrder, { nullable: true, description: 'Default: newest period first. Ties are broken by id.' })
  orderBy?: MonthlyReportOrder | null;
}

@InputType({ description: 'All given conditions must hold.' })
export class ReportPeriodFilter {
  @Field(() => MonthRange, { nullable: true })
  period?: MonthRange | null;

  @Field(() => Boolean, { nullable: true, description: 'Only locked (true) or only reopened (false) months.' })
  locked?: boolean | null;
}

@ArgsType()
export class ReportPeriodsArgs extends PageArgs {
  @Field(() => ReportPeriodFilter, { nullable: true })
  filter?: ReportPeriodFilter | null;
}

@InputType({
  description:
    "Creates the project's report for the month, or changes it while it is OPEN or RETURNED. The cumulative investment is computed, " +
    'and the cumulative of later months of the project is kept in step.',
})
export class SaveMonthlyReportInput {
  @Field(() => ID)
  projectId: string;

  @Field(() => MonthScalar, { description: 'Not in the future, not before the year of the planned start, not locked.' })
  period: string;

  @Field(() => DecimalScalar, { description: 'Investment completed this month, 万元 (zero or more).' })
  monthInvestment: string;

  @Field(() => DecimalScalar, { description: 'Physical progress, 0–100 with at most 2 decimal places.' })
  progressPercent: string;

  @Field(() => String, { nullable: true, description: 'Left out: unchanged; null or empty: cleared.' })
  progressText?: string | null;

  @Field(() => String, { nullable: true, description: 'Issues needing coordination. Left out: unchanged; null or empty: cleared.' })
  issues?: string | null;

  @Field(() => Int, { nullable: true, description: 'Required when the report already exists: the version you read.' })
  expectedVersion?: number | null;
}

@InputType()
export class ReportPeriodInput {
  @Field(() => MonthScalar)
  period: string;

  @Field(() => String, { nullable: true, description: "Why; recorded in each moved report's history." })
  comment?: string | null;
}

@ObjectType()
export class MonthlyReportPayload {
  @Field(() => MonthlyReport)
  report: MonthlyReport;
}

@ObjectType()
export class ReportPeriodPayload {
  @Field(() => ReportPeriod)
  period: ReportPeriod;

  @Field(() => Int, { description: 'How many reports of the month this call moved (CONFIRMED → LOCKED, or back).' })
  movedReports: number;
}
