/**
 * Projects from a spreadsheet: the declaration template and its import. Creation only — a
 * project's later changes go through updateProject and its field rules, one record at a time.
 *
 * Every row is checked (required cells, formats, the enterprise by credit code and the territory
 * and park by name or code through the viewer's scoped reads, duplicates in the file, a project of
 * the same name already declared for the enterprise), then created through createProject — the
 * same function as the single create, with its scope rule on the row as stored — inside one
 * transaction (import-runner.ts). Any error: nothing is created.
 */
import type { Context } from '../../app/context';
import { compareDecimals, DecimalFormatError, normalizeDecimal } from '../../core/db/decimal';
import { readRows } from '../../core/db/read-rows';
import { scopedQuery } from '../../core/db/scoped';
import { AppError } from '../../core/errors';
import { toGlobalId } from '../../core/graphql/global-id';
import { MAX_AMOUNT } from '../../core/validation';
import { Enterprise } from '../enterprise/enterprise.entity';
import { enterpriseQuery } from '../enterprise/enterprise.service';
import { OrgUnit, OrgUnitKind } from '../org/org-unit.entity';
import { ConstructionNature, Project, Technique } from '../project/project.entity';
import { CreateProjectInput } from '../project/project.inputs';
import { createProject, projectQuery } from '../project/project.service';
import { CONSTRUCTION_NATURE_LABELS, TECHNIQUE_LABELS, valueOfLabel } from './labels';
import {
  applyRow, DataRow, decodeFileOrThrow, ImportColumn, inOneTransaction, MAX_IMPORT_ROWS, parseDecimalText, parseMonth, readTableOrThrow, RowErrors,
} from './import-runner';
import { ExportedFile } from './export.service';
import { addHeader, workbookFile } from './report-import.service';
import { newWorkbook } from './sheet-format';

export const PROJECT_SHEET = '项目';

export const PROJECT_COLUMNS = {
  creditCode: { key: 'creditCode', header: '统一社会信用代码', required: true },
  name: { key: 'name', header: '项目名称', required: true },
  projectCode: { key: 'projectCode', header: '项目代码' },
  territory: { key: 'territory', header: '属地' },
  park: { key: 'park', header: '所在园区' },
  site: { key: 'site', header: '建设地点' },
  industryCode: { key: 'industryCode', header: '行业代码' },
  constructionNature: { key: 'constructionNature', header: '建设性质', required: true },
  techniques: { key: 'techniques', header: '技改方向' },
  content: { key: 'content', header: '建设内容' },
  totalInvestment: { key: 'totalInvestment', header: '总投资（万元）', required: true },
  equipmentInvestment: { key: 'equipmentInvestment', header: '设备投资（万元）', required: true },
  plannedStart: { key: 'plannedStart', header: '计划开工', required: true },
  plannedCompletion: { key: 'plannedCompletion', header: '计划竣工', required: true },
  reserveBatch: { key: 'reserveBatch', header: '储备批次' },
} satisfies Record<string, ImportColumn>;
const C = PROJECT_COLUMNS;
const COLUMN_LIST: ImportColumn[] = Object.values(C);

const TERRITORY_KINDS = [OrgUnitKind.COUNTY, OrgUnitKind.CITY_PARK, OrgUnitKind.COUNTY_PARK];
const PARK_KINDS = [OrgUnitKind.CITY_PARK, OrgUnitKind.COUNTY_PARK];
const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
const isOpen = (u: OrgUnit) => u.validTo === null || u.validTo >= today();

/**
 * Counties and parks open today where the viewer's create rules allow a project (decided on a
 * project of the viewer's own enterprise, if any, in that unit), by path (the tree's order).
 * createProject checks the row as stored again; this only keeps the list and the early check honest.
 */
async function territoriesOf(ctx: Context): Promise<OrgUnit[]> {
  const units = await readRows(scopedQuery(ctx, OrgUnit, 'u').andWhere('u.kind IN (:...tKinds)', { tKinds: TERRITORY_KINDS }).orderBy('u.path'));
  const enterpriseId = ctx.viewer!.user.enterpriseId ?? 0;
  return units.filter((u) => isOpen(u) && ctx.viewer!.permissions.can('create', 'Project', Object.assign(new Project(), { territoryId: u.id, enterpriseId })));
}

// ---------------------------------------------------------------------------------------------
// Template

const NATURES = Object.values(CONSTRUCTION_NATURE_LABELS);

