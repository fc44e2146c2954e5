/**
 * One structured log line per GraphQL request, and the same summary fed to the metrics:
 * request id (also sent as `x-request-id`), user id, operation name and type, duration, HTTP status
 * and the error codes the client received (after format-error, so masked errors count as
 * INTERNAL_SERVER_ERROR).
 *
 * Never logged: the query text, variables, headers or response data — that is where passwords
 * and tokens travel. Cheap by construction: a timestamp at the start, one object at the end.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { performance } from 'node:perf_hooks';
import type { Context } from './context';
import type { Logger } from './logger';
import type { RequestSummary } from './metrics';

export function requestLogPlugin(logger: Logger, onSummary?: (summary: RequestSummary) => void): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ response, contextValue, operation, operationName }) {
          const body = response.body;
          const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
          const errorCodes = [...new Set((errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
          const summary: RequestSummary = {
            // A name is only trusted once the document parsed and the operation resolved.
            operation: operation ? (operationName ?? '(anonymous)') : '(invalid)',
            operationType: operation?.operation ?? 'unknown',
            durationMs: Math.round((performance.now() - started) * 10) / 10,
            status: response.http.status ?? 200,
            errorCodes,
          };
          onSummary?.(summary);
          (summary.status >= 500 ? logger.warn : logger.info)('graphql request', {
            requestId: contextValue.requestId,
            userId: contextValue.viewer?.user.id ?? null,
            ...summary,
          });
        },
      };
    },
  };
}
