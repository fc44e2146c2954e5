/** Reading and writing the spreadsheets the excel tests exchange with the server, independently of the server's own reader. */
import ExcelJS from 'exceljs';

export type Cell = string | number | Date | null;

/** Every sheet row as an array of cell values (1-based Excel rows → index 0 is the header). */
export async function xlsxRows(base64: string, sheetName?: string): Promise<Cell[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(base64, 'base64') as never);
  const sheet = sheetName ? workbook.getWorksheet(sheetName)! : workbook.worksheets[0];
  const rows: Cell[][] = [];
  const columns = sheet.columnCount; // computed over every row on each read: read it once
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const values: Cell[] = [];
    for (let c = 1; c <= columns; c++) {
      const v = row.getCell(c).value;
      values.push(v === undefined ? null : (v as Cell));
    }
    rows[n - 1] = values;
  });
  // Rows that only carry formats or data validations (templates prepare some) hold no data.
  while (rows.length && rows[rows.length - 1].every((v) => v === null)) rows.pop();
  return rows;
}

export async function xlsxSheetNames(base64: string): Promise<string[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(base64, 'base64') as never);
  return workbook.worksheets.map((w) => w.name);
}

/** An RFC 4180 parser (quoted fields, doubled quotes, CRLF), for checking what the server wrote. */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Fills a downloaded template: `edit` gets the sheet and the header → column number map, and
 * returns nothing; the workbook comes back base64-encoded.
 */
export async function editWorkbook(base64: string, sheetName: string, edit: (sheet: ExcelJS.Worksheet, col: (header: string) => number) => void): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(base64, 'base64') as never);
  const sheet = workbook.getWorksheet(sheetName)!;
  const headers = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, n) => headers.set(String(cell.value), n));
  edit(sheet, (header) => {
    const n = headers.get(header);
    if (!n) throw new Error(`no column ${header}`);
    return n;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
}

/** A workbook with one sheet of the given rows (the first is the header). */
export async function workbookOf(sheetName: string, rows: (string | number | null)[][]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
}