export async function projectImportTemplate(ctx: Context): Promise<ExportedFile> {
  const units = await territoriesOf(ctx);
  const workbook = newWorkbook();
  const sheet = workbook.addWorksheet(PROJECT_SHEET);
  addHeader(sheet, [
    { ...C.creditCode, width: 22, note: '必填，项目所属企业的统一社会信用代码（18 位），企业须已在平台登记', text: true },
    { ...C.name, width: 36, note: '必填，最多 200 字' },
    { ...C.projectCode, width: 28, note: '已赋码的填写国家投资项目代码，如 2026-510703-26-03-012345', text: true },
    { ...C.territory, width: 16, note: '县（市、区）或园区名称，见“属地列表”；留空则为企业属地' },
    { ...C.park, width: 16, note: '园区名称，见“属地列表”' },
    { ...C.site, width: 24 },
    { ...C.industryCode, width: 10, note: 'GB/T 4754 行业代码，如 C2614；留空则为企业行业', text: true },
    { ...C.constructionNature, width: 16, note: `必填：${NATURES.join('、')}` },
    { ...C.techniques, width: 24, note: `可多选，用顿号分隔：${Object.values(TECHNIQUE_LABELS).join('、')}` },
    { ...C.content, width: 40 },
    { ...C.totalInvestment, width: 16, note: '必填，万元，大于 0' },
    { ...C.equipmentInvestment, width: 16, note: '必填，万元，不超过总投资' },
    { ...C.plannedStart, width: 12, note: '必填，格式 YYYY-MM', text: true },
    { ...C.plannedCompletion, width: 12, note: '必填，格式 YYYY-MM，不早于计划开工', text: true },
    { ...C.reserveBatch, width: 12, note: '如“十四五”' },
  ]);
  const list = workbook.addWorksheet('属地列表');
  list.columns = [{ key: 'name', width: 24 }, { key: 'code', width: 16 }, { key: 'kind', width: 10 }];
  list.addRow(['名称', '编码', '类型']).font = { bold: true };
  for (const u of units) list.addRow([u.name, u.code, u.kind === OrgUnitKind.COUNTY ? '县（市、区）' : '园区']);
  const lastUnitRow = units.length + 1;
  for (let row = 2; row <= 501; row++) {
    sheet.getCell(row, 8).dataValidation = {
      type: 'list', allowBlank: true, formulae: [`"${NATURES.join(',')}"`], showErrorMessage: true, error: '请从列表中选择建设性质',
    };
    if (units.length) {
      sheet.getCell(row, 4).dataValidation = { type: 'list', allowBlank: true, formulae: [`'属地列表'!$A$2:$A$${lastUnitRow}`] };
    }
  }
  const instructions = workbook.addWorksheet('填写说明');
  instructions.getColumn(1).width = 110;
  [
    '项目导入模板填写说明',
    '',
    '1. 每行申报一个新项目（入库状态为草稿，建设阶段为谋划）；已有项目的修改请在平台上逐个进行。',
    '2. 带颜色的列为必填。企业须已在平台登记，并在您的权限范围内。',
    '3. 属地、所在园区填写“属地列表”中的名称或编码；属地留空则与企业相同。',
    '4. 金额单位为万元，最多 4 位小数；月份格式为 YYYY-MM。',
    '5. 同一企业已有同名项目的行不会重复导入，会提示错误。',
    `6. 全部行校验通过才会导入；任何一行有错，所有行都不导入，错误按行号和列名列出。一次最多 ${MAX_IMPORT_ROWS} 行，文件不超过 700 KB。`,
  ].forEach((line, i) => {
    const row = instructions.addRow([line]);
    if (i === 0) row.font = { bold: true, size: 14 };
  });
  return workbookFile(workbook, '项目导入模板');
}

// ---------------------------------------------------------------------------------------------
// Import

interface ProjectRow {
  row: number;
  input: CreateProjectInput;
}

export interface ProjectImportResult {
  dryRun: boolean;
  rowCount: number;
  created: number;
  /** Global ids of the created projects, in row order (empty for a dry run). */
  projectIds: string[];
}

const CHUNK = 500;
const chunked = <T>(list: T[]): T[][] => Array.from({ length: Math.ceil(list.length / CHUNK) }, (_, i) => list.slice(i * CHUNK, (i + 1) * CHUNK));

function amountCell(errors: RowErrors, r: DataRow, column: ImportColumn, positive: boolean): string | undefined {
  const text = r.get(column.key);
  if (text === '') return void errors.add(r.row, column.header, `${column.header}必填`);
  const value = parseDecimalText(text);
  if (value === null) return void errors.add(r.row, column.header, `${column.header}应为数字，“${text}”不是数字`);
  let amount: string;
  try {
    amount = normalizeDecimal(value);
  } catch (e) {
    return void errors.add(r.row, column.header, e instanceof DecimalFormatError ? `${column.header}最多 4 位小数` : `${column.header}不是有效的数字`);
  }
  if (compareDecimals(amount, 0) < 0 || (positive && compareDecimals(amount, 0) === 0)) {
    return void errors.add(r.row, column.header, positive ? `${column.header}应大于 0` : `${column.header}不能为负数`);
  }
  if (compareDecimals(amount, MAX_AMOUNT) > 0) return void errors.add(r.row, column.header, `${column.header}过大`);
  return amount;
}

