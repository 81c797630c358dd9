import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioDuration } from '../../src/voice/audio-duration.js';
import { cutSentences } from '../../web/src/voice/cut-sentences.js';
import { plainText } from '../../web/src/voice/plain-text.js';
import { startFakeAudioServer, type FakeAudioServer, type ReceivedSpeech, type ReceivedTranscription } from '../fakes/fake-audio-server.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { sineWav } from '../fakes/sine-wav.js';
import { eventually } from '../support/eventually.js';
import { ChatPageFixture, screenshot, sendMessage, sessionIdOf, waitForTurnEnd } from './support/chat-page.js';
import { hasChromium } from './support/launch-chromium.js';

/** The model's answer: markdown that must not be read as symbols, streamed for a few seconds. */
const markdownAnswer = '## Plan\nFirst, **open** the `door`. Then walk in!\n- Sit on the [chair](https://example.com/chair).\n- Wait for _tea_.';
const spokenAnswer = ['Plan', 'First, open the door.', 'Then walk in!', 'Sit on the chair.', 'Wait for tea.'];

function speechInputs(audio: FakeAudioServer): string[] {
  return audio.received.filter((request): request is ReceivedSpeech => request.path === '/v1/audio/speech').map((request) => request.input);
}

function readAloudButton(page: Page, turnIndex: number) {
  return page.locator('article.turn').nth(turnIndex).locator('.read-aloud');
}

