import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatPageFixture } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

interface Transfer {
  url: string;
  type: string;
  /** Bytes over the wire, headers included (Chromium's encodedDataLength). */
  wireBytes: number;
  /** The body once decoded. */
  bodyBytes: number;
}

describe.runIf(hasChromium)('the first load over the wire', () => {
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('sends the page compressed: its scripts cost well under half their size', async () => {
    const context = await fixture.browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const seen = new Map<string, { url: string; type: string; bodyBytes: number }>();
    const transfers: Transfer[] = [];
    cdp.on('Network.responseReceived', (event) => seen.set(event.requestId, { url: event.response.url, type: event.type, bodyBytes: 0 }));
    cdp.on('Network.dataReceived', (event) => {
      const entry = seen.get(event.requestId);
      if (entry) entry.bodyBytes += event.dataLength;
    });
    cdp.on('Network.loadingFinished', (event) => {
      const entry = seen.get(event.requestId);
      if (entry) transfers.push({ ...entry, wireBytes: event.encodedDataLength });
    });
    await page.goto(fixture.server.httpUrl);
    await page.locator('[data-connection="live"]').waitFor();
    await page.waitForLoadState('networkidle');

    const sum = (items: Transfer[], key: 'wireBytes' | 'bodyBytes') => items.reduce((total, item) => total + item[key], 0);
    const scripts = transfers.filter((transfer) => transfer.type === 'Script');
    const assets = transfers.filter((transfer) => new URL(transfer.url).pathname.startsWith('/assets/'));
    console.log(
      `first load: ${transfers.length} responses, ${sum(transfers, 'wireBytes')} bytes over the wire (${sum(transfers, 'bodyBytes')} decoded); ` +
        `scripts ${sum(scripts, 'wireBytes')} over the wire (${sum(scripts, 'bodyBytes')} decoded)`,
    );
    expect(scripts.length).toBeGreaterThan(0);
    expect(sum(scripts, 'wireBytes')).toBeLessThan(sum(scripts, 'bodyBytes') / 2.5);
    expect(sum(assets, 'wireBytes')).toBeLessThan(sum(assets, 'bodyBytes') / 2.5);
    await context.close();
  });
});
