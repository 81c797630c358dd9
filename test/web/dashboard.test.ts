import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAnalyticsFixture } from '../analytics/analytics-fixture.js';
import { ChatPageFixture, screenshot } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

const fixtureDays = '/dashboard?from=2026-03-01&to=2026-03-02';
const ready = '.dashboard-body';

const totalOf = (page: Page, id: string) => page.locator(`[data-total="${id}"] .total-value`).innerText();

/** The rows of a table as text cells, header cell first. */
async function rowsOf(page: Page, selector: string): Promise<string[][]> {
  const rows = await page.locator(`${selector} tbody tr`).all();
  return Promise.all(rows.map(async (row) => (await row.locator('th, td').allTextContents()).map((text) => text.trim())));
}

/** How many pixels of a chart's canvas uPlot painted (its background is transparent). */
async function paintedPixels(page: Page, chart: string): Promise<number> {
  const selector = JSON.stringify(`[data-chart="${chart}"] canvas`);
  return page.evaluate(`(() => {
    const canvas = document.querySelector(${selector});
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let index = 3; index < pixels.length; index += 4) if (pixels[index] > 0) painted += 1;
    return painted;
  })()`);
}

describe.runIf(hasChromium)('the dashboard', () => {
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start();
    await seedAnalyticsFixture(fixture.server.app.parley.database);
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it("shows the fixture's hand-counted totals, a painted chart per measure, and the tables by model, tool and error", async () => {
    const page = await fixture.open(fixtureDays, { until: ready });
    expect(await totalOf(page, 'sessions')).toBe('4');
    expect(await totalOf(page, 'active_users')).toBe('2');
    expect(await totalOf(page, 'turns')).toBe('6');
    expect(await totalOf(page, 'ttft')).toBe('300 ms / 480 ms');
    expect(await totalOf(page, 'duration')).toBe('800 ms / 3,500 ms');
    expect(await totalOf(page, 'tokens')).toBe('205 / 67');
    expect(await totalOf(page, 'cancelled')).toBe('1 / 1');
    expect(await totalOf(page, 'failed')).toBe('1');

    const charts = await Promise.all((await page.locator('[data-chart]').all()).map((section) => section.getAttribute('data-chart')));
    expect(charts).toStrictEqual(['activity', 'outcomes', 'ttft', 'duration', 'tokens', 'tools']);
    for (const chart of charts) expect(await paintedPixels(page, chart ?? '')).toBeGreaterThan(500);
    // Turns, sessions, active users per day; TTFT p50 and p95 per day.
    expect(await rowsOf(page, '[data-chart="activity"] details')).toStrictEqual([['2026-03-01', '3', '3', '2'], ['2026-03-02', '3', '2', '1']]);
    expect(await rowsOf(page, '[data-chart="ttft"] details')).toStrictEqual([['2026-03-01', '150', '195'], ['2026-03-02', '400', '490']]);

    expect(await rowsOf(page, '[data-table="models"]')).toStrictEqual([['m-large', '3', '130', '42'], ['m-small', '2', '70', '20'], ['unknown', '1', '5', '5']]);
    expect(await rowsOf(page, '[data-table="tools"]')).toStrictEqual([['calculator', '3', '1', '33.3 %'], ['fetch_data', '1', '1', '100 %']]);
    expect(await rowsOf(page, '[data-table="errors"]')).toStrictEqual([['llm_timeout', '1'], ['write_failed', '1']]);
    await screenshot(page, 'dashboard-light');
    expect(fixture.pageErrors).toStrictEqual([]);
  });

  it('changes the figures with the filters and keeps them in the address', async () => {
    const page = await fixture.open(fixtureDays, { until: ready });
    await page.getByLabel('From', { exact: true }).fill('2026-03-02');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('.dashboard-body[data-from="2026-03-02T00:00:00.000Z"]').waitFor();
    expect(new URL(page.url()).search).toBe('?from=2026-03-02&to=2026-03-02');
    expect(await totalOf(page, 'turns')).toBe('3');
    expect(await totalOf(page, 'ttft')).toBe('400 ms / 490 ms');

    await page.locator('select[name="bucket"]').selectOption('hour');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('.dashboard-body[data-bucket="hour"]').waitFor();
    const hours = await rowsOf(page, '[data-chart="activity"] details');
    expect(hours).toHaveLength(24);
    // Midnight's answer, noon's interrupted turn, n1's answer at 13:00.
    expect(hours.filter((row) => row[1] !== '0')).toStrictEqual([['2026-03-02 00:00', '1', '0', '0'], ['2026-03-02 12:00', '1', '1', '1'], ['2026-03-02 13:00', '1', '1', '0']]);

    await page.goBack();
    await page.locator('.dashboard-body[data-bucket="day"]').waitFor();
    expect(await totalOf(page, 'turns')).toBe('3');
  });

  it("says what is wrong with a filter in the server's words", async () => {
    const page = await fixture.open(fixtureDays, { until: ready });
    await page.getByLabel('From', { exact: true }).fill('2026-03-05');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('must be before to');
  });

  it('draws in the dark theme too', async () => {
    const page = await fixture.open(fixtureDays, { until: ready, colorScheme: 'dark' });
    const background = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(background).toBe('rgb(19, 20, 22)');
    expect(await paintedPixels(page, 'duration')).toBeGreaterThan(500);
    await screenshot(page, 'dashboard-dark');
  });

  it("opens from the chat page's sidebar", async () => {
    const page = await fixture.open('/');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.locator(ready).waitFor();
    expect(new URL(page.url()).pathname).toBe('/dashboard');
  });
});

describe.runIf(hasChromium)('the dashboard with a token', () => {
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start({ API_TOKEN: 'dashboard-operator-token' });
    await seedAnalyticsFixture(fixture.server.app.parley.database);
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('asks for the token the chat page asks for, and uses the one the tab already holds', async () => {
    const signIn = await fixture.open(fixtureDays, { until: 'form.sign-in-form' });
    expect(await signIn.locator(ready).count()).toBe(0);

    const page = await fixture.open('/?token=dashboard-operator-token');
    await page.goto(`${fixture.server.httpUrl}${fixtureDays}`);
    await page.locator(ready).waitFor();
    expect(await totalOf(page, 'turns')).toBe('6');
    expect(await page.locator('.dashboard-head').innerText()).toContain('All users (operator)');
  });
});
