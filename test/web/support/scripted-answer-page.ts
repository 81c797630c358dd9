import { openAiRequestBody, startFakeOpenAiServer, type FakeOpenAiServer } from '../../fakes/fake-openai-server.js';
import { ChatPageFixture } from './chat-page.js';

/**
 * The page talking to the real server, whose model is a fake OpenAI server that answers each
 * question in `answers` with its markdown, streamed word by word as a real model does.
 */
export class ScriptedAnswerPage {
  private constructor(readonly fixture: ChatPageFixture, readonly model: FakeOpenAiServer) {}

  static async start(answers: Record<string, string>, tokenDelayMs = 0): Promise<ScriptedAnswerPage> {
    const model = await startFakeOpenAiServer({
      tokenDelayMs,
      replies: (request) => {
        const last = openAiRequestBody(request).messages.at(-1);
        const question = typeof last?.content === 'string' ? last.content : '';
        const answer = answers[question];
        return answer === undefined ? undefined : { kind: 'text', text: answer };
      },
    });
    try {
      const fixture = await ChatPageFixture.start({ OPENAI_BASE_URL: model.baseUrl, OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'gpt-test' });
      return new ScriptedAnswerPage(fixture, model);
    } catch (error) {
      await model.stop();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.fixture.close();
    await this.model.stop();
  }
}
