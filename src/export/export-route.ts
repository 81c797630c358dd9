import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createSessionOwnershipHook, ownedSessionOf } from '../http/session-access.js';
import { credentialQuery } from '../http/session-routes.js';
import { problemSchema, sessionParamsSchema } from '../http/session-schemas.js';
import { historyFromEvents, type HistoryItem } from '../protocol/index.js';
import type { EventPage, SessionStore } from '../store/types.js';
import { exportContentDisposition } from './export-file-name.js';
import { jsonClosing, jsonItem, jsonOpening } from './export-json.js';
import { markdownHeading, markdownItem } from './export-markdown.js';

/** Events read per query: the export streams page by page, so its memory does not grow with the session. */
const pageEvents = 500;

const exportQuerySchema = z.object({
  format: z.enum(['markdown', 'json']).default('markdown').describe('markdown (the default) or json'),
  ...credentialQuery,
});

/** `GET /api/sessions/{id}/export?format=markdown|json`: the whole conversation as a file to download. */
export const exportRoute: FastifyPluginAsyncZod<{ store: SessionStore }> = async (app, { store }) => {
  app.addHook('preHandler', createSessionOwnershipHook(store));

  app.get('/api/sessions/:id/export', {
    schema: {
      tags: ['sessions'],
      summary: 'The whole conversation as a Markdown or JSON download, named for its title',
      params: sessionParamsSchema,
      querystring: exportQuerySchema,
      produces: ['text/markdown', 'application/json'],
      response: {
        200: z.unknown().describe('The file: text/markdown, or JSON {session, exported_at, conversation: history items}'),
        400: problemSchema,
        401: problemSchema,
        403: problemSchema,
        404: problemSchema,
      },
    },
  }, async (request, reply) => {
    const session = ownedSessionOf(request);
    const { format } = request.query;
    // Read before the answer starts, so a database that does not answer is a problem answer, not a cut file.
    const first = await store.listEvents(session.session_id, { limit: pageEvents });
    const pages = readPages(store, session.session_id, first);
    const body = format === 'json' ? jsonFile(jsonOpening(session, new Date()), pages) : markdownFile(markdownHeading(session), pages);
    return reply
      .header('content-type', format === 'json' ? 'application/json; charset=utf-8' : 'text/markdown; charset=utf-8')
      .header('content-disposition', exportContentDisposition(session.title, session.session_id, format))
      .header('cache-control', 'no-store')
      .send(Readable.from(body));
  });
};

async function* readPages(store: SessionStore, sessionId: string, first: EventPage): AsyncGenerator<HistoryItem[]> {
  let page = first;
  for (;;) {
    yield historyFromEvents(page.events);
    if (page.next_cursor === null) return;
    page = await store.listEvents(sessionId, { limit: pageEvents, cursor: page.next_cursor });
  }
}

async function* jsonFile(opening: string, pages: AsyncGenerator<HistoryItem[]>): AsyncGenerator<string> {
  yield opening;
  let first = true;
  for await (const items of pages) {
    if (items.length === 0) continue;
    yield items.map((item, index) => jsonItem(item, first && index === 0)).join('');
    first = false;
  }
  yield jsonClosing;
}

async function* markdownFile(heading: string, pages: AsyncGenerator<HistoryItem[]>): AsyncGenerator<string> {
  yield heading;
  for await (const items of pages) {
    if (items.length > 0) yield items.map(markdownItem).join('');
  }
}
