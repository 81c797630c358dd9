import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiRequestBody, startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { eventually } from '../support/eventually.js';
import { McpScratch } from '../tools/mcp/support/fixture-servers.js';
import { answerOf, ChatPageFixture, phone, screenshot, sendMessage, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

describe.runIf(hasChromium)('an MCP tool on the page', () => {
  let scratch: McpScratch;
  let model: FakeOpenAiServer;
  let fixture: ChatPageFixture;

  beforeAll(async () => {
    scratch = await McpScratch.create();
    // The scripted model calls the MCP tool, then answers once it has the result.
    model = await startFakeOpenAiServer({
      replies: (request) => openAiRequestBody(request).messages.at(-1)?.role === 'tool'
        ? { kind: 'text', tokens: ['The ', 'server ', 'said ', 'hello.'] }
        : { kind: 'tool_calls', calls: [{ id: 'call_1', name: 'everything_here__echo', arguments: { text: 'hello' } }] },
    });
    fixture = await ChatPageFixture.start({
      OPENAI_BASE_URL: model.baseUrl,
      OPENAI_API_KEY: 'sk-test',
      TOOLS_FILE: await scratch.writeToolsFile({ everything_here: scratch.stdioEntry() }),
    });
    await eventually(() => fixture.server.app.parley.tools.get('everything_here__echo') !== undefined, 60_000);
  });
  afterAll(async () => {
    await fixture?.close();
    await model?.stop();
    await scratch?.remove();
  });

  for (const width of ['desktop', 'phone'] as const) {
    it(`shows the call as a tool card named for the tool and its server, within the screen (${width})`, async () => {
      const page = await fixture.open('/', width === 'phone' ? { viewport: phone } : {});
      await sendMessage(page, 'Say hello through the server');
      await waitForTurnEnd(page, 0);
      const card = answerOf(page, 0).locator('.tool-card');
      expect(await card.getAttribute('data-tool')).toBe('everything_here__echo');
      expect(await card.getAttribute('data-state')).toBe('done');
      expect(await card.getAttribute('aria-label')).toBe('Tool echo from everything_here: done');
      expect(await card.locator('.tool-name').innerText()).toBe('echo');
      expect(await card.locator('.tool-server').innerText()).toBe('everything_here');
      expect(await card.locator('.tool-row').allInnerTexts()).toStrictEqual(['Input\nhello', 'Result\necho: hello']);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width === 'phone' ? phone.width : 1280);
      await screenshot(page, `mcp-tool-card-${width}`);
      expect(fixture.pageErrors).toStrictEqual([]);
    });
  }
});
