/**
 * Exact decimal arithmetic for money (万元) and areas (亩).
 *
 * Values travel as canonical strings ("1200", "12.5", "-0.0001"); arithmetic is done on BigInt
 * units of 10^-SCALE so no float ever touches an amount. MySQL DECIMAL columns hand us strings;
 * SQLite hands back numbers, which are exact for the ≤ 13 significant digits our columns allow.
 */
import { ValueTransformer } from 'typeorm';

export const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

export class DecimalFormatError extends Error {}

/** Parses a decimal string; throws DecimalFormatError if it is not a plain decimal or has too many fraction digits. */
export function toUnits(value: string | number): bigint {
  const text = typeof value === 'number' ? numberToText(value) : value.trim();
  if (!DECIMAL_TEXT.test(text)) throw new DecimalFormatError(`"${value}" is not a decimal number`);
  const negative = text.startsWith('-');
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length > SCALE) throw new DecimalFormatError(`"${value}" has more than ${SCALE} decimal places`);
  const units = BigInt(whole) * FACTOR + BigInt(trimmed.padEnd(SCALE, '0') || '0');
  return negative ? -units : units;
}

function numberToText(value: number): string {
  if (!Number.isFinite(value)) throw new DecimalFormatError(`${value} is not a decimal number`);
  // Round away binary noise at our scale (SQLite returns REAL for NUMERIC columns).
  return value.toFixed(SCALE);
}

/** Canonical text: no trailing zeros, no trailing dot, no "-0". */
export function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const whole = abs / FACTOR;
  const fraction = (abs % FACTOR).toString().padStart(SCALE, '0').replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : `${whole}`;
  return negative && abs !== 0n ? `-${text}` : text;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Canonical text of plain decimal text of our scale (as MySQL returns DECIMAL columns, e.g.
 * "686.0000"), or null if `s` is not such text. A scan, not a regex: this runs on every money value
 * read and again when it is serialised, and an already canonical string comes back as itself.
 */
function canonicalPlain(s: string): string | null {
  const n = s.length;
  let i = s.charCodeAt(0) === 45 ? 1 : 0; // "-"
  const intStart = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  if (i === intStart || (i - intStart > 1 && s.charCodeAt(intStart) === 48)) return null; // no digits, or a leading zero
  let end = i;
  if (i < n) {
    if (s.charCodeAt(i) !== 46) return null; // "."
    const fractionStart = ++i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i !== n || i === fractionStart || i - fractionStart > SCALE) return null;
    end = n;
    while (end > fractionStart && s.charCodeAt(end - 1) === 48) end--;
    if (end === fractionStart) end--; // no fraction left: drop the point too
  }
  const text = end === n ? s : s.slice(0, end);
  return text === '-0' ? '0' : text;
}

/** Canonical text; plain decimal text takes a string-only fast path (this runs on every money field read). */
export const normalizeDecimal = (value: string | number): string =>
  (typeof value === 'string' ? canonicalPlain(value) : null) ?? fromUnits(toUnits(value));

export function addDecimals(...values: (string | number)[]): string {
  return fromUnits(values.reduce<bigint>((sum, v) => sum + toUnits(v), 0n));
}

export function compareDecimals(a: string | number, b: string | number): -1 | 0 | 1 {
  const d = toUnits(a) - toUnits(b);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

/** a × b, rounded half-up to SCALE places. */
export function multiplyDecimals(a: string | number, b: string | number): string {
  const product = toUnits(a) * toUnits(b);
  const half = product >= 0n ? FACTOR / 2n : -FACTOR / 2n;
  return fromUnits((product + half) / FACTOR);
}

/** TypeORM transformer for DECIMAL columns: canonical strings in the entity, whatever the driver returns. */
export const decimalTransformer: ValueTransformer = {
  to: (value: string | null | undefined) => (value === null || value === undefined ? value : normalizeDecimal(value)),
  from: (value: string | number | null) => (value === null || value === undefined ? null : normalizeDecimal(value)),
};

/** a ÷ an integer divisor, rounded half-up to SCALE places. */
export function divideDecimalByInteger(a: string | number, divisor: number): string {
  if (!Number.isInteger(divisor) || divisor <= 0) throw new DecimalFormatError(`cannot divide by ${divisor}`);
  const units = toUnits(a);
  const d = BigInt(divisor);
  const sign = units < 0n ? -1n : 1n;
  const abs = units * sign;
  return fromUnits(sign * ((abs * 2n + d) / (2n * d)));
}
