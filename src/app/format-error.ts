/**
 * What a client sees of an error. Known codes pass through with their message and extensions
 * (minus anything internal); everything else is logged with the request id and replaced by a
 * generic INTERNAL_SERVER_ERROR, so no SQL, stack trace or host name reaches a client.
 */
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger';

const PUBLIC_CODES = new Set<string>([
  'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'INVALID_TRANSITION', 'QUERY_TOO_COMPLEX',
  'RATE_LIMITED', 'SERVICE_UNAVAILABLE',
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED, ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_REQUEST, ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND, ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
]);

export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // graphql-js stops parsing at parseOptions.maxTokens with a syntax error ("more that N tokens"); it is a query limit.
    const tooManyTokens = /contains more th\w+ (\d+) tokens/.exec(formatted.message);
    if (tooManyTokens) {
      return { message: `Query has more than ${tooManyTokens[1]} tokens`, extensions: { code: 'QUERY_TOO_COMPLEX', limit: Number(tooManyTokens[1]) } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
      const { stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
      // Variable coercion errors name the offending path only in their message: give it as `field` too.
      const at = code === 'BAD_USER_INPUT' && !extensions.field ? /at "(?:input\.)?([^"]+)"/.exec(formatted.message) : null;
      if (at) extensions.field = at[1];
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
    }
    const original = unwrapResolverError(error);
    if (isDatabaseUnavailable(original)) {
      logger.warn('database unavailable', { error: original instanceof Error ? original.message : String(original), path: formatted.path });
      return { message: 'The database is unavailable; try again shortly', path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
    }
    logger.error('unhandled error', {
      error: original instanceof Error ? { name: original.name, message: original.message, stack: original.stack } : String(original),
      path: formatted.path,
    });
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/** Driver errors that mean "cannot reach the database" rather than "this query is wrong". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'SQLITE_BUSY', 'SQLITE_CANTOPEN',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as any, depth = 0; e && depth < 5; e = e.originalError ?? e.driverError ?? e.cause, depth++) {
    const message = String(e.message);
    if (
      UNAVAILABLE_CODES.has(e.code) || e.fatal === true || e.name === 'ConnectionIsNotSetError' ||
      /connection (is )?(closed|lost)|pool is closed|not initialized|database connection is not open/i.test(message) ||
      [...UNAVAILABLE_CODES].some((code) => message.includes(code))
    ) {
      return true;
    }
  }
  return false;
}
