import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build, type Rolldown } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '../support/launch-chromium.js';

const entry = fileURLToPath(new URL('../../../web/src/markdown/render-markdown.ts', import.meta.url));

/** The page's renderer, bundled on its own and run in a real DOM (DOMPurify needs one). */
async function bundleRenderer(): Promise<string> {
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, lib: { entry, formats: ['iife'], name: 'markdown' } },
  })) as Rolldown.RolldownOutput[];
  const chunk = output[0]!.output.find((item) => item.type === 'chunk');
  if (!chunk || chunk.type !== 'chunk') throw new Error('no bundle');
  return chunk.code;
}

describe.runIf(hasChromium)('the sanitizing markdown renderer', () => {
  let browser: Browser;
  let page: Page;
  const render = (markdown: string) => page.evaluate<string>(`markdown.renderMarkdown(${JSON.stringify(markdown)})`);

  beforeAll(async () => {
    const code = await bundleRenderer();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: code });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders code blocks with their language, lists, task lists and aligned tables', async () => {
    // The highlighter loads lazily: until it has, the code is escaped text in a labelled block.
    expect(await render('```js\nconst a = 1 < 2;\n```')).toBe(
      '<div class="code-block"><div class="code-head"><span class="code-language">js</span></div><pre tabindex="0"><code class="language-js">const a = 1 &lt; 2;\n</code></pre></div>\n',
    );
    expect(await render('```\nplain\n```')).toBe('<div class="code-block"><div class="code-head"></div><pre tabindex="0"><code>plain\n</code></pre></div>\n');
    expect(await render('- one\n- **two**')).toBe('<ul>\n<li>one</li>\n<li><strong>two</strong></li>\n</ul>\n');
    expect(await render('- [x] done\n- [ ] to do')).toBe(
      '<ul>\n<li class="task-item"><input type="checkbox" disabled="" checked="" aria-label="Done"> done</li>\n<li class="task-item"><input type="checkbox" disabled="" aria-label="Not done"> to do</li>\n</ul>\n',
    );
    expect(await render('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |')).toBe(
      '<div class="table-scroll" tabindex="0"><table>\n<thead>\n<tr>\n<th align="left">a</th>\n<th align="center">b</th>\n<th align="right">c</th>\n</tr>\n</thead>\n' +
        '<tbody><tr>\n<td align="left">1</td>\n<td align="center">2</td>\n<td align="right">3</td>\n</tr>\n</tbody></table>\n</div>\n',
    );
  });

  it('marks math for KaTeX with its source as text, and leaves prices alone', async () => {
    expect(await render('Euler: $e^{i\\pi} + 1 = 0$ and \\(a<b\\)')).toBe(
      '<p>Euler: <span class="math-inline">e^{i\\pi} + 1 = 0</span> and <span class="math-inline">a&lt;b</span></p>\n',
    );
    expect(await render('$$\n\\frac{1}{2}\n$$')).toBe('<div class="math-display">\\frac{1}{2}</div>\n');
    expect(await render('\\[x^2\\]')).toBe('<div class="math-display">x^2</div>\n');
    expect(await render('It costs $5 and $10.')).toBe('<p>It costs $5 and $10.</p>\n');
  });

  it('keeps no markup from a crafted code language, and only the class names the page uses', async () => {
    const crafted = await render('```"><img src=x onerror=alert(1)>\ncode\n```');
    expect(crafted).toBe('<div class="code-block"><div class="code-head"></div><pre tabindex="0"><code>code\n</code></pre></div>\n');
    expect(await render('```js" onmouseover="alert(1)\nx\n```')).not.toContain('onmouseover');
    expect(await render('<code class="language-js&quot;&gt;&lt;img">x</code>')).toBe('<p><code>x</code></p>\n');
    expect(await render('<div class="chat-log sidebar code-block">x</div><span class="hljs-string evil">y</span>')).toBe('<div class="code-block">x</div><span class="hljs-string">y</span>');
  });

  it('lets through only disabled checkboxes: no other control, no way to enable or submit one', async () => {
    expect(await render('<input type="text" value="password?"><input type="checkbox" onclick="alert(1)" name="x" form="f" formaction="/steal">')).toBe('<p><input type="checkbox" disabled=""></p>\n');
    expect(await render('<input type="image" src="https://tracker.example/p.gif"><input type="submit"><button>Pay</button>')).toBe('<p>Pay</p>\n');
    expect(await render('- [x] <input type="checkbox" checked autofocus>')).toBe(
      '<ul>\n<li class="task-item"><input type="checkbox" disabled="" checked="" aria-label="Done"> <input type="checkbox" checked="" disabled=""></li>\n</ul>\n',
    );
  });

  it('removes scripts, event handlers, javascript: links, styles and forms', async () => {
    expect(await render('<script>alert(1)</script>hi')).toBe('hi');
    expect(await render('<b onmouseover="alert(1)">x</b>')).toBe('<p><b>x</b></p>\n');
    expect(await render('[a](javascript:alert(1))')).toBe('<p><a target="_blank" rel="noopener noreferrer nofollow">a</a></p>\n');
    expect(await render('<p style="position:fixed">x</p><form action="/x"><input name="q"></form>')).toBe('<p>x</p>');
    expect(await render('<iframe src="https://example.com"></iframe>ok')).toBe('ok');
  });

  it('turns images into links, so an answer cannot load anything by itself', async () => {
    expect(await render('![pixel](https://tracker.example/p.gif)')).toBe(
      '<p><a href="https://tracker.example/p.gif" target="_blank" rel="noopener noreferrer nofollow">pixel</a></p>\n',
    );
    expect(await render('<img src="https://tracker.example/p.gif">')).toBe('');
  });

  it('opens links in a new tab without giving it this page', async () => {
    expect(await render('<https://example.com>')).toBe('<p><a href="https://example.com" target="_blank" rel="noopener noreferrer nofollow">https://example.com</a></p>\n');
  });
});
