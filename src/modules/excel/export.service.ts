/**
 * Exports of the lists a viewer can see, as XLSX or CSV.
 *
 * An export is the list's own query, not a copy of it: each spec starts from the module's scoped
 * query (projectQuery, reportQuery, …), applies the module's filter function to the same filter
 * input the connection takes, and orders by the connection's sort key with id as tie-breaker. So
 * an export holds exactly the rows, in the order, that paging the connection to its end would
 * give. Rows are read in keyset chunks of CHUNK (never one unbounded load) and written to the file
 * as they come; an export of more than MAX_EXPORT_ROWS is refused up front (BAD_USER_INPUT).
 *
 * Field rules apply per row as in the API: a @Sensitive field (field-guard.ts) is an empty cell on
 * every row where the viewer may not read it. Related names (enterprise, territory, project,
 * programme) come through the modules' scoped loaders, so a related record the viewer may not see
 * is an empty cell, as it is null in the API.
 */
import { SelectQueryBuilder } from 'typeorm';
import type { Context } from '../../app/context';
import { isSensitiveField } from '../../core/authz/field-guard';
import { fromFlags } from '../../core/db/columns';
import { readRows } from '../../core/db/read-rows';
import { AppError } from '../../core/errors';
import { SortKey } from '../../core/graphql/connection';
import { toGlobalId } from '../../core/graphql/global-id';
import { OrderDirection } from '../../core/graphql/ordering';
import { Enterprise, ENTERPRISE_TAGS } from '../enterprise/enterprise.entity';
import { EnterpriseFilter, EnterpriseOrder, EnterpriseOrderField } from '../enterprise/enterprise.inputs';
import { applyEnterpriseFilter, enterpriseQuery, loadEnterprise } from '../enterprise/enterprise.service';
import { FundApplication } from '../fund/fund-application.entity';
import { FundProgram } from '../fund/fund-program.entity';
import { FundApplicationFilter, FundApplicationOrder, FundApplicationOrderField } from '../fund/fund.inputs';
import { applyFundApplicationFilter, fundApplicationQuery, loadFundProgram } from '../fund/fund.service';
import { LandRequest } from '../land/land-request.entity';
import { LandRequestFilter, LandRequestOrder, LandRequestOrderField } from '../land/land.inputs';
import { applyLandRequestFilter, landRequestQuery } from '../land/land.service';
import { OrgUnit } from '../org/org-unit.entity';
import { loadOrgUnit } from '../org/org.service';
import { Project, TECHNIQUES } from '../project/project.entity';
import { ProjectFilter, ProjectOrder } from '../project/project.inputs';
import { applyProjectFilter, loadProject, projectQuery, projectSort } from '../project/project.service';
import { MonthlyReport } from '../report/monthly-report.entity';
import { MonthlyReportFilter, MonthlyReportOrder } from '../report/report.inputs';
import { applyReportFilter, reportQuery, reportSort } from '../report/report.service';
import {
  CONSTRUCTION_NATURE_LABELS, ENTERPRISE_TAG_LABELS, FARMLAND_LABELS, FUND_APPLICATION_STATUS_LABELS, KEY_LEVEL_LABELS, labelOf,
  LAND_STATUS_LABELS, LIBRARY_STATUS_LABELS, PLAN_CONFORMITY_LABELS, REPORT_STATUS_LABELS, SCALE_LABELS, STAGE_LABELS,
  SUPPLY_METHOD_LABELS, SUPPORT_FORM_LABELS, TECHNIQUE_LABELS,
} from './labels';
import { CellKind, CellValue, CONTENT_TYPES, SheetColumn, SheetFormat, sinkFor } from './sheet-format';

export const MAX_EXPORT_ROWS = 50_000;
const CHUNK = 2500;
const STYLED_ROWS = 10_000;

export interface ExportedFile {
  filename: string;
  contentType: string;
  base64: string;
  rowCount: number;
  byteLength: number;
}

// ---------------------------------------------------------------------------------------------
// Related records, loaded once per chunk through the modules' scoped loaders

interface Refs {
  enterprises?: (number | null)[];
  units?: (number | null)[];
  projects?: (number | null)[];
  programs?: (number | null)[];
}

export class Related {
  readonly enterprises = new Map<number, Enterprise | null>();
  readonly units = new Map<number, OrgUnit | null>();
  readonly projects = new Map<number, Project | null>();
  readonly programs = new Map<number, FundProgram | null>();

