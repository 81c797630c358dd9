import type { FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ParleyError, isParleyError } from '../errors/index.js';
import { redactUrl } from './redact-url.js';

/**
 * Every HTTP error is RFC 9457 problem JSON with a stable `code` (the same codes as the
 * WebSocket); its `instance` is the URL with any credential in the query redacted.
 */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    let problem: ParleyError;
    if (isParleyError(error)) problem = error;
    else if (hasZodFastifySchemaValidationErrors(error)) {
      const detail = error.validation.map((issue) => `${error.validationContext ?? 'request'}${issue.instancePath} ${issue.message}`).join('; ');
      problem = new ParleyError('bad_request', detail);
    } else if ((error as { statusCode?: number }).statusCode === 413) problem = new ParleyError('too_large', error instanceof Error ? error.message : 'The request body is too large.');
    else if ((error as { statusCode?: number }).statusCode === 429) problem = new ParleyError('rate_limited', 'Too many requests; retry later.');
    else if (typeof (error as { statusCode?: number }).statusCode === 'number' && (error as { statusCode: number }).statusCode < 500) {
      problem = new ParleyError('bad_request', error instanceof Error ? error.message : String(error));
    } else {
      request.log.error({ err: error }, 'request failed');
      problem = new ParleyError('internal', 'Internal error; it has been logged.');
    }
    if (problem.retryAfterSeconds !== undefined) void reply.header('retry-after', String(problem.retryAfterSeconds));
    void reply.status(problem.status).type('application/problem+json').send(problem.toProblem(redactUrl(request.url)));
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = new ParleyError('not_found', `No route ${request.method} ${request.url.split('?')[0]}`);
    void reply.status(404).type('application/problem+json').send(problem.toProblem(redactUrl(request.url)));
  });
}
