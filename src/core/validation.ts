/**
 * Input checks shared by every mutation. Each throws BAD_USER_INPUT naming the offending field, before
 * anything is written.
 */
import { compareDecimals } from './db/decimal';
import { badInput } from './errors';

/** 10^9 万元: no real project comes near, and SQLite keeps every amount below it exact. */
export const MAX_AMOUNT = '999999999.9999';
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function textOrThrow(field: string, value: string, max: number, { min = 1 } = {}): string {
  const text = value.trim();
  if (text.length < min) throw badInput(field, `${field} must not be empty`);
  if (text.length > max) throw badInput(field, `${field} must be at most ${max} characters`);
  if (CONTROL_CHARS.test(text)) throw badInput(field, `${field} must not contain control characters`);
  return text;
}

export function optionalTextOrThrow(field: string, value: string | null | undefined, max: number): string | null | undefined {
  if (value === undefined || value === null) return value;
  const text = value.trim();
  return text === '' ? null : textOrThrow(field, text, max);
}

/** A non-negative amount below MAX_AMOUNT (the Decimal scalar has already checked the format). */
export function amountOrThrow(field: string, value: string, { allowZero = true } = {}): string {
  if (compareDecimals(value, 0) < 0 || (!allowZero && compareDecimals(value, 0) === 0)) {
    throw badInput(field, `${field} must be ${allowZero ? 'zero or more' : 'more than zero'}`);
  }
  if (compareDecimals(value, MAX_AMOUNT) > 0) throw badInput(field, `${field} must be below 1,000,000,000 万元`);
  return value;
}

export function patternOrThrow(field: string, value: string, pattern: RegExp, description: string): string {
  const text = value.trim();
  if (!pattern.test(text)) throw badInput(field, `${field} must be ${description}`);
  return text;
}

/** The current month "YYYY-MM" (China Standard Time, where the reporting calendar lives). */
export function currentMonth(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 7);
}