  enterprise = (id: number | null) => (id === null ? null : this.enterprises.get(id) ?? null);
  unit = (id: number | null) => (id === null ? null : this.units.get(id) ?? null);
  project = (id: number | null) => (id === null ? null : this.projects.get(id) ?? null);
  program = (id: number | null) => (id === null ? null : this.programs.get(id) ?? null);

  /** Loads every referenced record with a fresh loader cache (so a long export does not keep them all). */
  static async load(ctx: Context, refs: Refs[]): Promise<Related> {
    const chunkCtx: Context = { ...ctx, loaders: new Map() };
    const related = new Related();
    const ids = (pick: (r: Refs) => (number | null)[] | undefined) => [...new Set(refs.flatMap((r) => pick(r) ?? []).filter((id): id is number => id !== null))];
    const fill = async <T>(map: Map<number, T | null>, list: number[], load: (c: Context, id: number) => Promise<T | null>) => {
      const rows = await Promise.all(list.map((id) => load(chunkCtx, id)));
      list.forEach((id, i) => map.set(id, rows[i]));
    };
    await Promise.all([
      fill(related.enterprises, ids((r) => r.enterprises), loadEnterprise),
      fill(related.units, ids((r) => r.units), loadOrgUnit),
      fill(related.projects, ids((r) => r.projects), loadProject),
      fill(related.programs, ids((r) => r.programs), loadFundProgram),
    ]);
    return related;
  }
}

// ---------------------------------------------------------------------------------------------
// Specs

export interface ExportColumn<T> extends SheetColumn {
  /** The entity field the cell shows, when it is one: field rules are checked on it. */
  field?: keyof T & string;
  value: (row: T, related: Related) => CellValue;
}

interface ExportSpec<T extends { id: number }, F, O> {
  subject: string;
  title: string;
  query: (ctx: Context) => SelectQueryBuilder<T>;
  filter: (ctx: Context, qb: SelectQueryBuilder<T>, filter: F | null | undefined) => void;
  sort: (orderBy: O | null | undefined) => SortKey<T>;
  idColumn: string;
  refs: (row: T) => Refs;
  columns: ExportColumn<T>[];
}

const col = <T>(header: string, kind: CellKind, value: ExportColumn<T>['value'], extra: Partial<ExportColumn<T>> = {}): ExportColumn<T> => ({
  header,
  kind,
  value,
  ...extra,
});
/** A column showing the entity field of the same name. */
const fieldCol = <T>(header: string, kind: CellKind, field: keyof T & string, extra: Partial<ExportColumn<T>> = {}): ExportColumn<T> => ({
  header,
  kind,
  field,
  value: (row) => row[field] as CellValue,
  ...extra,
});

const unitName = (r: Related, id: number | null) => r.unit(id)?.name ?? null;

export const PROJECT_EXPORT: ExportSpec<Project, ProjectFilter, ProjectOrder> = {
  subject: 'Project',
  title: '技改项目',
  query: projectQuery,
  filter: applyProjectFilter,
  sort: projectSort,
  idColumn: 'p.id',
  refs: (p) => ({ enterprises: [p.enterpriseId], units: [p.territoryId, p.parkId] }),
  columns: [
    col('系统编号', 'text', (p) => toGlobalId('Project', p.id), { width: 18 }),
    fieldCol('项目名称', 'text', 'name', { width: 36 }),
    fieldCol('项目代码', 'text', 'projectCode', { width: 28 }),
    col('企业名称', 'text', (p, r) => r.enterprise(p.enterpriseId)?.name, { width: 30 }),
    col('统一社会信用代码', 'text', (p, r) => r.enterprise(p.enterpriseId)?.creditCode, { width: 22 }),
    col('属地', 'text', (p, r) => unitName(r, p.territoryId)),
    col('所在园区', 'text', (p, r) => unitName(r, p.parkId)),
    fieldCol('建设地点', 'text', 'site', { width: 24 }),
    fieldCol('行业代码', 'text', 'industryCode'),
    col('建设性质', 'text', (p) => labelOf(CONSTRUCTION_NATURE_LABELS, p.constructionNature), { field: 'constructionNature' }),
    col('技改方向', 'text', (p) => fromFlags(p.techniqueFlags, TECHNIQUES).map((t) => TECHNIQUE_LABELS[t]).join('、'), { field: 'techniqueFlags', width: 24 }),
    fieldCol('总投资（万元）', 'decimal', 'totalInvestment'),
    fieldCol('设备投资（万元）', 'decimal', 'equipmentInvestment'),
    fieldCol('计划开工', 'month', 'plannedStart'),
    fieldCol('计划竣工', 'month', 'plannedCompletion'),
    fieldCol('实际开工', 'month', 'actualStart'),
    fieldCol('实际竣工', 'month', 'actualCompletion'),
    col('重点级别', 'text', (p) => labelOf(KEY_LEVEL_LABELS, p.keyLevel), { field: 'keyLevel' }),
    fieldCol('储备批次', 'text', 'reserveBatch'),
    col('入库状态', 'text', (p) => labelOf(LIBRARY_STATUS_LABELS, p.libraryStatus), { field: 'libraryStatus' }),
    col('建设阶段', 'text', (p) => labelOf(STAGE_LABELS, p.stage), { field: 'stage' }),
    fieldCol('纳统时间', 'datetime', 'statsRegisteredAt', { width: 18 }),
  ],
};

