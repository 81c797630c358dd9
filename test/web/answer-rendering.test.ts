import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOf, phone, screenshot, sendMessage, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';
import { ScriptedAnswerPage } from './support/scripted-answer-page.js';

// What the callbacks below read in the page (playwright runs them there); the project's
// tsconfig has no DOM library, so only these are declared.
declare function getComputedStyle(element: unknown): { color: string; textAlign: string };
declare const navigator: { clipboard: { readText(): Promise<string> } };
declare const document: {
  documentElement: { scrollWidth: number };
  createRange(): { selectNodeContents(node: unknown): void; getClientRects(): ArrayLike<{ top: number }> };
  querySelector(selector: string): { scrollLeft: number } | null;
};

const richAnswer = [
  'Here is the function:',
  '',
  '```python',
  'def area(radius):',
  '    """Area of a circle."""',
  '    return 3.14159 * radius ** 2  # not exact',
  '```',
  '',
  'The area is $A = \\pi r^2$, and the sum is',
  '',
  '$$',
  '\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}',
  '$$',
  '',
  '- [x] Wrote the function',
  '- [ ] Added tests',
  '',
  '| Name | Count | Price |',
  '|:-----|:-----:|------:|',
  '| Apples | 3 | 1.20 |',
  '| Internationalization | 12 | 100.00 |',
].join('\n');

const wideTable = [
  '| Component | Responsibility | Configuration | Observability |',
  '|---|---|---|---|',
  '| Authentication | Verifies signatures | Environment variables | Structured logging |',
  '| Internationalization | Translates everything | Configuration files | Distributed tracing |',
].join('\n');

const attacks = [
  '```"><img src=x onerror="window.__pwned=1">',
  'code in a crafted fence',
  '```',
  '',
  'A formula link: $\\href{javascript:window.__pwned=2}{click me}$ and $\\url{javascript:window.__pwned=3}$',
  '',
  '- [ ] <input type="checkbox" onclick="window.__pwned=4"> <input type="text" value="your password"> <button onclick="window.__pwned=5">Pay</button>',
].join('\n');

const questions = { rich: 'Show me everything', wide: 'A wide table please', attacks: 'Try to break the page' };

async function ask(page: Page, question: string, index: number) {
  await sendMessage(page, question);
  await waitForTurnEnd(page, index);
  return answerOf(page, index);
}

