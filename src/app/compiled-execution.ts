/**
 * Executes operations with graphql-jit instead of graphql-js's interpreter.
 *
 * graphql-js walks the document for every object of every response (collecting fields, looking up
 * definitions, coercing arguments, wrapping each object's fields in a promise map); graphql-jit
 * compiles each operation once into a function that does only the resolving and completion. The
 * schema, its resolvers, `info`, error paths and null propagation are the same; Apollo still
 * parses, validates, runs every plugin (the operation guard too) and formats errors. Apollo's
 * extension point for a custom executor is its gateway interface, so this is a one-schema
 * "gateway" whose executor runs the compiled operation.
 *
 * Two things stay with graphql-js, so clients see exactly what they saw before:
 * - variables are coerced by graphql-js first (its messages, its BAD_USER_INPUT errors, and input
 *   field defaults, which graphql-jit 0.8 does not apply); graphql-jit then gets coerced values;
 * - graphql-jit reports errors with its own error class; they are re-created as graphql-js errors
 *   (`locatedError`, as graphql-js's executor does) so Apollo keeps their path and codes.
 *
 * Compiled operations are kept per parsed document (Apollo caches those, so a document is
 * compiled once while it stays in that cache).
 */
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { DocumentNode, ExecutionResult, GraphQLError, GraphQLSchema, locatedError, printSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { compileQuery, CompiledQuery, isCompiledQuery } from 'graphql-jit';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/** A graphql-jit error as the graphql-js error graphql-js's executor would have reported. */
function asGraphQLJsError(error: GraphQLError): GraphQLError {
  const original = error.originalError;
  if (original) return locatedError(original, error.nodes, error.path);
  return new GraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions: error.extensions });
}

async function run(query: CompiledQuery, context: unknown, variables: Record<string, unknown>): Promise<ExecutionResult> {
  const result = await query.query(undefined, context, variables);
  return result.errors ? { ...result, errors: result.errors.map(asGraphQLJsError) } : result;
}

export function compiledExecution(schema: GraphQLSchema): Gateway {
  const compiled = new WeakMap<DocumentNode, Map<string | null, CompiledQuery>>();
  return {
    async load() {
      return {
        schema,
        executor: async ({ document, operation, operationName, request, context }) => {
          const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 50 });
          if (variables.errors) return { errors: variables.errors };
          let byOperation = compiled.get(document);
          if (!byOperation) compiled.set(document, (byOperation = new Map()));
          let query = byOperation.get(operationName);
          if (!query) {
            const result = compileQuery(schema, document, operationName ?? undefined);
            if (!isCompiledQuery(result)) return { errors: result.errors?.map(asGraphQLJsError) };
            byOperation.set(operationName, (query = result));
          }
          return run(query, context, variables.coerced);
        },
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    async stop() {},
  };
}