const ENTERPRISE_SORTS: Record<EnterpriseOrderField, Omit<SortKey<Enterprise>, 'direction'>> = {
  ID: { column: 'e.id', valueOf: (e) => e.id },
  NAME: { column: 'e.name', valueOf: (e) => e.name },
  CREDIT_CODE: { column: 'e.creditCode', valueOf: (e) => e.creditCode },
};

export const ENTERPRISE_EXPORT: ExportSpec<Enterprise, EnterpriseFilter, EnterpriseOrder> = {
  subject: 'Enterprise',
  title: '企业',
  query: enterpriseQuery,
  filter: applyEnterpriseFilter,
  // The same orders as listEnterprises (enterprise.service.ts keeps its sort table private).
  sort: (o) => ({ ...ENTERPRISE_SORTS[o?.field ?? EnterpriseOrderField.ID], direction: o?.direction ?? OrderDirection.ASC }),
  idColumn: 'e.id',
  refs: (e) => ({ units: [e.territoryId] }),
  columns: [
    col('系统编号', 'text', (e) => toGlobalId('Enterprise', e.id), { width: 18 }),
    fieldCol('统一社会信用代码', 'text', 'creditCode', { width: 22 }),
    fieldCol('企业名称', 'text', 'name', { width: 30 }),
    fieldCol('行业代码', 'text', 'industryCode'),
    col('属地', 'text', (e, r) => unitName(r, e.territoryId)),
    col('企业规模', 'text', (e) => labelOf(SCALE_LABELS, e.scale), { field: 'scale' }),
    col('企业标签', 'text', (e) => fromFlags(e.tagFlags, ENTERPRISE_TAGS).map((t) => ENTERPRISE_TAG_LABELS[t]).join('、'), { field: 'tagFlags', width: 24 }),
    fieldCol('地址', 'text', 'address', { width: 30 }),
    fieldCol('联系人', 'text', 'contactName'),
    fieldCol('联系电话', 'text', 'contactPhone', { width: 16 }),
  ],
};

export const REPORT_EXPORT: ExportSpec<MonthlyReport, MonthlyReportFilter, MonthlyReportOrder> = {
  subject: 'MonthlyReport',
  title: '月报',
  query: reportQuery,
  filter: (_ctx, qb, f) => applyReportFilter(qb, f),
  sort: reportSort,
  idColumn: 'r.id',
  refs: (r) => ({ projects: [r.projectId], enterprises: [r.enterpriseId], units: [r.territoryId] }),
  columns: [
    col('系统编号', 'text', (r) => toGlobalId('MonthlyReport', r.id), { width: 18 }),
    fieldCol('填报月份', 'month', 'period'),
    col('项目名称', 'text', (r, rel) => rel.project(r.projectId)?.name, { width: 36 }),
    col('项目代码', 'text', (r, rel) => rel.project(r.projectId)?.projectCode, { width: 28 }),
    col('企业名称', 'text', (r, rel) => rel.enterprise(r.enterpriseId)?.name, { width: 30 }),
    col('属地', 'text', (r, rel) => unitName(rel, r.territoryId)),
    fieldCol('本月完成投资（万元）', 'decimal', 'monthInvestment'),
    fieldCol('累计完成投资（万元）', 'decimal', 'cumulativeInvestment'),
    fieldCol('形象进度（%）', 'decimal', 'progressPercent'),
    fieldCol('进展情况', 'text', 'progressText', { width: 40 }),
    fieldCol('存在问题', 'text', 'issues', { width: 40 }),
    col('状态', 'text', (r) => labelOf(REPORT_STATUS_LABELS, r.status), { field: 'status' }),
    fieldCol('报送时间', 'datetime', 'submittedAt', { width: 18 }),
  ],
};

