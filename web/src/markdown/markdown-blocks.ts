import type { Token, TokensList } from 'marked';
import { markdownParser } from './markdown-parser.js';

export interface BlockUpdate {
  /** The blocks shown so far no longer match the text: start over. */
  reset: boolean;
  /** Blocks that became final since the last update, in order; they never change again. */
  settled: Token[];
  /** The blocks after them, which the next text may still change. */
  tail: Token[];
}

/** Headings with `#` and fenced code end where they are: the next text cannot extend them. */
const selfClosing = /^ {0,3}(#{1,6}(\s|$)|```|~~~)/;
const closedTypes = new Set(['hr', 'blockMath']);

/**
 * Splits a growing answer into blocks, so each frame parses only the end of it: a block is
 * settled once the text after it can no longer change it. Reference
 * links (`[a]: url`) reach back to earlier blocks, so text that defines one is never split.
 */
export class MarkdownBlocks {
  #settledText = '';
  #splittable = true;

  update(fullText: string): BlockUpdate {
    const text = fullText.includes('\r') ? fullText.replace(/\r\n?/g, '\n') : fullText;
    let reset = false;
    if (!text.startsWith(this.#settledText)) {
      this.#settledText = '';
      this.#splittable = true;
      reset = true;
    }
    const rest = text.slice(this.#settledText.length);
    const tokens = markdownParser.lexer(rest);
    if (this.#splittable && Object.keys(tokens.links).length > 0) {
      this.#splittable = false;
      if (this.#settledText !== '') {
        this.#settledText = '';
        return { reset: true, settled: [], tail: markdownParser.lexer(text) };
      }
    }
    let count = this.#splittable ? settledCount(tokens) : 0;
    let settledRaw = tokens.slice(0, count).map((token) => token.raw).join('');
    // The lexer's raw text should add up to the source; where it does not, nothing is split.
    if (!rest.startsWith(settledRaw)) {
      count = 0;
      settledRaw = '';
    }
    this.#settledText += settledRaw;
    return { reset, settled: tokens.slice(0, count), tail: tokens.slice(count) };
  }
}

/**
 * How many leading tokens are settled: each closed off (by a blank line or its own end) and
 * followed by a block whose first line is complete, since an unfinished first line ("2") may
 * still turn into something that joins the block before it ("2. two" continues a list).
 */
function settledCount(tokens: TokensList): number {
  let count = 0;
  for (let index = 0; index < tokens.length; ) {
    let next = index + 1;
    let raw = tokens[index]!.raw;
    while (next < tokens.length && tokens[next]!.type === 'space') raw += tokens[next++]!.raw;
    const following = tokens[next];
    // A token after it, even a blank line, means its first line has ended.
    if (following === undefined || (!following.raw.includes('\n') && next === tokens.length - 1)) break;
    const token = tokens[index]!;
    const closed = /\n[ \t]*\n$/.test(raw) || closedTypes.has(token.type) || ((token.type === 'heading' || token.type === 'code') && selfClosing.test(token.raw));
    if (!closed) break;
    count = next;
    index = next;
  }
  return count;
}
