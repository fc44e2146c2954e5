/**
 * Monthly reports from a spreadsheet: the template (one row per project the viewer reports for,
 * pre-filled with the month's report where there is one) and its import.
 *
 * The import checks every row (cell formats, the project by 系统编号 or 项目代码 through the
 * viewer's scoped read, the project's stage and start, duplicates in the file), then writes every
 * row through saveMonthlyReport — the same function as the single save, with its scope, field,
 * version, lock and cumulative rules — inside one transaction (import-runner.ts). Errors are
 * reported per row and column with the Chinese header; if there is any, nothing is written.
 * A row whose figures equal the stored report is left alone (so importing a file twice changes
 * nothing the second time); a row whose four input cells are all empty is skipped.
 */
import type ExcelJS from 'exceljs';
import type { Context } from '../../app/context';
import { compareDecimals, DecimalFormatError, normalizeDecimal } from '../../core/db/decimal';
import { readRows } from '../../core/db/read-rows';
import { AppError, badInput } from '../../core/errors';
import { parseGlobalId, toGlobalId } from '../../core/graphql/global-id';
import { currentMonth } from '../../core/validation';
import { loadEnterprise } from '../enterprise/enterprise.service';
import { Project } from '../project/project.entity';
import { ProjectFilter } from '../project/project.inputs';
import { applyProjectFilter, projectQuery } from '../project/project.service';
import { MonthlyReport } from '../report/monthly-report.entity';
import { reportQuery, saveMonthlyReport } from '../report/report.service';
import { REPORTING_STAGES, SAVABLE } from '../report/report.transitions';
import { labelOf, REPORT_STATUS_LABELS, STAGE_LABELS } from './labels';
import {
  applyRow, DataRow, decodeFileOrThrow, ImportColumn, inOneTransaction, MAX_IMPORT_ROWS, parseDecimalText, parseMonth, readTableOrThrow, RowErrors,
} from './import-runner';
import { CONTENT_TYPES, newWorkbook, SheetFormat, templateCell } from './sheet-format';
import { ExportedFile } from './export.service';

export const REPORT_SHEET = '月报';

export const REPORT_COLUMNS = {
  projectId: { key: 'projectId', header: '系统编号' },
  projectCode: { key: 'projectCode', header: '项目代码' },
  projectName: { key: 'projectName', header: '项目名称' },
  enterpriseName: { key: 'enterpriseName', header: '企业名称' },
  period: { key: 'period', header: '填报月份', required: true },
  monthInvestment: { key: 'monthInvestment', header: '本月完成投资（万元）', required: true },
  progressPercent: { key: 'progressPercent', header: '形象进度（%）', required: true },
  progressText: { key: 'progressText', header: '进展情况' },
  issues: { key: 'issues', header: '存在问题' },
  version: { key: 'version', header: '数据版本' },
} satisfies Record<string, ImportColumn>;
const C = REPORT_COLUMNS;
const COLUMN_LIST: ImportColumn[] = Object.values(C);

const MAX_TEXT = 2000;
const CHUNK = 500;
const chunked = <T>(list: T[]): T[][] => Array.from({ length: Math.ceil(list.length / CHUNK) }, (_, i) => list.slice(i * CHUNK, (i + 1) * CHUNK));

// ---------------------------------------------------------------------------------------------
// Template

const INSTRUCTIONS = [
  '月报导入模板填写说明',
  '',
  '1. 每行是一个项目一个月的月报。“系统编号”“项目代码”用于识别项目，请勿修改；没有项目代码的项目以系统编号为准。',
  '2. 必填：填报月份（如 2026-03）、本月完成投资（万元，0 或正数，最多 4 位小数）、形象进度（0–100，最多 2 位小数）。',
  '3. 累计完成投资由平台按月份自动计算，无需填写。',
  '4. “数据版本”是已有月报的版本号，请勿修改；新月报留空。若导入时提示版本不一致，说明月报已被他人修改，请重新下载模板。',
  '5. 未填写本月完成投资、形象进度、进展情况和存在问题的行不导入；与平台现有数据相同的行不修改。',
  '6. 只能导入您有权填报的项目；已报送、已确认或已锁定的月报不在模板中，如需修改请先退回。',
  `7. 全部行校验通过才会导入；任何一行有错，所有行都不导入，错误按行号和列名列出。一次最多 ${MAX_IMPORT_ROWS} 行，文件不超过 700 KB。`,
];