describe.runIf(hasChromium)('voice on the page, through the server\'s speech services', () => {
  let fixture: ChatPageFixture;
  let audio: FakeAudioServer;
  let model: FakeOpenAiServer;
  let captureDir: string;

  beforeAll(async () => {
    audio = await startFakeAudioServer({
      replies: (request) => (request.path === '/v1/audio/speech' ? { kind: 'speech', seconds: 0.8 } : { kind: 'transcript', text: 'Turn on the lights.' }),
    });
    model = await startFakeOpenAiServer({ replies: () => ({ kind: 'text', text: markdownAnswer }), tokenDelayMs: 120 });
    // Chromium's fake microphone plays this file: three seconds of a tone.
    captureDir = await mkdtemp(join(tmpdir(), 'parley-voice-'));
    const capture = join(captureDir, 'speech.wav');
    await writeFile(capture, sineWav({ seconds: 3, sampleRate: 48_000 }));
    fixture = await ChatPageFixture.start(
      {
        LLM_PROVIDER: 'openai',
        OPENAI_BASE_URL: model.baseUrl,
        OPENAI_MODEL: 'fake-model',
        STT_BASE_URL: audio.baseUrl,
        TTS_BASE_URL: audio.baseUrl,
        TTS_FORMAT: 'wav',
      },
      ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${capture}`],
    );
  });
  afterAll(async () => {
    await fixture?.close();
    await audio?.stop();
    await model?.stop();
    if (captureDir) await rm(captureDir, { recursive: true, force: true });
  });

  it('records from the microphone, has the server transcribe it, and puts the words in the message box to send', async () => {
    const page = await fixture.open('/');
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Please');
    await page.getByRole('button', { name: 'Record a message' }).click();
    await page.locator('.button.mic[data-state="recording"]').waitFor();
    await screenshot(page, 'voice-recording');
    await page.waitForTimeout(1500);
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await expect.poll(() => box.inputValue(), { timeout: 30_000 }).toBe('Please Turn on the lights.');
    await screenshot(page, 'voice-transcribed');

    const received = audio.received.find((request): request is ReceivedTranscription => request.path === '/v1/audio/transcriptions');
    expect(received?.file?.name).toBe('recording.webm');
    expect(received?.file?.type).toBe('audio/webm');
    // Chromium's own recording, read by the server's WebM reader: about as long as the press.
    const seconds = audioDuration('webm', received!.file!.bytes);
    expect(seconds).toBeGreaterThan(0.8);
    expect(seconds).toBeLessThan(10);

    await box.press('Enter');
    await waitForTurnEnd(page, 0);
    expect(await page.locator('.user-text').first().innerText()).toBe('Please Turn on the lights.');
  });

  it('reads an answer aloud while it is still being written, sentence by sentence, without its markdown', async () => {
    const page = await fixture.open('/');
    const before = speechInputs(audio).length;
    await sendMessage(page, 'How do I get in?');
    const turn = page.locator('article.turn').first();
    await turn.locator('.markdown').first().waitFor();
    await readAloudButton(page, 0).click();
    await eventually(() => speechInputs(audio).length > before, 30_000);
    expect(await turn.getAttribute('data-status')).toBe('streaming');
    await page.locator('.read-aloud[data-state="playing"]').waitFor();
    expect(await readAloudButton(page, 0).innerText()).toContain('Stop reading');
    await screenshot(page, 'voice-reading-aloud');

    // Each sentence is fetched once the one two before it has played to its end.
    await page.locator('.read-aloud[data-state="idle"]').waitFor({ timeout: 60_000 });
    expect(speechInputs(audio).slice(before)).toStrictEqual(spokenAnswer);
    expect(await turn.getAttribute('data-status')).toBe('complete');
    expect(fixture.pageErrors).toStrictEqual([]);
  }, 120_000);

  it('stops reading with Esc, and asks for no more of the answer', async () => {
    const page = await fixture.open('/');
    await sendMessage(page, 'And then?');
    await waitForTurnEnd(page, 0);
    const before = speechInputs(audio).length;
    await readAloudButton(page, 0).click();
    await page.locator('.read-aloud[data-state="playing"]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.read-aloud[data-state="idle"]').waitFor();
    const asked = speechInputs(audio).length;
    await page.waitForTimeout(2000);
    expect(speechInputs(audio).length).toBe(asked);
    expect(asked - before).toBeLessThan(spokenAnswer.length);
    expect(await readAloudButton(page, 0).innerText()).toContain('Read aloud');
  });
});

/** Records what the page asks the browser's voice to say, and lets it speak. */
const watchSpeechSynthesis = `
  window.__spoken = [];
  const speak = speechSynthesis.speak.bind(speechSynthesis);
  speechSynthesis.speak = (utterance) => { window.__spoken.push(utterance.text); speak(utterance); };
`;

/** A stand-in for the browser's recognition, whose real service is online: it hears one sentence. */
const scriptedRecognition = `
  window.SpeechRecognition = window.webkitSpeechRecognition = class {
    start() { setTimeout(() => this.onresult?.({ resultIndex: 0, results: [Object.assign([{ transcript: 'hello from the browser' }], { isFinal: true })] }), 50); }
    stop() { setTimeout(() => this.onend?.(), 10); }
    abort() { this.onerror?.({ error: 'aborted' }); this.onend?.(); }
  };
`;

const noRecognition = 'delete window.webkitSpeechRecognition; delete window.SpeechRecognition;';

describe.runIf(hasChromium)('voice on the page, with no speech service on the server', () => {
  let fixture: ChatPageFixture;
  beforeAll(async () => {
    fixture = await ChatPageFixture.start({ OFFLINE_TOKEN_DELAY_MS: '5' });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('reads an answer with the browser\'s own voice, sentence by sentence in plain words, and stops with Esc', async () => {
    const page = await fixture.open('/', { initScript: watchSpeechSynthesis });
    await sendMessage(page, 'What can you do?');
    await waitForTurnEnd(page, 0);
    await readAloudButton(page, 0).click();
    const events = await (await fetch(`${fixture.server.httpUrl}/api/sessions/${sessionIdOf(page)}/events`)).json() as { events: Array<{ event_type: string; content: string }> };
    const answer = events.events.find((event) => event.event_type === 'assistant_message')!.content;
    const expected = cutSentences(answer, 0, true).sentences.map(plainText).filter(Boolean);
    expect(expected.length).toBeGreaterThan(1);
    await expect.poll(() => page.evaluate<string[]>('window.__spoken')).toStrictEqual(expected);
    await page.keyboard.press('Escape');
    await page.locator('.read-aloud[data-state="idle"]').waitFor();
    expect(await page.evaluate<boolean>('speechSynthesis.speaking || speechSynthesis.pending')).toBe(false);
  });

  it('uses the browser\'s own speech recognition for the microphone', async () => {
    const page = await fixture.open('/', { initScript: scriptedRecognition });
    await page.getByRole('button', { name: 'Record a message' }).click();
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('hello from the browser');
  });

  it('hides the microphone where the browser has no speech recognition either', async () => {
    const page = await fixture.open('/', { initScript: noRecognition });
    await sendMessage(page, 'Hello');
    await waitForTurnEnd(page, 0);
    // The read-aloud control shows once the page knows what the server offers.
    await readAloudButton(page, 0).waitFor();
    expect(await page.locator('.button.mic').count()).toBe(0);
    await screenshot(page, 'voice-browser-only');
  });
});
