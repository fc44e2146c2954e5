/**
 * Typed errors. Each carries the `extensions.code` clients switch on; anything that is not one
 * of these is masked by format-error as INTERNAL_SERVER_ERROR and logged.
 */
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'INVALID_TRANSITION'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE';

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

export const unauthenticated = (message = 'Authentication required') => new AppError('UNAUTHENTICATED', message);
export const forbidden = (message = 'Not allowed') => new AppError('FORBIDDEN', message);
/** Also used for rows the viewer may not read: existence is never leaked. */
export const notFound = (what = 'Record', id?: string) =>
  new AppError('NOT_FOUND', `${what} not found`, id === undefined ? {} : { id });
export const badInput = (field: string, message: string) => new AppError('BAD_USER_INPUT', message, { field });
export const conflict = (message: string, extensions: Record<string, unknown> = {}) => new AppError('CONFLICT', message, extensions);
export const invalidTransition = (message: string, extensions: Record<string, unknown>) =>
  new AppError('INVALID_TRANSITION', message, extensions);
