/**
 * What every spreadsheet import shares: decoding the upload, finding the template's columns by
 * their Chinese headers, collecting errors per row and column, and running all writes in ONE
 * transaction that commits only if every row is valid.
 *
 * Joining the modules' writes: the import opens one transaction and calls the services
 * (saveMonthlyReport, createProject, …) with a context that carries it, so each service's own
 * transaction becomes a SAVEPOINT inside ours (core/db/transaction). A failing row rolls back to its
 * savepoint and the import goes on checking the next rows; at the end, any error rolls the whole
 * transaction back, so either every row is written or none is.
 *
 * Time: a request unanswered after REQUEST_TIMEOUT_MS is answered 503 while its work goes on; an
 * import that would still commit after that would surprise the user who was told it failed. So
 * the import stops (and rolls back) with SERVICE_UNAVAILABLE before that deadline.
 */
import type ExcelJS from 'exceljs';
import { EntityManager } from 'typeorm';
import type { Context } from '../../app/context';
import { inTransaction } from '../../core/db/transaction';
import { AppError, badInput } from '../../core/errors';
import { cellText, importedText, readWorkbook, UnreadableWorkbook } from './sheet-format';

/**
 * Rows per import: all of them are written in one transaction inside one request. Each row is a
 * saveMonthlyReport call (14 statements); 1,000 rows took about 5 s on MariaDB and 3 s on SQLite
 * here, well inside the 15 s default request limit.
 */
export const MAX_IMPORT_ROWS = 1000;
/** Errors returned at most (the count is always given). */
const MAX_REPORTED_ERRORS = 500;
/**
 * The HTTP body limit is 1 MiB (src/app/http.ts) and the file travels base64-encoded in JSON
 * (4 bytes per 3), so an uploaded workbook can be at most about 760 KB; we say 700 KB to users.
 */
export const MAX_FILE_BYTES = 760 * 1024;

export interface RowError {
  /** The row number as the spreadsheet shows it (the header is row 1). */
  row: number;
  /** The column's Chinese header, or null when the problem is the whole row. */
  column: string | null;
  message: string;
}

export class RowErrors {
  readonly list: RowError[] = [];
  private readonly rows = new Set<number>();

  add(row: number, column: string | null, message: string): void {
    this.list.push({ row, column, message });
    this.rows.add(row);
  }

  has(row: number): boolean {
    return this.rows.has(row);
  }

  get size(): number {
    return this.list.length;
  }
}

/** The BAD_USER_INPUT answer: { field: 'input.file', rows: [{ row, column, message }], errorCount }. */
export function rowErrorsError(errors: RowError[]): AppError {
  const sorted = [...errors].sort((a, b) => a.row - b.row);
  const rows = new Set(sorted.map((e) => e.row)).size;
  return new AppError('BAD_USER_INPUT', `${rows} 行有错误，未导入任何数据（${rows} row(s) have errors; nothing was imported）`, {
    field: 'input.file',
    rows: sorted.slice(0, MAX_REPORTED_ERRORS),
    errorCount: sorted.length,
  });
}

const fileError = (message: string, column: string | null = null, row = 1) => rowErrorsError([{ row, column, message }]);

export function decodeFileOrThrow(base64: string): Buffer {
  const text = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) throw badInput('input.file', 'file must be the XLSX file encoded as base64');
  const file = Buffer.from(text, 'base64');
  if (file.length === 0) throw badInput('input.file', 'file is empty');
  if (file.length > MAX_FILE_BYTES) throw badInput('input.file', `file must be at most ${Math.floor(MAX_FILE_BYTES / 1024)} KB`);
  return file;
}

// ---------------------------------------------------------------------------------------------
// Reading the template's table

export interface ImportColumn {
  key: string;
  header: string;
  required?: boolean;
}

export interface DataRow {
  /** Excel's row number. */
  row: number;
  get(key: string): string;
}

/** Header text compared loosely: no spaces or required marks, full- and half-width brackets alike. */
const headerKey = (text: string) =>
  text.replace(/[\s*＊]/g, '').replace(/（/g, '(').replace(/）/g, ')').replace(/％/g, '%').toLowerCase();

/**
 * The data rows of the sheet named `sheetName` (or the first sheet), with cells looked up by
 * column key. Columns are found by header, in any order; unknown columns are ignored; a missing
 * required column, an unreadable file or too many rows is an error at row 1.
 */
