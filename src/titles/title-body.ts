import { z } from 'zod';
import { isStorableText } from '../protocol/index.js';

export const maxRenameLength = 120;

/** `PATCH /api/sessions/{id}`: the owner's title, trimmed, one line of well-formed text. */
export const renameBodySchema = z.object({
  title: z
    .string()
    .trim()
    .min(1, 'title must not be empty')
    .max(maxRenameLength, `title must be at most ${maxRenameLength} characters`)
    .refine(isStorableText, 'title must be well-formed text (no lone surrogate, no U+0000)')
    .refine((title) => !/\p{Cc}/u.test(title), 'title must be one line, with no control characters')
    .describe(`1 to ${maxRenameLength} characters once trimmed, one line`),
});

export type RenameBody = z.infer<typeof renameBodySchema>;