function addInstructions(workbook: ExcelJS.Workbook, lines: string[]): void {
  const sheet = workbook.addWorksheet('填写说明');
  sheet.getColumn(1).width = 110;
  lines.forEach((line, i) => {
    const row = sheet.addRow([line]);
    if (i === 0) row.font = { bold: true, size: 14 };
  });
}

/** Writes a header row (required headers highlighted, each with its note) and column formats. */
export function addHeader(sheet: ExcelJS.Worksheet, columns: (ImportColumn & { width: number; note?: string; text?: boolean })[]): void {
  sheet.columns = columns.map((c) => ({ key: c.key, width: c.width, style: c.text ? { numFmt: '@' } : {} }));
  const header = sheet.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    if (c.required) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
    if (c.note) cell.note = c.note;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

export async function workbookFile(workbook: ExcelJS.Workbook, title: string): Promise<ExportedFile> {
  workbook.creator = 'techtransform';
  workbook.created = new Date();
  const file = Buffer.from(await workbook.xlsx.writeBuffer());
  return { filename: `${title}.xlsx`, contentType: CONTENT_TYPES[SheetFormat.XLSX], base64: file.toString('base64'), rowCount: 0, byteLength: file.length };
}

/**
 * The template for `period`: the viewer's projects in a reporting stage (and the filter), with the
 * month's report where it exists and may still be saved. Needs `save` on MonthlyReport.
 */
export async function monthlyReportTemplate(ctx: Context, period: string, filter: ProjectFilter | null | undefined): Promise<ExportedFile> {
  if (period > currentMonth()) throw badInput('period', `period ${period} is in the future`);
  const qb = projectQuery(ctx);
  applyProjectFilter(ctx, qb, filter);
  qb.andWhere('p.stage IN (:...tplStages)', { tplStages: [...REPORTING_STAGES] }).andWhere('p.plannedStart <= :tplPeriod', { tplPeriod: `${period.slice(0, 4)}-12` });
  const count = await qb.clone().getCount();
  if (count > MAX_IMPORT_ROWS) {
    throw new AppError('BAD_USER_INPUT', `The template would list ${count} projects; one import takes at most ${MAX_IMPORT_ROWS}. Narrow the filter (e.g. by territory).`, {
      field: 'filter',
      rowCount: count,
      limit: MAX_IMPORT_ROWS,
    });
  }
  const projects = await readRows(qb.orderBy('p.id', 'ASC'));

  const reports = new Map<number, MonthlyReport>();
  for (const ids of chunked(projects.map((p) => p.id))) {
    const rows = await readRows(reportQuery(ctx).andWhere('r.projectId IN (:...tplIds) AND r.period = :tplPeriod', { tplIds: ids, tplPeriod: period }));
    for (const r of rows) reports.set(r.projectId, r);
  }
  const enterprises = await Promise.all(projects.map((p) => loadEnterprise(ctx, p.enterpriseId)));

  const workbook = newWorkbook();
  const sheet = workbook.addWorksheet(REPORT_SHEET);
  addHeader(sheet, [
    { ...C.projectId, width: 18, note: '平台项目编号，请勿修改', text: true },
    { ...C.projectCode, width: 28, note: '国家投资项目代码（24 位），请勿修改', text: true },
    { ...C.projectName, width: 36, note: '仅供参考，不导入' },
    { ...C.enterpriseName, width: 30, note: '仅供参考，不导入' },
    { ...C.period, width: 12, note: '必填，格式 YYYY-MM，如 2026-03', text: true },
    { ...C.monthInvestment, width: 20, note: '必填，万元，0 或正数，最多 4 位小数' },
    { ...C.progressPercent, width: 14, note: '必填，0–100，最多 2 位小数' },
    { ...C.progressText, width: 40 },
    { ...C.issues, width: 40, note: '需要协调解决的问题' },
    { ...C.version, width: 10, note: '已有月报的版本号，请勿修改；新月报留空' },
  ]);
  let written = 0;
  projects.forEach((p, i) => {
    const report = reports.get(p.id);
    if (report && !SAVABLE.includes(report.status)) return;
    written++;
    sheet.addRow([
      toGlobalId('Project', p.id),
      templateCell('text', p.projectCode),
      templateCell('text', p.name),
      templateCell('text', enterprises[i]?.name),
      period,
      templateCell('decimal', report?.monthInvestment),
      templateCell('decimal', report?.progressPercent),
      templateCell('text', report?.progressText),
      templateCell('text', report?.issues),
      report?.version ?? null,
    ]);
  });
  // Excel checks typed figures as they are entered (the import checks them again).
  for (let row = 2; row <= written + 51; row++) {
    sheet.getCell(row, 6).dataValidation = {
      type: 'decimal', operator: 'greaterThanOrEqual', formulae: [0], allowBlank: true, showErrorMessage: true, error: '本月完成投资应为 0 或正数',
    };
    sheet.getCell(row, 7).dataValidation = {
      type: 'decimal', operator: 'between', formulae: [0, 100], allowBlank: true, showErrorMessage: true, error: '形象进度应在 0–100 之间',
    };
  }
  addInstructions(workbook, INSTRUCTIONS);
  const file = await workbookFile(workbook, `月报导入模板-${period}`);
  return { ...file, rowCount: written };
}

// ---------------------------------------------------------------------------------------------
// Import

interface ReportRow {
  row: number;
  projectId: number;
  /** The column that identified the project, for errors about it. */
  keyColumn: string;
  period: string;
  monthInvestment: string;
  progressPercent: string;
  progressText: string | null;
  issues: string | null;
  version: number | null;
}

export interface ReportImportResult {
  dryRun: boolean;
  rowCount: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

function decimalCell(errors: RowErrors, r: DataRow, column: ImportColumn, check: (value: string) => string | null): string | undefined {
  const text = r.get(column.key);
  if (text === '') return void errors.add(r.row, column.header, `${column.header}必填`);
  const value = parseDecimalText(text);
  if (value === null) return void errors.add(r.row, column.header, `${column.header}应为数字，“${text}”不是数字`);
  let normalized: string;
  try {
    normalized = normalizeDecimal(value);
  } catch (e) {
    return void errors.add(r.row, column.header, e instanceof DecimalFormatError ? `${column.header}最多 4 位小数` : `${column.header}不是有效的数字`);
  }
  const problem = check(normalized);
  if (problem) return void errors.add(r.row, column.header, problem);
  return normalized;
}

function textCell(errors: RowErrors, r: DataRow, column: ImportColumn): string | null {
  const text = r.get(column.key);
  if (text.length > MAX_TEXT) errors.add(r.row, column.header, `${column.header}最多 ${MAX_TEXT} 个字`);
  return text === '' ? null : text;
}

/** Checks the cells of every row and finds each row's project through the viewer's scoped read. */
async function checkRows(ctx: Context, rows: DataRow[], errors: RowErrors): Promise<{ valid: ReportRow[]; skipped: number }> {
  const now = currentMonth();
  // Identify the projects first, in batches.
  const wantedIds = new Set<number>();
  const wantedCodes = new Set<string>();
  for (const r of rows) {
    const parsed = r.get(C.projectId.key) ? parseGlobalId(r.get(C.projectId.key)) : null;
    if (parsed?.type === 'Project') wantedIds.add(parsed.id);
    else if (r.get(C.projectCode.key)) wantedCodes.add(r.get(C.projectCode.key).toUpperCase());
  }
  const byId = new Map<number, Project>();
  const byCode = new Map<string, Project>();
  for (const ids of chunked([...wantedIds])) {
    for (const p of await readRows(projectQuery(ctx).andWhere('p.id IN (:...impIds)', { impIds: ids }))) byId.set(p.id, p);
  }
  for (const codes of chunked([...wantedCodes])) {
    for (const p of await readRows(projectQuery(ctx).andWhere('p.projectCode IN (:...impCodes)', { impCodes: codes }))) byCode.set(p.projectCode!.toUpperCase(), p);
  }

  const valid: ReportRow[] = [];
  const seen = new Map<string, number>();
  let skipped = 0;
  for (const r of rows) {
    const inputs = [C.monthInvestment, C.progressPercent, C.progressText, C.issues].map((c) => r.get(c.key));
    if (inputs.every((v) => v === '')) {
      skipped++;
      continue;
    }
    const before = errors.size;

    // The project: 系统编号 wins; 项目代码 identifies projects where it is the only key.
    let project: Project | undefined;
    let keyColumn: string = C.projectId.header;
    const idText = r.get(C.projectId.key);
    const codeText = r.get(C.projectCode.key).toUpperCase();
    if (idText) {
      const parsed = parseGlobalId(idText);
      if (parsed?.type !== 'Project') errors.add(r.row, C.projectId.header, `系统编号“${idText}”不是项目编号`);
      else {
        project = byId.get(parsed.id);
        if (!project) errors.add(r.row, C.projectId.header, '未找到该项目，或该项目不在您的权限范围内');
        else if (codeText && (project.projectCode ?? '').toUpperCase() !== codeText) {
          errors.add(r.row, C.projectCode.header, `项目代码“${codeText}”与系统编号对应的项目不一致`);
        }
      }
    } else if (codeText) {
      keyColumn = C.projectCode.header;
      project = byCode.get(codeText);
      if (!project) errors.add(r.row, C.projectCode.header, `未找到项目代码为“${codeText}”的项目，或该项目不在您的权限范围内`);
    } else {
      errors.add(r.row, C.projectId.header, '请填写系统编号或项目代码');
    }

    const periodText = r.get(C.period.key);
    const period = periodText ? parseMonth(periodText) : null;
    if (!periodText) errors.add(r.row, C.period.header, '填报月份必填');
    else if (!period) errors.add(r.row, C.period.header, `填报月份应为 YYYY-MM 格式（如 2026-03），“${periodText}”无法识别`);
    else if (period > now) errors.add(r.row, C.period.header, `填报月份 ${period} 晚于本月，不能填报`);

    if (project && period) {
      if (!(REPORTING_STAGES as readonly string[]).includes(project.stage)) {
        errors.add(r.row, keyColumn, `项目处于“${labelOf(STAGE_LABELS, project.stage)}”阶段，只有前期、在建、竣工阶段的项目填报月报`);
      } else if (period < `${project.plannedStart.slice(0, 4)}-01`) {
        errors.add(r.row, C.period.header, `填报月份 ${period} 早于项目计划开工年份 ${project.plannedStart.slice(0, 4)}`);
      }
      const key = `${project.id}|${period}`;
      const first = seen.get(key);
      if (first !== undefined) errors.add(r.row, C.period.header, `与第 ${first} 行重复：同一项目同一月份只能有一行`);
      else seen.set(key, r.row);
    }

    const monthInvestment = decimalCell(errors, r, C.monthInvestment, (v) =>
      compareDecimals(v, 0) < 0 ? '本月完成投资不能为负数' : compareDecimals(v, '999999999.9999') > 0 ? '本月完成投资过大' : null,
    );
    const progressPercent = decimalCell(errors, r, C.progressPercent, (v) =>
      compareDecimals(v, 0) < 0 || compareDecimals(v, 100) > 0 ? '形象进度应在 0–100 之间' : /\.\d{3,}$/.test(v) ? '形象进度最多 2 位小数' : null,
    );
    const progressText = textCell(errors, r, C.progressText);
    const issues = textCell(errors, r, C.issues);
    const versionText = r.get(C.version.key);
    let version: number | null = null;
    if (versionText) {
      if (!/^\d{1,9}$/.test(versionText)) errors.add(r.row, C.version.header, '数据版本应为整数，请勿修改');
      else version = Number(versionText);
    }

    if (errors.size === before && project && period && monthInvestment !== undefined && progressPercent !== undefined) {
      valid.push({ row: r.row, projectId: project.id, keyColumn, period, monthInvestment, progressPercent, progressText, issues, version });
    }
  }
  return { valid, skipped };
}

/** The column and a Chinese message for an error saveMonthlyReport gave a row. */
function explainSaveError(row: ReportRow) {
  const FIELD_COLUMNS: Record<string, string> = {
    period: C.period.header,
    monthInvestment: C.monthInvestment.header,
    progressPercent: C.progressPercent.header,
    progressText: C.progressText.header,
    issues: C.issues.header,
    expectedVersion: C.version.header,
    projectId: row.keyColumn,
  };
  return (e: AppError): { column: string | null; message: string } => {
    const ext = e.extensions as Record<string, unknown>;
    switch (e.code) {
      case 'NOT_FOUND':
        return { column: row.keyColumn, message: '未找到该项目或该月月报，或不在您的权限范围内' };
      case 'CONFLICT':
        return ext.field === 'expectedVersion'
          ? { column: C.version.header, message: `该项目 ${row.period} 的月报已存在（版本 ${ext.currentVersion}），请重新下载模板后填写` }
          : { column: C.version.header, message: `该月报已被他人修改（当前版本 ${ext.currentVersion ?? '未知'}），请重新下载模板后填写` };
      case 'INVALID_TRANSITION':
        return { column: null, message: `该月报状态为“${labelOf(REPORT_STATUS_LABELS, ext.currentState as never) ?? ext.currentState}”，不能修改；如需修改请先退回` };
      case 'FORBIDDEN':
        return ext.period
          ? { column: C.period.header, message: `${ext.period} 已锁定，只有管理员可以重新开放（${e.message}）` }
          : { column: null, message: `无权填报该月报（${e.message}）` };
      default:
        return { column: FIELD_COLUMNS[String(ext.field)] ?? null, message: e.message };
    }
  };
}

const sameText = (a: string | null, b: string | null) => (a ?? '') === (b ?? '');

export async function importMonthlyReports(ctx: Context, base64: string, dryRun: boolean): Promise<ReportImportResult> {
  const rows = await readTableOrThrow(decodeFileOrThrow(base64), REPORT_SHEET, COLUMN_LIST);
  const errors = new RowErrors();
  const { valid, skipped } = await checkRows(ctx, rows, errors);

  return inOneTransaction(ctx, dryRun, async (run) => {
    for (const e of errors.list) run.errors.add(e.row, e.column, e.message);
    const result: ReportImportResult = { dryRun, rowCount: rows.length, created: 0, updated: 0, unchanged: 0, skipped };
    // The stored reports of the rows, read in the transaction through the viewer's scope.
    const stored = new Map<string, MonthlyReport>();
    for (const part of chunked(valid)) {
      const found = await readRows(
        reportQuery(run.tx)
        .andWhere('r.projectId IN (:...impProjects) AND r.period IN (:...impPeriods)', {
          impProjects: [...new Set(part.map((v) => v.projectId))],
          impPeriods: [...new Set(part.map((v) => v.period))],
        }),
      );
      for (const r of found) stored.set(`${r.projectId}|${r.period}`, r);
    }
    for (const v of valid) {
      const current = stored.get(`${v.projectId}|${v.period}`);
      // Equal figures need no write, whatever version the file carries: importing a file twice is harmless.
      if (
        current &&
        compareDecimals(current.monthInvestment, v.monthInvestment) === 0 &&
        compareDecimals(current.progressPercent, v.progressPercent) === 0 &&
        sameText(current.progressText, v.progressText) &&
        sameText(current.issues, v.issues)
      ) {
        result.unchanged++;
        continue;
      }
      const saved = await applyRow(run, v.row, explainSaveError(v), () =>
        saveMonthlyReport(run.tx, {
          projectId: toGlobalId('Project', v.projectId),
          period: v.period,
          monthInvestment: v.monthInvestment,
          progressPercent: v.progressPercent,
          progressText: v.progressText,
          issues: v.issues,
          expectedVersion: v.version,
        }),
      );
      if (saved) {
        if (current) result.updated++;
        else result.created++;
      }
    }
    return result;
  });
}
