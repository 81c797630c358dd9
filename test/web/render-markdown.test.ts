import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build, type Rolldown } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from './support/launch-chromium.js';

const entry = fileURLToPath(new URL('../../web/src/markdown/render-markdown.ts', import.meta.url));

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

  it('renders code blocks, lists and tables', async () => {
    expect(await render('```js\nconst a = 1 < 2;\n```')).toBe('<pre><code>const a = 1 &lt; 2;\n</code></pre>\n');
    expect(await render('- one\n- **two**')).toBe('<ul>\n<li>one</li>\n<li><strong>two</strong></li>\n</ul>\n');
    expect(await render('| a | b |\n|---|---|\n| 1 | 2 |')).toBe(
      '<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody><tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody></table>\n',
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
