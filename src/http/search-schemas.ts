import { z } from 'zod';
import { maxSearchDepth } from '../search/search-cursor.js';

/** The longest query taken: a search box's worth, far below what would make the database work hard. */
export const maxSearchQueryChars = 500;

/** GET /api/search: the query in websearch syntax (words, "phrases", -excluded, OR). */
export const searchQuerySchema = z.object({
  q: z
    .string({ error: 'q is required: the words to look for' })
    .trim()
    .min(1, 'q is empty: give the words to look for')
    .max(maxSearchQueryChars, `q is longer than ${maxSearchQueryChars} characters`),
  limit: z.coerce.number({ error: 'limit must be a number' }).int('limit must be a whole number').min(1, 'limit is at least 1').max(50, 'limit is at most 50').default(20),
  cursor: z.string().max(128, 'cursor is not one this search returned').optional(),
});

export const searchHitSchema = z.object({
  session_id: z.string(),
  seq: z.number().int().describe("The message's seq (a title hit: the session's first); open the session there"),
  event_type: z.enum(['user_message', 'assistant_message', 'title']),
  title: z.string().nullable(),
  created_at: z.string().describe('ISO 8601'),
  snippet: z.string().describe('HTML: the text escaped, the matched words in <mark>...</mark>, no other tag'),
});

export const searchPageSchema = z.object({
  hits: z.array(searchHitSchema).describe('Best first: full text, typo-corrected full text and meaning, fused by reciprocal rank'),
  next_cursor: z.string().nullable().describe(`Pass as \`cursor\` for the next page; null on the last one, or past the first ${maxSearchDepth} hits`),
});

export type SearchHitResource = z.infer<typeof searchHitSchema>;
export type SearchPageResource = z.infer<typeof searchPageSchema>;
