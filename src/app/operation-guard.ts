/**
 * The first checks on every operation, once it is parsed and validated and before anything runs,
 * in this order:
 *   1. query limits — too deep, too many aliases or too costly is QUERY_TOO_COMPLEX (no SQL yet;
 *      the token limit is enforced by the parser itself, parseOptions.maxTokens in server.ts);
 *   2. the caller — the bearer token is resolved into the viewer, and an operation from a caller
 *      without a valid token is refused unless every root field it selects is public (login,
 *      token refresh) or introspection, so an anonymous caller learns nothing from argument errors
 *      or partial results. Operations still check their own requirement as they run;
 *   3. the caller's request rate — beyond the per-minute limit is RATE_LIMITED (429, Retry-After).
 */
import { ApolloServerPlugin } from '@apollo/server';
import { FieldNode, FragmentDefinitionNode, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { operationRequirements } from '../core/authz/operation';
import { AppError, unauthenticated } from '../core/errors';
import { operationCost } from '../core/graphql/complexity';
import type { ViewerResolver } from '../modules/user/viewer';
import type { QueryLimits } from './config';
import { isDatabaseUnavailable } from './format-error';
import type { Context } from './context';

const withStatus = (error: AppError, status: number) => {
  error.extensions.http = { status };
  return error;
};

function fragmentsOf(definitions: readonly { kind: string }[]): Record<string, FragmentDefinitionNode> {
  return Object.fromEntries(
    definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
}

function checkLimitsOrThrow(cost: ReturnType<typeof operationCost>, limits: QueryLimits): void {
  for (const what of ['depth', 'aliases', 'complexity'] as const) {
    if (cost[what] > limits[what]) {
      throw withStatus(
        new AppError('QUERY_TOO_COMPLEX', `Query ${what} is ${cost[what]}, more than the limit of ${limits[what]}`, { [what]: cost[what], limit: limits[what] }),
        400,
      );
    }
  }
}

/** "query.login", "mutation.refreshToken": root fields anyone may call. */
function publicRootFields(): Set<string> {
  const storage = getMetadataStorage();
  const ops = [...storage.queries.map((q) => ({ ...q, type: 'query' })), ...storage.mutations.map((m) => ({ ...m, type: 'mutation' }))];
  return new Set(
    ops.filter((op) => operationRequirements.get(`${op.target.name}.${op.methodName}`)?.kind === 'public').map((op) => `${op.type}.${op.schemaName}`),
  );
}

function rootFields(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  return selectionSet.selections.flatMap((selection): FieldNode[] => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    if (seen.has(name) || !fragments[name]) return [];
    seen.add(name);
    return rootFields(fragments[name].selectionSet, fragments, seen);
  });
}

export function operationGuardPlugin(limits: QueryLimits, viewers: ViewerResolver): ApolloServerPlugin<Context> {
  let open: Set<string> | undefined;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, operation, document, request, contextValue }) {
          if (!operation) return;
          const fragments = fragmentsOf(document.definitions);
          checkLimitsOrThrow(operationCost(schema, operation, fragments, request.variables ?? {}), limits);

          const { viewer, error } = await viewers.resolve(contextValue.authorization).catch((e: unknown) => {
            if (isDatabaseUnavailable(e)) throw withStatus(new AppError('SERVICE_UNAVAILABLE', 'The database is unavailable; try again shortly'), 503);
            throw e;
          });
          contextValue.viewer = viewer;
          contextValue.authError = error;
          if (viewer) return contextValue.throttles.assertRequestAllowed(viewer.user.id);
          open ??= publicRootFields();
          const op = operation as OperationDefinitionNode;
          const closed = rootFields(op.selectionSet, fragments).some(
            (field) => !field.name.value.startsWith('__') && !open!.has(`${op.operation}.${field.name.value}`),
          );
          if (closed) throw withStatus(error ?? unauthenticated(), 401);
        },
      };
    },
  };
}
