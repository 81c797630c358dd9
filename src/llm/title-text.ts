import { toStorableText } from '../protocol/index.js';
import { cutAtWord } from '../text/cut-at-word.js';

/** A written title stays under 60 characters (UTF-16 units, as `length` counts). */
export const maxTitleLength = 59;

/** What a session whose first message holds no words is called. */
export const untitledConversation = 'New conversation';

/** Markdown that opens a line (heading, quote, list item, fence) says nothing about the subject. */
const lineOpener = /^\s*(?:#{1,6}\s+|>+\s*|[-*+]\s+|\d{1,3}[.)]\s+|```\S*\s*)+/;
/**
 * What only formats (emphasis marks at a word's edge, code ticks, strike marks) or would break
 * a one-line name (controls); a `*` between digits stays (12*7).
 */
const formatting = /(?<=^|\s)[*_]+|[*_]+(?=\s|$)|`+|~~|[\p{Cc}\p{Cf}]/gu;
/** What a model tends to put around a title it was asked for. */
const modelWrapping = /^(?:title\s*[:-]\s*)?["'“”‘’«»]*\s*|\s*["'“”‘’«»]*$/giu;

/**
 * A title from the first user message, with no model: its first line with words, up to its
 * first sentence when that says enough, cut at a word. Used for the offline model and when
 * the configured model fails.
 */
export function extractiveTitle(firstUserMessage: string): string {
  const line = firstUserMessage
    .split('\n')
    .map((text) => oneLine(text.replace(lineOpener, '')))
    .find((text) => /[\p{L}\p{N}]/u.test(text));
  if (line === undefined) return untitledConversation;
  const sentence = /^.*?[.?!](?=\s|$)/u.exec(line)?.[0];
  const chosen = sentence !== undefined && sentence.length >= 12 ? sentence : line;
  return capitalize(cutAtWord(chosen.replace(/[.:;,]+$/u, ''), maxTitleLength));
}

/**
 * The model's answer as a title: its first line with words, without the quotes, label and
 * markdown models add, cut at a word. Null when nothing usable is left.
 */
export function cleanModelTitle(answer: string): string | null {
  const line = answer
    .split('\n')
    .map((text) => oneLine(text.replace(lineOpener, '')).replace(modelWrapping, '').trim())
    .find((text) => /[\p{L}\p{N}]/u.test(text));
  if (line === undefined) return null;
  return capitalize(cutAtWord(line.replace(/[.:;,]+$/u, ''), maxTitleLength));
}

function oneLine(text: string): string {
  return toStorableText(text.replace(formatting, ' ')).replace(/\s+/gu, ' ').trim();
}

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}
