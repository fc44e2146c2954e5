/** Custom scalars: Decimal (exact, serialised as a string) and Month ("YYYY-MM"). */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DecimalFormatError, normalizeDecimal } from '../db/decimal';

function parseDecimal(value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new GraphQLError('Decimal must be a string such as "1200.50"', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  try {
    return normalizeDecimal(value);
  } catch (e) {
    const reason = e instanceof DecimalFormatError ? e.message : 'not a decimal number';
    throw new GraphQLError(`Invalid Decimal: ${reason}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number serialised as a string, e.g. "1200.5". Money is in 万元 (10,000 yuan), areas in 亩.',
  serialize: (value) => parseDecimal(value),
  parseValue: parseDecimal,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return parseDecimal(ast.value);
    throw new GraphQLError('Decimal must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
function parseMonth(value: unknown): string {
  if (typeof value !== 'string' || !MONTH.test(value) || Number(value.slice(0, 4)) < 1990 || Number(value.slice(0, 4)) > 2100) {
    throw new GraphQLError('Month must be "YYYY-MM" between 1990 and 2100', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

export const MonthScalar = new GraphQLScalarType({
  name: 'Month',
  description: 'A calendar month, "YYYY-MM".',
  serialize: (value) => value,
  parseValue: parseMonth,
  parseLiteral: (ast) => parseMonth(ast.kind === Kind.STRING ? ast.value : undefined),
});