export async function readTableOrThrow(file: Buffer, sheetName: string, columns: ImportColumn[]): Promise<DataRow[]> {
  let workbook: ExcelJS.Workbook;
  try {
    workbook = await readWorkbook(file);
  } catch (e) {
    if (e instanceof UnreadableWorkbook) throw fileError(`无法读取文件：请上传从平台下载的 XLSX 模板（${e.message}）`);
    throw e;
  }
  const sheet = workbook.getWorksheet(sheetName) ?? workbook.worksheets[0];
  if (!sheet) throw fileError('文件中没有工作表');

  const positions = new Map<string, number>();
  const header = sheet.getRow(1);
  header.eachCell((cell, colNumber) => {
    const key = headerKey(cellText(cell.value));
    const column = columns.find((c) => headerKey(c.header) === key);
    if (column && !positions.has(column.key)) positions.set(column.key, colNumber);
  });
  const missing = columns.filter((c) => c.required && !positions.has(c.key));
  if (missing.length) {
    throw rowErrorsError(missing.map((c) => ({ row: 1, column: c.header, message: `缺少“${c.header}”列，请使用平台下载的模板` })));
  }

  const rows: DataRow[] = [];
  let tooMany = false;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1 || tooMany) return;
    const values = new Map<string, string>();
    for (const [key, colNumber] of positions) values.set(key, importedText(cellText(row.getCell(colNumber).value)));
    if ([...values.values()].every((v) => v === '')) return;
    if (rows.length >= MAX_IMPORT_ROWS) {
      tooMany = true;
      return;
    }
    rows.push({ row: rowNumber, get: (key) => values.get(key) ?? '' });
  });
  if (tooMany) throw fileError(`一次最多导入 ${MAX_IMPORT_ROWS} 行，请拆分文件`);
  if (rows.length === 0) throw fileError('文件中没有数据行');
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Cell parsers: each returns the value or records an error and returns undefined

const MONTH_FORMS: RegExp[] = [/^(\d{4})[-/.年](\d{1,2})月?$/, /^(\d{4})-(\d{2})-01$/, /^(\d{4})(\d{2})$/];

/** "YYYY-MM" from "2026-03", "2026/3", "2026年3月", a date cell ("2026-03-01") or 202603. */
export function parseMonth(text: string): string | null {
  for (const form of MONTH_FORMS) {
    const m = form.exec(text);
    if (!m) continue;
    const year = Number(m[1]);
    const month = Number(m[2]);
    if (year < 1990 || year > 2100 || month < 1 || month > 12) return null;
    return `${year}-${String(month).padStart(2, '0')}`;
  }
  return null;
}

/** A plain decimal ("1200", "12.5", "1,200.50"), or null. */
export function parseDecimalText(text: string): string | null {
  const t = text.replace(/,/g, '');
  return /^-?\d+(\.\d+)?$/.test(t) ? t : null;
}

// ---------------------------------------------------------------------------------------------
// One transaction for all rows

class DryRunRollback<R> extends Error {
  constructor(readonly result: R) {
    super('dry run');
  }
}

/** A data source whose every path leads into `m`'s transaction (see the header). */
export interface ImportRun {
  /** The context to call services with: their writes join the import's transaction (core/db/transaction). */
  tx: Context;
  m: EntityManager;
  errors: RowErrors;
  /** Throws SERVICE_UNAVAILABLE (rolling back) once the request is close to its time limit. */
  checkTime(): void;
}

/**
 * Runs `apply` in one transaction; commits only if it recorded no row error and this is not a dry
 * run. A dry run checks every row exactly as a real import would, writes included, then rolls back.
 */
export async function inOneTransaction<R>(ctx: Context, dryRun: boolean, apply: (run: ImportRun) => Promise<R>): Promise<R> {
  // The request's clock started a little before the resolver; keep a margin for the commit and the answer.
  const deadline = Date.now() + Math.max(1000, ctx.config.requestTimeoutMs - 2500);
  try {
    return await inTransaction(ctx, async (m) => {
      const run: ImportRun = {
        tx: { ...ctx, transaction: m, loaders: new Map() },
        m,
        errors: new RowErrors(),
        checkTime() {
          if (Date.now() > deadline) {
            throw new AppError('SERVICE_UNAVAILABLE', '导入耗时过长，未导入任何数据，请拆分文件后重试 (the import took too long; nothing was imported)');
          }
        },
      };
      const result = await apply(run);
      if (run.errors.size) throw rowErrorsError(run.errors.list);
      run.checkTime();
      if (dryRun) throw new DryRunRollback(result);
      return result;
    });
  } catch (e) {
    if (e instanceof DryRunRollback) return e.result as R;
    throw e;
  }
}

/**
 * Runs one row's service call. An AppError (the service refused the row) is recorded against the
 * row and the import goes on; anything else is not about the row and ends the import.
 */
export async function applyRow<T>(
  run: ImportRun,
  row: number,
  explain: (e: AppError) => { column: string | null; message: string },
  call: () => Promise<T>,
): Promise<T | undefined> {
  run.checkTime();
  try {
    return await call();
  } catch (e) {
    if (!(e instanceof AppError) || e.code === 'SERVICE_UNAVAILABLE') throw e;
    const { column, message } = explain(e);
    run.errors.add(row, column, message);
    return undefined;
  }
}
