import { readProblem } from '../api/read-problem.js';
import { authorizedFetch } from '../api/sessions-api.js';
import { cutSentences } from './cut-sentences.js';
import { plainText } from './plain-text.js';
import { voiceProblemWords } from './voice-problem-words.js';

export type ReadingState = { kind: 'loading' } | { kind: 'playing' } | { kind: 'idle' } | { kind: 'failed'; message: string };

/** An answer being read aloud: fed its text as it grows, stopped by its control or Esc. */
export interface Reading {
  feed(text: string, final: boolean): void;
  stop(): void;
}

/** One reading at a time on the page: starting one stops the one before. */
let current: Reading | null = null;

/** Reads through the server's speech service (`server`) or the browser's speechSynthesis. */
export function startReading(via: 'server' | 'browser', maxChars: number, onState: (state: ReadingState) => void): Reading {
  current?.stop();
  current = via === 'server' ? new ServerReading(maxChars, onState) : new BrowserReading(maxChars, onState);
  return current;
}

/** Cuts the growing answer into plain sentences, and owns what every reading shares: Esc, stop, the end. */
abstract class SentenceReading implements Reading {
  #next = 0;
  protected stopped = false;
  readonly #onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') this.stop();
  };

  constructor(private readonly maxChars: number, private readonly onState: (state: ReadingState) => void) {
    document.addEventListener('keydown', this.#onKey);
  }

  feed(text: string, final: boolean): void {
    if (this.stopped) return;
    const cut = cutSentences(text, this.#next, final);
    this.#next = cut.next;
    const sentences = cut.sentences.map(plainText).filter(Boolean).flatMap((sentence) => splitLong(sentence, this.maxChars));
    this.add(sentences, final);
  }

  stop(): void {
    if (this.stopped) return;
    this.halt();
    this.finish({ kind: 'idle' });
  }

  protected abstract add(sentences: string[], final: boolean): void;
  /** Silences everything at once. */
  protected abstract halt(): void;

  protected report(state: ReadingState): void {
    if (!this.stopped) this.onState(state);
  }

  protected finish(state: ReadingState): void {
    if (this.stopped) return;
    this.onState(state);
    this.stopped = true;
    document.removeEventListener('keydown', this.#onKey);
    if (current === this) current = null;
  }
}

/**
 * Each sentence through POST /api/speech, played by an AudioContext (which the page's
 * Content-Security-Policy allows, unlike blob: media), two sentences fetched ahead of the one
 * playing, so reading goes on without gaps and within the server's per-minute budget.
 */
class ServerReading extends SentenceReading {
  readonly #context = new AudioContext();
  readonly #abort = new AbortController();
  readonly #sentences: string[] = [];
  #final = false;
  #wake: (() => void) | null = null;
  #source: AudioBufferSourceNode | null = null;

  constructor(maxChars: number, onState: (state: ReadingState) => void) {
    super(maxChars, onState);
    this.report({ kind: 'loading' });
    void this.#run();
  }

  protected add(sentences: string[], final: boolean): void {
    this.#sentences.push(...sentences);
    this.#final ||= final;
    this.#wake?.();
  }

  protected halt(): void {
    this.#abort.abort();
    this.#source?.stop();
    this.#wake?.();
    void this.#context.close();
  }

  async #run(): Promise<void> {
    const ahead: Array<Promise<AudioBuffer>> = [];
    let fetched = 0;
    try {
      while (!this.stopped) {
        while (ahead.length < 2 && fetched < this.#sentences.length) {
          const audio = this.#fetchAudio(this.#sentences[fetched++]!);
          // Awaited in turn below; until then its failure is not unhandled.
          audio.catch(() => undefined);
          ahead.push(audio);
        }
        const next = ahead.shift();
        if (next === undefined) {
          if (this.#final) break;
          await new Promise<void>((resolve) => (this.#wake = resolve));
          continue;
        }
        const buffer = await next;
        if (this.stopped) return;
        await this.#play(buffer);
      }
      this.finish({ kind: 'idle' });
      void this.#context.close();
    } catch (error) {
      if (this.stopped) return;
      this.halt();
      this.finish({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  async #fetchAudio(text: string): Promise<AudioBuffer> {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await authorizedFetch('/api/speech', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text }),
          signal: this.#abort.signal,
        });
      } catch {
        throw new Error('The answer could not be read aloud: the server did not answer.');
      }
      if (response.ok) return this.#context.decodeAudioData(await response.arrayBuffer());
      const wait = Number(response.headers.get('retry-after'));
      const problem = await readProblem(response);
      // The budget refills within the minute: wait for it rather than stop mid-answer.
      if (problem.code === 'rate_limited' && attempt < 3 && wait > 0 && wait <= 30) {
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
        continue;
      }
      throw new Error(voiceProblemWords(problem));
    }
  }

  async #play(buffer: AudioBuffer): Promise<void> {
    await this.#context.resume();
    await new Promise<void>((resolve) => {
      const source = this.#context.createBufferSource();
      source.buffer = buffer;
      source.connect(this.#context.destination);
      source.onended = () => resolve();
      this.#source = source;
      source.start();
      this.report({ kind: 'playing' });
    });
    this.#source = null;
  }
}

/** The browser's own voice: it queues the sentences itself. */
class BrowserReading extends SentenceReading {
  readonly #speaking = new Set<SpeechSynthesisUtterance>();
  #final = false;

  protected add(sentences: string[], final: boolean): void {
    for (const sentence of sentences) {
      const utterance = new SpeechSynthesisUtterance(sentence);
      utterance.lang = document.documentElement.lang || navigator.language;
      utterance.onend = utterance.onerror = () => {
        this.#speaking.delete(utterance);
        this.#endIfDone();
      };
      this.#speaking.add(utterance);
      speechSynthesis.speak(utterance);
      this.report({ kind: 'playing' });
    }
    this.#final ||= final;
    this.#endIfDone();
  }

  protected halt(): void {
    this.#speaking.clear();
    speechSynthesis.cancel();
  }

  #endIfDone(): void {
    if (this.#final && this.#speaking.size === 0) this.finish({ kind: 'idle' });
  }
}

/** A sentence longer than one request takes, in pieces cut at spaces. */
function splitLong(sentence: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > maxChars) {
    const space = rest.lastIndexOf(' ', maxChars);
    const end = space > 0 ? space : maxChars;
    pieces.push(rest.slice(0, end));
    rest = rest.slice(end).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}
