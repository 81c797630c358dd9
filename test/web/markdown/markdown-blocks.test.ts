import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MarkdownBlocks } from '../../../web/src/markdown/markdown-blocks.js';
import { markdownParser } from '../../../web/src/markdown/markdown-parser.js';
import { longMarkdownAnswer } from '../support/long-markdown-answer.js';

/** Answers whose block boundaries are easy to get wrong while they grow. */
const answers: Record<string, string> = {
  'a long answer with every kind of block': longMarkdownAnswer(4_000),
  'a paragraph that becomes a heading': 'Intro line\n\nTitle\n---\n\nAfter\n===\n\nend',
  'a list that continues after blank lines': '- one\n\n- two\n\n  still two\n\n- three\n\nAfter the list.',
  'a numbered list with blank lines between items': '1. one\n\n2. two\n\n10. ten\n\n11) eleven\n\n* star\n\n+ plus\n\nend',
  'a table right under a paragraph': 'Here it is:\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\nDone.',
  'fenced code with blank lines and fences inside': 'Code:\n\n```js\nconst a = 1;\n\n\nconst b = "```";\n```\n\n~~~\nplain\n~~~\nafter',
  'math blocks and inline math': 'Sum:\n$$\n\\sum_i x_i\n$$\nand $a+b$ with \\(c\\) and\n\\[\nd\n\\]\n\nprices $5 and $10 stay text',
  'a quote with a lazy line': '> quoted\nlazy line\n\nnext paragraph\n\n> another',
  'reference links defined at the end': 'See [the docs][d] and [more][m].\n\nMiddle paragraph.\n\n[d]: https://example.com/docs\n[m]: https://example.com/more',
  'windows line ends': 'First\r\n\r\nSecond\r\n- item\r\n',
};

/** Feeds `text` in `chunks`, as frames would see it, and returns the HTML of every block at the end. */
function streamInChunks(text: string, chunks: number[]): { html: string; settledAlong: number[] } {
  const blocks = new MarkdownBlocks();
  let settledHtml: string[] = [];
  let tailHtml = '';
  const settledAlong: number[] = [];
  let end = 0;
  for (const size of [...chunks, text.length]) {
    end = Math.min(text.length, end + size);
    const update = blocks.update(text.slice(0, end));
    if (update.reset) settledHtml = [];
    settledHtml = [...settledHtml, ...update.settled.map((token) => markdownParser.parser([token]))];
    tailHtml = markdownParser.parser(update.tail);
    settledAlong.push(settledHtml.length);
    if (end === text.length) break;
  }
  return { html: settledHtml.join('') + tailHtml, settledAlong };
}

const wholeHtml = (text: string) => markdownParser.parse(text.replace(/\r\n?/g, '\n')) as string;

describe('splitting a growing answer into blocks', () => {
  for (const [name, text] of Object.entries(answers)) {
    it(`renders ${name} streamed word by word exactly as the whole answer at once`, () => {
      const words = text.match(/\S+\s*|\s+/g)!.map((word) => word.length);
      expect(streamInChunks(text, words).html).toBe(wholeHtml(text));
    });

    it(`renders ${name} streamed letter by letter exactly as the whole answer at once`, () => {
      expect(streamInChunks(text, Array.from(text, () => 1)).html).toBe(wholeHtml(text));
    });
  }

  it('renders each answer the same however the stream is cut into pieces', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(answers)), fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 300 }), (text, chunks) => {
        expect(streamInChunks(text, chunks).html).toBe(wholeHtml(text));
      }),
      { numRuns: 300 },
    );
  });

  it('settles finished blocks as the answer grows, so each frame renders only the last one', () => {
    const text = longMarkdownAnswer(4_000);
    const { settledAlong } = streamInChunks(text, Array.from({ length: 400 }, () => 10));
    expect(settledAlong.at(-1)).toBeGreaterThan(20);
    // Never more than a few blocks left to re-render in any frame: the lexer sees only those.
    const blocks = new MarkdownBlocks();
    let largestTail = 0;
    for (let end = 10; end <= text.length; end += 10) {
      const tail = blocks.update(text.slice(0, end)).tail.map((token) => token.raw).join('');
      largestTail = Math.max(largestTail, tail.length);
    }
    expect(largestTail).toBeLessThan(600);
  });

  it('starts over when the text is replaced rather than extended', () => {
    const blocks = new MarkdownBlocks();
    blocks.update('First paragraph.\n\nSecond paragraph.\n\nThird');
    const update = blocks.update('Something else entirely.\n\nMore');
    expect(update.reset).toBe(true);
    expect(markdownParser.parser([...update.settled, ...update.tail])).toBe(wholeHtml('Something else entirely.\n\nMore'));
  });

  it('never splits text that defines reference links, which earlier blocks may use', () => {
    const blocks = new MarkdownBlocks();
    const text = answers['reference links defined at the end']!;
    const beforeDefinitions = text.slice(0, text.indexOf('[d]:'));
    expect(blocks.update(beforeDefinitions).settled.length).toBeGreaterThan(0);
    const update = blocks.update(text);
    expect(update.reset).toBe(true);
    expect(update.settled).toStrictEqual([]);
    expect(markdownParser.parser(update.tail)).toContain('<a href="https://example.com/docs">the docs</a>');
  });
});
