/**
 * Field rules. A field marked `@Sensitive()` may be hidden by a rule (`fields: [...]`); it is
 * nullable in the schema and resolves to null for a viewer whose rules do not allow reading it on
 * that row. Other fields follow the row: if the row is visible, so are they. Sensitive fields are
 * never offered as filters or sort keys (a filter on a hidden value would leak it).
 */
import { MiddlewareFn, UseMiddleware } from 'type-graphql';
import type { Context } from '../../app/context';

/** subject name → its sensitive field names. */
export const sensitiveFields = new Map<string, Set<string>>();

export const isSensitiveField = (subject: string, field: string): boolean => sensitiveFields.get(subject)?.has(field) ?? false;

function guard(subject: string, field: string): MiddlewareFn<Context> {
  return async ({ root, context }, next) => {
    const permissions = context.viewer?.permissions;
    if (!permissions) return null;
    if (permissions.restrictsFields(subject) && !permissions.can('read', subject, root as object, field)) return null;
    return next();
  };
}

/** Marks an entity field as hideable by field rules and guards its resolution. */
export function Sensitive(): PropertyDecorator {
  return (target, propertyKey) => {
    const subject = target.constructor.name;
    const field = String(propertyKey);
    if (!sensitiveFields.has(subject)) sensitiveFields.set(subject, new Set());
    sensitiveFields.get(subject)!.add(field);
    UseMiddleware(guard(subject, field))(target, propertyKey);
  };
}