const APPLICATION_SORTS: Record<FundApplicationOrderField, Omit<SortKey<FundApplication>, 'direction'>> = {
  ID: { column: 'fa.id', valueOf: (a) => a.id },
  REQUESTED_AMOUNT: { column: 'fa.requestedAmount', valueOf: (a) => a.requestedAmount },
};

export const FUND_APPLICATION_EXPORT: ExportSpec<FundApplication, FundApplicationFilter, FundApplicationOrder> = {
  subject: 'FundApplication',
  title: '资金申报',
  query: fundApplicationQuery,
  filter: (_ctx, qb, f) => applyFundApplicationFilter(qb, f),
  // The same orders as listFundApplications (fund.service.ts keeps its sort table private).
  sort: (o) => ({ ...APPLICATION_SORTS[o?.field ?? FundApplicationOrderField.ID], direction: o?.direction ?? OrderDirection.ASC }),
  idColumn: 'fa.id',
  refs: (a) => ({ programs: [a.programId], projects: [a.projectId], enterprises: [a.enterpriseId], units: [a.territoryId] }),
  columns: [
    col('系统编号', 'text', (a) => toGlobalId('FundApplication', a.id), { width: 18 }),
    col('资金项目', 'text', (a, r) => r.program(a.programId)?.name, { width: 30 }),
    col('项目名称', 'text', (a, r) => r.project(a.projectId)?.name, { width: 36 }),
    col('企业名称', 'text', (a, r) => r.enterprise(a.enterpriseId)?.name, { width: 30 }),
    col('属地', 'text', (a, r) => unitName(r, a.territoryId)),
    col('支持方式', 'text', (a) => labelOf(SUPPORT_FORM_LABELS, a.supportForm), { field: 'supportForm' }),
    fieldCol('申请金额（万元）', 'decimal', 'requestedAmount'),
    fieldCol('计算基数（万元）', 'decimal', 'basisAmount'),
    fieldCol('县区意见', 'text', 'countyOpinion', { width: 30 }),
    fieldCol('市级意见', 'text', 'cityOpinion', { width: 30 }),
    fieldCol('专家评分', 'decimal', 'expertScore'),
    fieldCol('专家意见', 'text', 'expertOpinion', { width: 30 }),
    fieldCol('拟分配金额（万元）', 'decimal', 'proposedAmount'),
    fieldCol('批准金额（万元）', 'decimal', 'approvedAmount'),
    fieldCol('已拨付金额（万元）', 'decimal', 'disbursedAmount'),
    col('状态', 'text', (a) => labelOf(FUND_APPLICATION_STATUS_LABELS, a.status), { field: 'status' }),
    fieldCol('提交时间', 'datetime', 'submittedAt', { width: 18 }),
  ],
};

const LAND_SORTS: Record<LandRequestOrderField, Omit<SortKey<LandRequest>, 'direction'>> = {
  ID: { column: 'lr.id', valueOf: (l) => l.id },
  AREA: { column: 'lr.areaMu', valueOf: (l) => l.areaMu },
};

