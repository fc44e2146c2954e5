/**
 * Deny by default: every query and mutation declares what it needs with exactly one of these
 * decorators. `operationRequirements` is read by the guard test (an undeclared operation fails
 * the build) and by the committed permission snapshot.
 */
import { MiddlewareFn, UseMiddleware } from 'type-graphql';
import { AppError, forbidden, unauthenticated } from '../errors';
import type { Context } from '../../app/context';

export type Requirement =
  | { kind: 'public' }
  | { kind: 'viewer'; allowTemporaryPassword?: boolean }
  | { kind: 'can'; action: string; subject: string };

/** "ClassName.methodName" → requirement. */
export const operationRequirements = new Map<string, Requirement>();

export function describeRequirement(r: Requirement): string {
  if (r.kind === 'can') return `can ${r.action} ${r.subject}`;
  return r.kind === 'viewer' && r.allowTemporaryPassword ? 'viewer, even with a temporary password' : r.kind;
}

function declare(requirement: Requirement, guard: MiddlewareFn<Context> | null): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    const key = `${target.constructor.name}.${String(propertyKey)}`;
    if (operationRequirements.has(key)) throw new Error(`${key} declares its permission twice`);
    operationRequirements.set(key, requirement);
    if (guard) UseMiddleware(guard)(target, propertyKey, descriptor);
  };
}

/** The signed-in viewer; a user whose password was reset must change it before doing anything else. */
function viewerOrThrow(context: Context, allowTemporaryPassword = false) {
  if (!context.viewer) throw context.authError ?? unauthenticated();
  if (context.viewer.user.mustChangePassword && !allowTemporaryPassword) {
    throw new AppError('FORBIDDEN', 'Your password was reset: change it with changePassword first', { reason: 'PASSWORD_CHANGE_REQUIRED' });
  }
  return context.viewer;
}

/** Open to anyone, signed in or not (login, token refresh). */
export const Public = (): MethodDecorator => declare({ kind: 'public' }, null);

/**
 * Any signed-in user; what they see is still scoped by their rules inside the service.
 * `allowTemporaryPassword` for the few operations a user with a reset password needs (me,
 * changePassword, logout).
 */
export const RequireViewer = ({ allowTemporaryPassword = false } = {}): MethodDecorator =>
  declare({ kind: 'viewer', allowTemporaryPassword }, ({ context }, next) => {
    viewerOrThrow(context, allowTemporaryPassword);
    return next();
  });

/**
 * The viewer's rules must allow `action` on some `subject` rows. Which rows is decided in the
 * service through the scoped query path; this only turns away viewers with no such rule at all.
 */
export const Can = (action: string, subject: string): MethodDecorator =>
  declare({ kind: 'can', action, subject }, ({ context }, next) => {
    if (!viewerOrThrow(context).permissions.can(action, subject)) throw forbidden(`Your roles do not allow ${action} on ${subject}`);
    return next();
  });
