import { z } from 'zod';
import { attachmentSchema, fileIdSchema, sessionIdSchema } from '../protocol/index.js';

/** REST shapes of the files routes, for validation and /openapi.json. */
export const uploadedFileSchema = attachmentSchema.extend({
  sha256: z.string().describe('SHA-256 of the content, hex'),
});

export const fileParamsSchema = z.object({ id: sessionIdSchema, file_id: fileIdSchema });