describe.runIf(hasChromium)('answers with code, math, task lists and tables', () => {
  let scripted: ScriptedAnswerPage;
  beforeAll(async () => {
    scripted = await ScriptedAnswerPage.start({ [questions.rich]: richAnswer, [questions.wide]: wideTable, [questions.attacks]: attacks });
  });
  afterAll(async () => {
    await scripted?.close();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`highlights code with its language and a copy button, typesets math, shows task boxes and keeps column alignment (${colorScheme})`, async () => {
      const page = await scripted.fixture.open('/', { colorScheme, reducedMotion: 'reduce' });
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: scripted.fixture.server.httpUrl });
      const answer = await ask(page, questions.rich, 0);

      const code = answer.locator('.code-block');
      expect(await code.locator('.code-language').innerText()).toBe('python');
      // highlight.js arrives after the first render and colours the block in place.
      await code.locator('code.hljs .hljs-keyword').first().waitFor();
      expect(await code.locator('.hljs-keyword').first().innerText()).toBe('def');
      const commentColour = await code.locator('.hljs-comment').last().evaluate((element) => getComputedStyle(element).color);
      expect(commentColour).not.toBe(await code.locator('code').evaluate((element) => getComputedStyle(element).color));

      // Copy with the keyboard: Tab reaches the button, Enter copies exactly the code.
      const copy = code.getByRole('button', { name: 'Copy code' });
      await copy.focus();
      await page.keyboard.press('Enter');
      await code.getByRole('button', { name: 'Copied' }).waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
        'def area(radius):\n    """Area of a circle."""\n    return 3.14159 * radius ** 2  # not exact',
      );

      await answer.locator('.math-inline .katex').waitFor();
      expect(await answer.locator('.math-inline annotation').textContent()).toBe('A = \\pi r^2');
      await answer.locator('.math-display .katex-display').waitFor();
      expect(await answer.locator('.math-display annotation').textContent()).toBe('\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}');

      const boxes = answer.getByRole('checkbox');
      expect(await boxes.count()).toBe(2);
      expect(await boxes.nth(0).isChecked()).toBe(true);
      expect(await boxes.nth(1).isChecked()).toBe(false);
      expect(await boxes.nth(0).isDisabled()).toBe(true);
      await boxes.nth(1).click({ force: true });
      expect(await boxes.nth(1).isChecked()).toBe(false);

      // The align attribute maps to Chromium's -webkit-left, -webkit-center and -webkit-right.
      const alignOf = (column: number) => answer.locator('td').nth(column).evaluate((cell) => getComputedStyle(cell).textAlign.replace('-webkit-', ''));
      expect([await alignOf(0), await alignOf(1), await alignOf(2)]).toStrictEqual(['left', 'center', 'right']);
      expect(scripted.fixture.pageErrors).toStrictEqual([]);
      await screenshot(page, `answer-rendering-${colorScheme}`);
    });
  }

  it('scrolls a wide table sideways on a phone instead of breaking its words', async () => {
    const page = await scripted.fixture.open('/', { viewport: phone, reducedMotion: 'reduce' });
    const answer = await ask(page, questions.wide, 0);
    const scroller = answer.locator('.table-scroll');
    const sizes = await scroller.evaluate((element: { scrollWidth: number; clientWidth: number }) => ({ scrollWidth: element.scrollWidth, clientWidth: element.clientWidth }));
    expect(sizes.scrollWidth).toBeGreaterThan(sizes.clientWidth);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    // Each word stays on one line: no cell breaks "Internationalization" apart.
    const brokenWords = await answer.locator('td, th').evaluateAll((cells: Array<{ textContent: string | null }>) =>
      cells.filter((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        const words = (cell.textContent ?? '').trim().split(/\s+/).length;
        return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size > words;
      }).length,
    );
    expect(brokenWords).toBe(0);
    await scroller.focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.querySelector('.table-scroll')!.scrollLeft > 0);
    await screenshot(page, 'answer-rendering-phone-table');
    await ask(page, questions.rich, 1);
    await answerOf(page, 1).locator('.math-display .katex-display').waitFor();
    await answerOf(page, 1).locator('code.hljs').waitFor();
    await screenshot(page, 'answer-rendering-phone');
  });

  it('keeps crafted code languages, formula links and form controls inert', async () => {
    const page = await scripted.fixture.open('/');
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const answer = await ask(page, questions.attacks, 0);
    await answer.locator('.math-inline.math-typeset').first().waitFor();

    expect(await answer.locator('.markdown').locator('img, [onerror], [onclick], button:not(.code-copy), input:not([type="checkbox"])').count()).toBe(0);
    expect(await answer.locator('code').getAttribute('class')).toBeNull();
    expect(await answer.locator('.code-language').count()).toBe(0);
    // KaTeX without trust shows \href and \url as unsupported commands, never as links.
    expect(await answer.locator('a').count()).toBe(0);
    expect(await answer.locator('.katex-html').allInnerTexts()).toStrictEqual(['\\href', '\\url']);
    for (const box of await answer.getByRole('checkbox').all()) expect(await box.isDisabled()).toBe(true);
    for (const box of await answer.getByRole('checkbox').all()) await box.click({ force: true });
    await answer.locator('.katex-html').first().click();
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(dialogs).toStrictEqual([]);
  });

  it('loads highlight.js and KaTeX only for answers that need them', async () => {
    const requestsBefore = scripted.fixture.requests.length;
    const page = await scripted.fixture.open('/');
    const firstLoad = scripted.fixture.requests.slice(requestsBefore);
    expect(firstLoad.filter((url) => /katex|highlighter|core-|python/i.test(url))).toStrictEqual([]);
    await ask(page, questions.wide, 0);
    expect(scripted.fixture.requests.slice(requestsBefore).filter((url) => /katex|highlighter/i.test(url))).toStrictEqual([]);
    await ask(page, questions.rich, 1);
    await answerOf(page, 1).locator('code.hljs').waitFor();
    await answerOf(page, 1).locator('.katex').first().waitFor();
    const later = scripted.fixture.requests.slice(requestsBefore);
    expect(later.some((url) => /\/assets\/highlighter-.*\.js$/.test(url))).toBe(true);
    expect(later.some((url) => /\/assets\/python-.*\.js$/.test(url))).toBe(true);
    expect(later.some((url) => /\/assets\/katex-.*\.js$/.test(url))).toBe(true);
    expect(later.every((url) => url.startsWith(scripted.fixture.server.httpUrl) || url.startsWith('ws://127.0.0.1'))).toBe(true);
  });
});
