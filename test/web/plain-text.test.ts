import { describe, expect, it } from 'vitest';
import { plainText } from '../../web/src/voice/plain-text.js';

describe('plain text for reading aloud', () => {
  it('reads what markdown says, without its symbols', () => {
    const cases: Array<[string, string]> = [
      ['## A **bold** and _light_ idea', 'A bold and light idea'],
      ['- first item\n- [x] done item', 'first item done item'],
      ['1. one\n2) two', 'one two'],
      ['> quoted `code` here', 'quoted code here'],
      ['See [the docs](https://example.com/docs) or <https://parley.dev/x>.', 'See the docs or parley.dev.'],
      ['An image ![a cat](cat.png) here', 'An image a cat here'],
      ['~~old~~ new &amp; <b>better</b>', 'old new & better'],
      ['snake_case_name stays, __strong__ goes', 'snake_case_name stays, strong goes'],
      ['| a | b |\n|---|:--:|\n| 1 | 2 |', 'a, b 1, 2'],
      ['Text\n```python\nprint("x")\n```\nafter', 'Text after'],
      ['---', ''],
      ['Escaped \\* star', 'Escaped star'],
    ];
    for (const [markdown, spoken] of cases) expect({ markdown, spoken: plainText(markdown) }).toStrictEqual({ markdown, spoken });
  });

  it('drops stray marks of emphasis that a cut left open', () => {
    expect(plainText('**One sentence. ')).toBe('One sentence.');
    expect(plainText('Two sentences.** ')).toBe('Two sentences.');
  });

  it('reads nothing from a piece that is only code or rules', () => {
    expect(plainText('```\nconst x = 1;\n```\n')).toBe('');
    expect(plainText('***\n')).toBe('');
  });
});