function monthCell(errors: RowErrors, r: DataRow, column: ImportColumn): string | undefined {
  const text = r.get(column.key);
  if (text === '') return void errors.add(r.row, column.header, `${column.header}必填`);
  const month = parseMonth(text);
  if (!month) return void errors.add(r.row, column.header, `${column.header}应为 YYYY-MM 格式（如 2026-03），“${text}”无法识别`);
  return month;
}

const optional = (r: DataRow, column: ImportColumn) => r.get(column.key) || null;

async function checkRows(ctx: Context, rows: DataRow[], errors: RowErrors): Promise<ProjectRow[]> {
  // Enterprises by credit code through the viewer's scope; units by name or code.
  const codes = [...new Set(rows.map((r) => r.get(C.creditCode.key).toUpperCase()).filter(Boolean))];
  const enterprises = new Map<string, Enterprise>();
  for (const part of chunked(codes)) {
    for (const e of await readRows(enterpriseQuery(ctx).andWhere('e.creditCode IN (:...impCodes)', { impCodes: part }))) enterprises.set(e.creditCode, e);
  }
  const units = await territoriesOf(ctx);
  const unitOf = (text: string) => units.find((u) => u.name === text || u.code.toUpperCase() === text.toUpperCase());
  // Names already declared, per enterprise (what the viewer can see of them).
  const existingNames = new Set<string>();
  const enterpriseIds = [...new Set([...enterprises.values()].map((e) => e.id))];
  for (const part of chunked(enterpriseIds)) {
    const found = await readRows(projectQuery(ctx).select(['p.id', 'p.enterpriseId', 'p.name']).andWhere('p.enterpriseId IN (:...impEnterprises)', { impEnterprises: part }));
    for (const p of found) existingNames.add(`${p.enterpriseId}|${p.name}`);
  }

  const valid: ProjectRow[] = [];
  const namesInFile = new Map<string, number>();
  const codesInFile = new Map<string, number>();
  for (const r of rows) {
    const before = errors.size;
    const creditCode = r.get(C.creditCode.key).toUpperCase();
    const enterprise = creditCode ? enterprises.get(creditCode) : undefined;
    if (!creditCode) errors.add(r.row, C.creditCode.header, '统一社会信用代码必填');
    else if (!enterprise) errors.add(r.row, C.creditCode.header, `未找到统一社会信用代码为“${creditCode}”的企业，或该企业不在您的权限范围内`);

    const name = r.get(C.name.key);
    if (!name) errors.add(r.row, C.name.header, '项目名称必填');
    else if (name.length > 200) errors.add(r.row, C.name.header, '项目名称最多 200 字');
    else if (enterprise) {
      const key = `${enterprise.id}|${name}`;
      if (existingNames.has(key)) errors.add(r.row, C.name.header, `该企业已有名为“${name}”的项目，请勿重复导入`);
      else if (namesInFile.has(key)) errors.add(r.row, C.name.header, `与第 ${namesInFile.get(key)} 行重复：同一企业的项目名称不能相同`);
      else namesInFile.set(key, r.row);
    }

    const projectCode = r.get(C.projectCode.key).toUpperCase() || null;
    if (projectCode) {
      if (codesInFile.has(projectCode)) errors.add(r.row, C.projectCode.header, `与第 ${codesInFile.get(projectCode)} 行的项目代码重复`);
      else codesInFile.set(projectCode, r.row);
    }

    let territoryId: string | null = null;
    const territoryText = r.get(C.territory.key);
    if (territoryText) {
      const unit = unitOf(territoryText);
      if (!unit) errors.add(r.row, C.territory.header, `未找到属地“${territoryText}”，或您无权在该属地申报项目；请填写“属地列表”中的名称或编码`);
      else territoryId = toGlobalId('OrgUnit', unit.id);
    }
    let parkId: string | null = null;
    const parkText = r.get(C.park.key);
    if (parkText) {
      const unit = unitOf(parkText);
      if (!unit || !PARK_KINDS.includes(unit.kind)) errors.add(r.row, C.park.header, `未找到园区“${parkText}”，请填写“属地列表”中的园区名称或编码`);
      else parkId = toGlobalId('OrgUnit', unit.id);
    }

    const natureText = r.get(C.constructionNature.key);
    const constructionNature = natureText ? valueOfLabel(CONSTRUCTION_NATURE_LABELS, natureText) : null;
    if (!natureText) errors.add(r.row, C.constructionNature.header, '建设性质必填');
    else if (!constructionNature) errors.add(r.row, C.constructionNature.header, `建设性质应为 ${NATURES.join('、')} 之一`);

    const techniques: Technique[] = [];
    for (const part of r.get(C.techniques.key).split(/[、,，;；\s]+/).filter(Boolean)) {
      const technique = valueOfLabel(TECHNIQUE_LABELS, part);
      if (!technique) errors.add(r.row, C.techniques.header, `技改方向“${part}”无法识别，应为 ${Object.values(TECHNIQUE_LABELS).join('、')}`);
      else if (!techniques.includes(technique)) techniques.push(technique);
    }

    const totalInvestment = amountCell(errors, r, C.totalInvestment, true);
    const equipmentInvestment = amountCell(errors, r, C.equipmentInvestment, false);
    if (totalInvestment && equipmentInvestment && compareDecimals(equipmentInvestment, totalInvestment) > 0) {
      errors.add(r.row, C.equipmentInvestment.header, '设备投资不能超过总投资');
    }
    const plannedStart = monthCell(errors, r, C.plannedStart);
    const plannedCompletion = monthCell(errors, r, C.plannedCompletion);
    if (plannedStart && plannedCompletion && plannedCompletion < plannedStart) errors.add(r.row, C.plannedCompletion.header, '计划竣工不能早于计划开工');

    if (errors.size === before && enterprise && constructionNature && totalInvestment && equipmentInvestment && plannedStart && plannedCompletion) {
      valid.push({
        row: r.row,
        input: {
          enterpriseId: toGlobalId('Enterprise', enterprise.id),
          name,
          projectCode,
          territoryId,
          parkId,
          site: optional(r, C.site),
          industryCode: optional(r, C.industryCode),
          constructionNature: constructionNature as ConstructionNature,
          techniques,
          content: optional(r, C.content),
          totalInvestment,
          equipmentInvestment,
          plannedStart,
          plannedCompletion,
          reserveBatch: optional(r, C.reserveBatch),
          annualPlans: [],
        },
      });
    }
  }
  return valid;
}

