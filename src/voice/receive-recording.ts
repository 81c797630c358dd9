import type { FastifyRequest } from 'fastify';
import { ParleyError } from '../errors/index.js';

/**
 * The recording's bytes from either form of POST /api/transcribe: the raw body (sent as
 * `audio/*` or `application/octet-stream`, already limited by the route's bodyLimit) or a
 * multipart `file` field, as OpenAI's own API takes it. A file past `maxBytes` fails with 413.
 */
export async function receiveRecording(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  if (request.isMultipart()) {
    const part = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 8, fieldSize: 1024, parts: 9 } });
    if (part === undefined) throw new ParleyError('bad_request', 'The form has no file: send the recording in a `file` field.');
    if (part.fieldname !== 'file') throw new ParleyError('bad_request', `The form's file is in "${part.fieldname}"; send it in a \`file\` field.`);
    return part.toBuffer();
  }
  if (Buffer.isBuffer(request.body)) return request.body;
  throw new ParleyError('bad_request', 'Send the recording as the body (Content-Type audio/webm, audio/ogg, audio/wav...) or as multipart/form-data with a `file` field.');
}