export const LAND_REQUEST_EXPORT: ExportSpec<LandRequest, LandRequestFilter, LandRequestOrder> = {
  subject: 'LandRequest',
  title: '用地需求',
  query: landRequestQuery,
  filter: (_ctx, qb, f) => applyLandRequestFilter(qb, f),
  // The same orders as listLandRequests (land.service.ts keeps its sort table private).
  sort: (o) => ({ ...LAND_SORTS[o?.field ?? LandRequestOrderField.ID], direction: o?.direction ?? OrderDirection.ASC }),
  idColumn: 'lr.id',
  refs: (l) => ({ projects: [l.projectId], enterprises: [l.enterpriseId], units: [l.territoryId] }),
  columns: [
    col('系统编号', 'text', (l) => toGlobalId('LandRequest', l.id), { width: 18 }),
    col('项目名称', 'text', (l, r) => r.project(l.projectId)?.name, { width: 36 }),
    col('企业名称', 'text', (l, r) => r.enterprise(l.enterpriseId)?.name, { width: 30 }),
    col('属地', 'text', (l, r) => unitName(r, l.territoryId)),
    fieldCol('用地面积（亩）', 'decimal', 'areaMu'),
    fieldCol('用地性质', 'text', 'landUse'),
    fieldCol('用地位置', 'text', 'location', { width: 30 }),
    fieldCol('宗地编号', 'text', 'plotNo'),
    col('规划符合性', 'text', (l) => labelOf(PLAN_CONFORMITY_LABELS, l.planConformity), { field: 'planConformity' }),
    col('占用农用地', 'text', (l) => labelOf(FARMLAND_LABELS, l.farmlandType), { field: 'farmlandType' }),
    col('供地方式', 'text', (l) => labelOf(SUPPLY_METHOD_LABELS, l.supplyMethod), { field: 'supplyMethod' }),
    fieldCol('投资强度（万元/亩）', 'decimal', 'investmentIntensity'),
    fieldCol('亩均税收（万元/亩·年）', 'decimal', 'taxPerMu'),
    fieldCol('容积率', 'decimal', 'plotRatio'),
    fieldCol('预计用地时间', 'month', 'expectedDate'),
    fieldCol('成交价（万元）', 'decimal', 'dealPrice'),
    fieldCol('合同编号', 'text', 'contractNo'),
    fieldCol('交地日期', 'text', 'deliveredOn'),
    col('状态', 'text', (l) => labelOf(LAND_STATUS_LABELS, l.status), { field: 'status' }),
  ],
};

// ---------------------------------------------------------------------------------------------
// Running an export

const stamp = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');

let parameterSeq = 0;

export async function exportList<T extends { id: number }, F, O>(
  ctx: Context,
  spec: ExportSpec<T, F, O>,
  filter: F | null | undefined,
  orderBy: O | null | undefined,
  format: SheetFormat,
  limits: { maxRows: number; chunk: number } = { maxRows: MAX_EXPORT_ROWS, chunk: CHUNK },
): Promise<ExportedFile> {
  const { maxRows, chunk } = limits;
  const qb = spec.query(ctx);
  spec.filter(ctx, qb, filter);
  const total = await qb.clone().getCount();
  if (total > maxRows) {
    throw new AppError('BAD_USER_INPUT', `An export holds at most ${maxRows} rows and this one would hold ${total}; narrow the filter`, {
      field: 'filter',
      rowCount: total,
      limit: maxRows,
    });
  }

  const permissions = ctx.viewer!.permissions;
  // Which columns need the per-row field check (the field-guard rule: only @Sensitive fields, only if some rule names fields).
  const guarded = spec.columns.map((c) => Boolean(c.field && isSensitiveField(spec.subject, c.field) && permissions.restrictsFields(spec.subject)));
  // Cell styles cost exceljs about three times the work per cell; a large export goes without them
  // (only the header's bold is lost) so that it stays well within the request time limit.
  const sink = sinkFor(format, spec.columns, spec.title, { styled: total <= STYLED_ROWS });
  const sort = spec.sort(orderBy);
  const op = sort.direction === 'ASC' ? '>' : '<';
  let after: [string | number, number] | null = null;
  let written = 0;
  for (;;) {
    const page = qb.clone();
    if (after) {
      const v = `xv${++parameterSeq}`;
      const i = `xi${parameterSeq}`;
      page.andWhere(`(${sort.column} ${op} :${v} OR (${sort.column} = :${v} AND ${spec.idColumn} ${op} :${i}))`, { [v]: after[0], [i]: after[1] });
    }
    const rows = await readRows(page.orderBy(sort.column, sort.direction).addOrderBy(spec.idColumn, sort.direction).limit(chunk));
    const related = await Related.load(ctx, rows.map(spec.refs));
    for (const row of rows) {
      sink.add(spec.columns.map((c, k) => (guarded[k] && !permissions.can('read', spec.subject, row, c.field) ? null : c.value(row, related))));
    }
    written += rows.length;
    // Rows added while the export runs could push it past the cap; stop there rather than grow without bound.
    if (rows.length < chunk || written >= maxRows) break;
    const last = rows[rows.length - 1];
    after = [sort.valueOf(last), last.id];
  }

  const file = await sink.finish();
  return {
    filename: `${spec.title}-${stamp()}.${format === SheetFormat.CSV ? 'csv' : 'xlsx'}`,
    contentType: CONTENT_TYPES[format],
    base64: file.toString('base64'),
    rowCount: written,
    byteLength: file.length,
  };
}
