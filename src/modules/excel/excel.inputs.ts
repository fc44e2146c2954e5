import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MonthScalar } from '../../core/graphql/scalars';
import { EnterpriseFilter, EnterpriseOrder } from '../enterprise/enterprise.inputs';
import { FundApplicationFilter, FundApplicationOrder } from '../fund/fund.inputs';
import { LandRequestFilter, LandRequestOrder } from '../land/land.inputs';
import { ProjectFilter, ProjectOrder } from '../project/project.inputs';
import { MonthlyReportFilter, MonthlyReportOrder } from '../report/report.inputs';
import { MAX_IMPORT_ROWS } from './import-runner';
import { SheetFormat } from './sheet-format';

registerEnumType(SheetFormat, {
  name: 'SheetFormat',
  description: 'XLSX (Excel workbook) or CSV (UTF-8 with a byte-order mark, comma-separated, RFC 4180 quoting).',
});

@ObjectType({ description: 'A generated spreadsheet. Decode `base64` and save it as `filename`.' })
export class SpreadsheetFile {
  @Field(() => String, { description: 'A suggested file name, e.g. "技改项目-20260514-1030.xlsx".' })
  filename: string;

  @Field(() => String)
  contentType: string;

  @Field(() => String, { description: 'The file, base64-encoded.' })
  base64: string;

  @Field(() => Int, { description: 'Data rows in the file (not counting the header).' })
  rowCount: number;

  @Field(() => Int, { description: 'Size of the decoded file in bytes.' })
  byteLength: number;
}

const FORMAT_DESCRIPTION = 'Default XLSX.';
const EXPORT_DESCRIPTION = 'The same filter and order as the list; all matching rows the viewer may see (at most 50,000).';

@ArgsType()
export class ProjectsExportArgs {
  @Field(() => SheetFormat, { defaultValue: SheetFormat.XLSX, description: FORMAT_DESCRIPTION })
  format: SheetFormat;

  @Field(() => ProjectFilter, { nullable: true, description: EXPORT_DESCRIPTION })
  filter?: ProjectFilter | null;

  @Field(() => ProjectOrder, { nullable: true })
  orderBy?: ProjectOrder | null;
}

@ArgsType()
export class EnterprisesExportArgs {
  @Field(() => SheetFormat, { defaultValue: SheetFormat.XLSX, description: FORMAT_DESCRIPTION })
  format: SheetFormat;

  @Field(() => EnterpriseFilter, { nullable: true, description: EXPORT_DESCRIPTION })
  filter?: EnterpriseFilter | null;

  @Field(() => EnterpriseOrder, { nullable: true })
  orderBy?: EnterpriseOrder | null;
}

@ArgsType()
export class MonthlyReportsExportArgs {
  @Field(() => SheetFormat, { defaultValue: SheetFormat.XLSX, description: FORMAT_DESCRIPTION })
  format: SheetFormat;

  @Field(() => MonthlyReportFilter, { nullable: true, description: EXPORT_DESCRIPTION })
  filter?: MonthlyReportFilter | null;

  @Field(() => MonthlyReportOrder, { nullable: true })
  orderBy?: MonthlyReportOrder | null;
}

@ArgsType()
export class FundApplicationsExportArgs {
  @Field(() => SheetFormat, { defaultValue: SheetFormat.XLSX, description: FORMAT_DESCRIPTION })
  format: SheetFormat;

  @Field(() => FundApplicationFilter, { nullable: true, description: EXPORT_DESCRIPTION })
  filter?: FundApplicationFilter | null;

  @Field(() => FundApplicationOrder, { nullable: true })
  orderBy?: FundApplicationOrder | null;
}

@ArgsType()
export class LandRequestsExportArgs {
  @Field(() => SheetFormat, { defaultValue: SheetFormat.XLSX, description: FORMAT_DESCRIPTION })
  format: SheetFormat;

  @Field(() => LandRequestFilter, { nullable: true, description: EXPORT_DESCRIPTION })
  filter?: LandRequestFilter | null;

  @Field(() => LandRequestOrder, { nullable: true })
  orderBy?: LandRequestOrder | null;
}

@ArgsType()
export class MonthlyReportTemplateArgs {
  @Field(() => MonthScalar, { description: 'The month to report (not in the future).' })
  period: string;

  @Field(() => ProjectFilter, { nullable: true, description: 'Which projects to list (among those in a reporting stage).' })
  filter?: ProjectFilter | null;
}

@InputType({
  description:
    'An XLSX file made from the platform\'s template. The request body is limited to 1 MiB and the file travels base64-encoded, ' +
    `so the file may be at most about 700 KB; at most ${MAX_IMPORT_ROWS.toLocaleString('en')} data rows per import.`,
})
export class SpreadsheetImportInput {
  @Field(() => String, { description: 'The .xlsx file, base64-encoded.' })
  file: string;

  @Field(() => Boolean, { defaultValue: false, description: 'Check every row exactly as an import would, then write nothing.' })
  dryRun: boolean;
}

@ObjectType({ description: 'What an import did (or, for a dry run, would do).' })
export class MonthlyReportImportPayload {
  @Field(() => Boolean)
  dryRun: boolean;

  @Field(() => Int, { description: 'Data rows read from the file.' })
  rowCount: number;

  @Field(() => Int, { description: 'New reports.' })
  created: number;

  @Field(() => Int, { description: 'Existing reports changed.' })
  updated: number;

  @Field(() => Int, { description: 'Rows equal to the stored report: nothing written.' })
  unchanged: number;

  @Field(() => Int, { description: 'Rows with no figures filled in: not imported.' })
  skipped: number;
}

@ObjectType({ description: 'What an import did (or, for a dry run, would do).' })
export class ProjectImportPayload {
  @Field(() => Boolean)
  dryRun: boolean;

  @Field(() => Int, { description: 'Data rows read from the file.' })
  rowCount: number;

  @Field(() => Int)
  created: number;

  @Field(() => [ID], { description: 'The new projects, in row order (empty for a dry run).' })
  projectIds: string[];
}
