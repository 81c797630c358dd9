import fastifyMultipart from '@fastify/multipart';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ParleyError } from '../errors/index.js';
import { createSessionOwnershipHook, ownedSessionOf } from '../http/session-access.js';
import { problemSchema, sessionParamsSchema } from '../http/session-schemas.js';
import type { SessionStore } from '../store/types.js';
import { acceptUpload, tooLarge, type UploadPolicy } from './accept-upload.js';
import { contentDisposition } from './content-disposition.js';
import { fileParamsSchema, uploadedFileSchema } from './file-schemas.js';
import type { FileStore } from './file-store.js';
import { isRasterImage } from './file-types.js';

export interface FileRoutesOptions {
  store: SessionStore;
  files: FileStore;
  policy: UploadPolicy;
}

/** A session holds at most this many files. */
export const maxFilesPerSession = 200;
/** Room for the multipart framing around the file (boundaries, part headers). */
const multipartOverheadBytes = 64 * 1024;

const credentialQuery = z.object({ token: z.string().optional(), access_token: z.string().optional() });
const refusals = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

/** An upload cut short is answered at once, and the connection closed, rather than read to its end. */
function closeAfterReply(reply: FastifyReply): void {
  void reply.header('connection', 'close');
}

/**
 * POST /api/sessions/{id}/files (multipart, one file) and GET /api/sessions/{id}/files/{file_id}.
 * The session's owner rules apply through the one ownership hook, before any byte is read.
 */
export const fileRoutes: FastifyPluginAsyncZod<FileRoutesOptions> = async (app, { store, files, policy }) => {
  await app.register(fastifyMultipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: policy.maxFileBytes, files: 1, fields: 4, fieldSize: 1024, parts: 5, headerPairs: 50 },
  });
  app.addHook('preHandler', createSessionOwnershipHook(store, { createOnPost: true }));

  app.post('/api/sessions/:id/files', {
    schema: {
      tags: ['sessions'],
      summary: 'Upload a file to the session (multipart/form-data, one file); a message attaches it by file_id',
      params: sessionParamsSchema,
      querystring: credentialQuery,
      response: { 201: uploadedFileSchema, ...refusals, 413: problemSchema, 415: problemSchema },
    },
  }, async (request, reply) => {
    const session = ownedSessionOf(request);
    if (!request.isMultipart()) throw new ParleyError('bad_request', 'Send the file as multipart/form-data, in one file field.');
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > policy.maxFileBytes + multipartOverheadBytes) {
      closeAfterReply(reply);
      throw tooLarge(policy.maxFileBytes);
    }
    if ((await files.countForSession(session.session_id)) >= maxFilesPerSession) {
      closeAfterReply(reply);
      throw new ParleyError('too_large', `This session holds ${maxFilesPerSession} files, the most it may.`);
    }
    const part = await request.file();
    if (part === undefined) throw new ParleyError('bad_request', 'The request has no file part.');
    try {
      const uploaded = await acceptUpload(part, { sessionId: session.session_id, ownerKey: session.user_id ?? '' }, policy, files);
      return await reply.status(201).send(uploaded);
    } catch (error) {
      closeAfterReply(reply);
      throw error;
    }
  });

  app.get('/api/sessions/:id/files/:file_id', {
    schema: {
      tags: ['sessions'],
      summary: "One of the session's files, as uploaded (images inline, anything else as a download)",
      params: fileParamsSchema,
      querystring: credentialQuery,
    },
  }, async (request, reply) => {
    const session = ownedSessionOf(request);
    const file = await files.find(session.session_id, request.params.file_id);
    if (file === null) throw new ParleyError('not_found', `No file "${request.params.file_id}" in this session`);
    const inline = isRasterImage(file.media_type);
    return reply
      .header('content-type', file.media_type === 'text/plain' ? 'text/plain; charset=utf-8' : file.media_type)
      .header('content-length', String(file.size))
      .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', file.name))
      .header('x-content-type-options', 'nosniff')
      // Even opened on its own, a file is a document that may run nothing and load nothing.
      .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
      .header('cache-control', 'private, max-age=86400, immutable')
      .header('etag', `"${file.sha256}"`)
      .send(files.open(file));
  });
};