const FIELD_COLUMNS: Record<string, string> = {
  enterpriseId: C.creditCode.header,
  name: C.name.header,
  projectCode: C.projectCode.header,
  territoryId: C.territory.header,
  parkId: C.park.header,
  site: C.site.header,
  industryCode: C.industryCode.header,
  content: C.content.header,
  totalInvestment: C.totalInvestment.header,
  equipmentInvestment: C.equipmentInvestment.header,
  plannedStart: C.plannedStart.header,
  plannedCompletion: C.plannedCompletion.header,
  reserveBatch: C.reserveBatch.header,
};

function explainCreateError(e: AppError): { column: string | null; message: string } {
  const field = String((e.extensions as Record<string, unknown>).field ?? '');
  switch (e.code) {
    case 'NOT_FOUND':
      return { column: C.creditCode.header, message: '未找到该企业，或不在您的权限范围内' };
    case 'CONFLICT':
      return field === 'projectCode'
        ? { column: C.projectCode.header, message: '该项目代码已被其他项目使用' }
        : { column: FIELD_COLUMNS[field] ?? null, message: e.message };
    case 'FORBIDDEN':
      // createProject's only refusal of this kind: the row as stored falls outside the viewer's create rules.
      return { column: C.territory.header, message: `无权在该属地为该企业申报项目（${e.message}）` };
    default:
      return { column: FIELD_COLUMNS[field] ?? null, message: e.message };
  }
}

export async function importProjects(ctx: Context, base64: string, dryRun: boolean): Promise<ProjectImportResult> {
  const rows = await readTableOrThrow(decodeFileOrThrow(base64), PROJECT_SHEET, COLUMN_LIST);
  const errors = new RowErrors();
  const valid = await checkRows(ctx, rows, errors);
  return inOneTransaction(ctx, dryRun, async (run) => {
    for (const e of errors.list) run.errors.add(e.row, e.column, e.message);
    const projectIds: string[] = [];
    for (const v of valid) {
      const project = await applyRow(run, v.row, explainCreateError, () => createProject(run.tx, v.input));
      if (project) projectIds.push(toGlobalId('Project', project.id));
    }
    return { dryRun, rowCount: rows.length, created: projectIds.length, projectIds: dryRun ? [] : projectIds };
  });
}
