/**
 * Spreadsheet formats: typed cells, an XLSX writer that streams rows (exceljs), an RFC 4180 CSV
 * writer, and the XLSX reader for imports.
 *
 * Constraints:
 *  - Text that a spreadsheet would take for a formula (starting with = + - @, or a tab or carriage
 *    return) gets a leading apostrophe, in CSV and XLSX alike ("formula injection": a project name
 *    like `=HYPERLINK(...)` must stay text on every reviewer's machine). Numbers, months and dates
 *    are typed cells and are never prefixed.
 *  - CSV is UTF-8 with a byte-order mark (Excel otherwise opens Chinese as mojibake), CRLF line
 *    ends, and fields quoted when they hold a comma, quote or line break (quotes doubled).
 *  - Times are written as text in China Standard Time, where the users are; spreadsheets have no zones.
 */
import type ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { normalizeDecimal } from '../../core/db/decimal';
import { assertZipWithinLimits } from './zip-limits';

export type CellKind = 'text' | 'decimal' | 'int' | 'month' | 'datetime';
export type CellValue = string | number | Date | null | undefined;

export interface SheetColumn {
  header: string;
  kind: CellKind;
  width?: number;
}

export enum SheetFormat {
  XLSX = 'XLSX',
  CSV = 'CSV',
}

export const CONTENT_TYPES: Record<SheetFormat, string> = {
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  CSV: 'text/csv; charset=utf-8',
};

const FORMULA_START = /^[=+\-@\t\r]/;

/** Text as a spreadsheet will show it, never as a formula. */
export const neutralizeFormula = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

const CST_OFFSET_MS = 8 * 3600 * 1000;

/** "YYYY-MM-DD HH:mm:ss" in China Standard Time. */
export const formatCst = (d: Date): string => new Date(d.getTime() + CST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');

function xlsxCell(kind: CellKind, value: CellValue): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null;
  switch (kind) {
    case 'decimal':
    case 'int':
      // Amounts have at most 13 significant digits (DECIMAL(14,4) and smaller), exact in a double.
      return typeof value === 'number' ? value : Number(value);
    default:
      // Times as Beijing-time text ("2026-05-14 10:30:00"), which sorts as it reads and needs no
      // cell style (large exports are written without styles).
      return neutralizeFormula(value instanceof Date ? formatCst(value) : String(value));
  }
}

function csvText(kind: CellKind, value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (kind === 'decimal') return typeof value === 'number' ? String(value) : normalizeDecimal(value as string);
  if (kind === 'int') return String(value);
  if (value instanceof Date) return formatCst(value);
  return neutralizeFormula(String(value));
}

const csvField = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** A sheet being written row by row. */
export interface SheetSink {
  add(values: CellValue[]): void;
  /** The finished file. */
  finish(): Promise<Buffer>;
}

export class CsvSink implements SheetSink {
  private readonly parts: string[] = ['\uFEFF'];

  constructor(private readonly columns: SheetColumn[]) {
    this.parts.push(columns.map((c) => csvField(neutralizeFormula(c.header))).join(',') + '\r\n');
  }

  add(values: CellValue[]): void {
    this.parts.push(this.columns.map((c, i) => csvField(csvText(c.kind, values[i]))).join(',') + '\r\n');
  }

  async finish(): Promise<Buffer> {
    return Buffer.from(this.parts.join(''), 'utf8');
  }
}

/**
 * exceljs, loaded on first use: it holds ~8 MiB of heap, a fifth of what the server keeps alive,
 * and most server processes never read or write a spreadsheet.
 */
let excelJs: typeof ExcelJS | undefined;
const excel = (): typeof ExcelJS => (excelJs ??= require('exceljs') as typeof ExcelJS);

/** An empty in-memory workbook (templates, uploads). */
export const newWorkbook = (): ExcelJS.Workbook => new (excel().Workbook)();

/** Streams rows into an XLSX file held in memory (the rows are not kept as objects). */
export class XlsxSink implements SheetSink {
  private readonly chunks: Buffer[] = [];
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly sheet: ExcelJS.Worksheet;

  constructor(private readonly columns: SheetColumn[], sheetName: string, { styled = true } = {}) {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.workbook = new (excel().stream.xlsx.WorkbookWriter)({ stream, useStyles: styled, useSharedStrings: false });
    this.workbook.creator = 'techtransform';
    this.workbook.created = new Date();
    this.sheet = this.workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
    this.sheet.columns = columns.map((c, i) => ({ key: `c${i}`, width: c.width ?? Math.max(10, Math.min(40, c.header.length * 2 + 2)) }));
    const header = this.sheet.addRow(columns.map((c) => neutralizeFormula(c.header)));
    header.font = { bold: true };
    header.commit();
    this.sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  }

  add(values: CellValue[]): void {
    this.sheet.addRow(this.columns.map((c, i) => xlsxCell(c.kind, values[i]))).commit();
  }

  async finish(): Promise<Buffer> {
    this.sheet.commit();
    await this.workbook.commit();
    return Buffer.concat(this.chunks);
  }
}

export function sinkFor(format: SheetFormat, columns: SheetColumn[], sheetName: string, options: { styled?: boolean } = {}): SheetSink {
  return format === SheetFormat.CSV ? new CsvSink(columns) : new XlsxSink(columns, sheetName, options);
}

/** A typed cell for an in-memory workbook (templates). */
export const templateCell = xlsxCell;

// ---------------------------------------------------------------------------------------------
// Reading

export class UnreadableWorkbook extends Error {}

/** Parses an uploaded XLSX after checking what it expands to. */
export async function readWorkbook(file: Buffer): Promise<ExcelJS.Workbook> {
  try {
    assertZipWithinLimits(file);
  } catch (e) {
    throw new UnreadableWorkbook(e instanceof Error ? e.message : 'not an XLSX file');
  }
  const workbook = newWorkbook();
  try {
    await workbook.xlsx.load(file as never);
  } catch {
    throw new UnreadableWorkbook('not an XLSX file');
  }
  return workbook;
}

/** A cell's date as exceljs reads it: the sheet's wall-clock time in UTC fields. */
const wallClock = (d: Date) => d.toISOString();

/**
 * The text a user sees in a cell, trimmed; '' when empty. Numbers keep their shortest exact
 * representation (so 0.1 stays "0.1"); a formula cell gives its computed result; a date gives
 * "YYYY-MM-DD" (or with the time when it has one).
 */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  // 15 significant digits drop binary noise from formulas (0.1 + 0.2 → 0.3); typed numbers are unchanged.
  if (typeof value === 'number') return Number.isFinite(value) ? String(Number(value.toPrecision(15))) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    const iso = wallClock(value);
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('').trim();
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: ExcelJS.CellValue }).result;
      return result === undefined || (typeof result === 'object' && result !== null && 'error' in result) ? '' : cellText(result);
    }
    if ('text' in value && typeof (value as { text: unknown }).text === 'string') return (value as { text: string }).text.trim();
    if ('error' in value) return '';
  }
  return String(value).trim();
}

/** Undoes the apostrophe this platform puts before formula-like text, so an exported value imports as itself. */
export const importedText = (text: string): string => (/^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text);
