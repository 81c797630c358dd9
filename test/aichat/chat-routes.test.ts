import { afterEach, describe, expect, it } from 'vitest';
import { scriptedRunner } from '../support/scripted-runner.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { chatTransport, finalMessage, send, textOf, userMessage } from './support/chat-client.js';

describe('POST /api/chat', () => {
  let server: RunningServer;
  afterEach(async () => server?.close());

  it('streams the answer to the AI SDK client as one assistant message', async () => {
    server = await startServer({}, {
      runner: scriptedRunner(async function* () {
        yield { type: 'text', text: 'Hello ' };
        yield { type: 'text', text: 'there.' };
        yield { type: 'finish', finishReason: 'stop', usage: { promptTokens: 3, completionTokens: 2 } };
      }),
    });
    const stream = await send(chatTransport(server.httpUrl), 'chat-text', [userMessage('u1', 'hi')]);
    const message = await finalMessage(stream);
    expect(message.role).toBe('assistant');
    expect(textOf(message)).toBe('Hello there.');
  });
});
