import type { FastifyPluginAsync } from 'fastify';
import { asyncApiDocument } from './asyncapi-document.js';

export interface AsyncApiRouteOptions {
  version: string;
}

/** GET /asyncapi.json: the WebSocket protocol, naming the host and scheme the caller reached. */
export const asyncApiRoute: FastifyPluginAsync<AsyncApiRouteOptions> = async (app, { version }) => {
  app.get('/asyncapi.json', { schema: { hide: true } }, async (request) =>
    asyncApiDocument({ version, host: request.host, secure: request.protocol === 'https' }),
  );
};
