/**
 * Spreadsheets over GraphQL: exports of the lists (same filter, order and scope as the list
 * queries), import templates, and imports. Files travel base64-encoded in the JSON body, so no
 * extra HTTP route (and no second CSRF and auth path) is needed; see SpreadsheetImportInput for
 * the size this allows.
 */
import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../app/context';
import { Can } from '../../core/authz/operation';
import {
  EnterprisesExportArgs, FundApplicationsExportArgs, LandRequestsExportArgs, MonthlyReportImportPayload, MonthlyReportsExportArgs,
  MonthlyReportTemplateArgs, ProjectImportPayload, ProjectsExportArgs, SpreadsheetFile, SpreadsheetImportInput,
} from './excel.inputs';
import {
  ENTERPRISE_EXPORT, exportList, ExportedFile, FUND_APPLICATION_EXPORT, LAND_REQUEST_EXPORT, PROJECT_EXPORT, REPORT_EXPORT,
} from './export.service';
import { MAX_IMPORT_ROWS } from './import-runner';
import { importProjects, projectImportTemplate } from './project-import.service';
import { importMonthlyReports, monthlyReportTemplate } from './report-import.service';

const EXPORT = 'Every matching row the viewer may see, as XLSX or CSV; fields hidden from the viewer are empty cells. At most 50,000 rows (BAD_USER_INPUT beyond).';

@Resolver()
export class ExcelResolver {
  @Can('read', 'Project')
  @Query(() => SpreadsheetFile, { description: `Projects (as the \`projects\` list). ${EXPORT}` })
  projectsExport(@Ctx() ctx: Context, @Args(() => ProjectsExportArgs) args: ProjectsExportArgs): Promise<ExportedFile> {
    return exportList(ctx, PROJECT_EXPORT, args.filter, args.orderBy, args.format);
  }

  @Can('read', 'Enterprise')
  @Query(() => SpreadsheetFile, { description: `Enterprises (as the \`enterprises\` list). ${EXPORT}` })
  enterprisesExport(@Ctx() ctx: Context, @Args(() => EnterprisesExportArgs) args: EnterprisesExportArgs): Promise<ExportedFile> {
    return exportList(ctx, ENTERPRISE_EXPORT, args.filter, args.orderBy, args.format);
  }

  @Can('read', 'MonthlyReport')
  @Query(() => SpreadsheetFile, { description: `Monthly reports (as the \`monthlyReports\` list). ${EXPORT}` })
  monthlyReportsExport(@Ctx() ctx: Context, @Args(() => MonthlyReportsExportArgs) args: MonthlyReportsExportArgs): Promise<ExportedFile> {
    return exportList(ctx, REPORT_EXPORT, args.filter, args.orderBy, args.format);
  }

  @Can('read', 'FundApplication')
  @Query(() => SpreadsheetFile, { description: `Fund applications (as the \`fundApplications\` list). ${EXPORT}` })
  fundApplicationsExport(@Ctx() ctx: Context, @Args(() => FundApplicationsExportArgs) args: FundApplicationsExportArgs): Promise<ExportedFile> {
    return exportList(ctx, FUND_APPLICATION_EXPORT, args.filter, args.orderBy, args.format);
  }

  @Can('read', 'LandRequest')
  @Query(() => SpreadsheetFile, { description: `Land requests (as the \`landRequests\` list). ${EXPORT}` })
  landRequestsExport(@Ctx() ctx: Context, @Args(() => LandRequestsExportArgs) args: LandRequestsExportArgs): Promise<ExportedFile> {
    return exportList(ctx, LAND_REQUEST_EXPORT, args.filter, args.orderBy, args.format);
  }

  @Can('save', 'MonthlyReport')
  @Query(() => SpreadsheetFile, {
    description:
      'The XLSX template for importing a month\'s reports (Chinese headers): one row per project the viewer can see in a reporting stage, ' +
      `pre-filled with the month's report where it exists and can still be changed. At most ${MAX_IMPORT_ROWS.toLocaleString('en')} projects (narrow the filter beyond).`,
  })
  monthlyReportTemplate(@Ctx() ctx: Context, @Args(() => MonthlyReportTemplateArgs) args: MonthlyReportTemplateArgs): Promise<ExportedFile> {
    return monthlyReportTemplate(ctx, args.period, args.filter);
  }

  @Can('create', 'Project')
  @Query(() => SpreadsheetFile, { description: 'The XLSX template for declaring projects in bulk (Chinese headers, with the territories the viewer can use).' })
  projectImportTemplate(@Ctx() ctx: Context): Promise<ExportedFile> {
    return projectImportTemplate(ctx);
  }

  @Can('save', 'MonthlyReport')
  @Mutation(() => MonthlyReportImportPayload, {
    description:
      'Create or change monthly reports from a filled-in template. Every row is checked and saved exactly as saveMonthlyReport would; ' +
      'if any row fails, nothing is saved and the error is BAD_USER_INPUT with extensions.rows: [{ row, column, message }] ' +
      '(row numbers as the spreadsheet shows them, column by its Chinese header).',
  })
  importMonthlyReports(@Ctx() ctx: Context, @Arg('input', () => SpreadsheetImportInput) input: SpreadsheetImportInput): Promise<MonthlyReportImportPayload> {
    return importMonthlyReports(ctx, input.file, input.dryRun);
  }

  @Can('create', 'Project')
  @Mutation(() => ProjectImportPayload, {
    description:
      'Declare projects from a filled-in template (created as createProject would). If any row fails, nothing is created and the error is ' +
      'BAD_USER_INPUT with extensions.rows: [{ row, column, message }].',
  })
  importProjects(@Ctx() ctx: Context, @Arg('input', () => SpreadsheetImportInput) input: SpreadsheetImportInput): Promise<ProjectImportPayload> {
    return importProjects(ctx, input.file, input.dryRun);
  }
}
