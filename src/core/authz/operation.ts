/**
 * Deny by default: every query and mutation declares what it needs with exactly one of these
 * decorators. `operationRequirements` is read by the guard test (an undeclared operation fails
 * the build) and by the committed permission snapshot.
 */
import { MiddlewareFn, UseMiddleware } from 'type-graphql';
import { forbidden, unauthenticated } from '../errors';
import type { Context } from '../../app/context';

export type Requirement = { kind: 'public' } | { kind: 'viewer' } | { kind: 'can'; action: string; subject: string };

/** "ClassName.methodName" → requirement. */
export const operationRequirements = new Map<string, Requirement>();

export function describeRequirement(r: Requirement): string {
  return r.kind === 'can' ? `can ${r.action} ${r.subject}` : r.kind;
}

function declare(requirement: Requirement, guard: MiddlewareFn<Context> | null): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    const key = `${target.constructor.name}.${String(propertyKey)}`;
    if (operationRequirements.has(key)) throw new Error(`${key} declares its permission twice`);
    operationRequirements.set(key, requirement);
    if (guard) UseMiddleware(guard)(target, propertyKey, descriptor);
  };
}

const requireViewer: MiddlewareFn<Context> = ({ context }, next) => {
  if (!context.viewer) throw context.authError ?? unauthenticated();
  return next();
};

/** Open to anyone, signed in or not (login, token refresh). */
export const Public = (): MethodDecorator => declare({ kind: 'public' }, null);

/** Any signed-in user; what they see is still scoped by their rules inside the service. */
export const RequireViewer = (): MethodDecorator => declare({ kind: 'viewer' }, requireViewer);

/**
 * The viewer's rules must allow `action` on some `subject` rows. Which rows is decided in the
 * service through the scoped query path; this only turns away viewers with no such rule at all.
 */
export const Can = (action: string, subject: string): MethodDecorator =>
  declare({ kind: 'can', action, subject }, ({ context }, next) => {
    if (!context.viewer) throw context.authError ?? unauthenticated();
    if (!context.viewer.permissions.can(action, subject)) throw forbidden(`Your roles do not allow ${action} on ${subject}`);
    return next();
  });
