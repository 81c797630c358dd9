import type { Transcript } from '../../../src/voice/voice-schemas.js';
import { readProblem } from '../api/read-problem.js';
import { authorizedFetch } from '../api/sessions-api.js';
import { browserRecognitionClass } from './browser-speech.js';
import { voiceProblemWords } from './voice-problem-words.js';

export type VoiceInputState = { kind: 'idle' } | { kind: 'starting' } | { kind: 'recording' } | { kind: 'transcribing' } | { kind: 'failed'; message: string };

/** Speech being taken in: `finish` ends it and hands its text on; `cancel` drops it. */
export interface VoiceInput {
  finish(): void;
  cancel(): void;
}

export interface VoiceInputOptions {
  /** `server`: recorded and sent to POST /api/transcribe; `browser`: the browser's own recognition. */
  via: 'server' | 'browser';
  maxSeconds: number;
  maxBytes: number;
  onState(state: VoiceInputState): void;
  onText(text: string): void;
}

export function startVoiceInput(options: VoiceInputOptions): VoiceInput {
  return options.via === 'server' ? new RecordedInput(options) : new RecognizedInput(options);
}

/** What MediaRecorder is asked for, best first: every one is a container the server reads the length of. */
const recordingTypes = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/mp4'];

const nothingHeard = 'Nothing was heard. Try again, closer to the microphone.';

/** The microphone through MediaRecorder, stopped by the user or at the server's length limit, then transcribed by the server. */
class RecordedInput implements VoiceInput {
  readonly #chunks: Blob[] = [];
  readonly #abort = new AbortController();
  #stream: MediaStream | null = null;
  #recorder: MediaRecorder | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #cancelled = false;

  constructor(private readonly options: VoiceInputOptions) {
    void this.#start();
  }

  finish(): void {
    clearTimeout(this.#timer);
    if (this.#recorder?.state === 'recording') this.#recorder.stop();
  }

  cancel(): void {
    this.#cancelled = true;
    this.#abort.abort();
    this.finish();
    this.#release();
  }

  async #start(): Promise<void> {
    try {
      this.#stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      this.options.onState({ kind: 'failed', message: 'The microphone could not be opened. Allow this page to use it, then try again.' });
      return;
    }
    if (this.#cancelled) return this.#release();
    const mimeType = recordingTypes.find((type) => MediaRecorder.isTypeSupported(type));
    const recorder = new MediaRecorder(this.#stream, mimeType ? { mimeType } : {});
    this.#recorder = recorder;
    recorder.ondataavailable = (event) => {
      if (event.data.size > 0) this.#chunks.push(event.data);
    };
    recorder.onstop = () => void this.#send(recorder.mimeType);
    recorder.start(1000);
    // A second early, so that the recording is never refused for its length.
    this.#timer = setTimeout(() => this.finish(), Math.max(1, this.options.maxSeconds - 1) * 1000);
    this.options.onState({ kind: 'recording' });
  }

  #release(): void {
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
  }

  async #send(mimeType: string): Promise<void> {
    this.#release();
    if (this.#cancelled) return;
    const recording = new Blob(this.#chunks, { type: mimeType || 'audio/webm' });
    if (recording.size === 0) return this.options.onState({ kind: 'failed', message: nothingHeard });
    if (recording.size > this.options.maxBytes) return this.options.onState({ kind: 'failed', message: 'The recording is too long. Keep it shorter.' });
    this.options.onState({ kind: 'transcribing' });
    try {
      const response = await authorizedFetch('/api/transcribe', {
        method: 'POST',
        headers: { 'content-type': recording.type },
        body: recording,
        signal: this.#abort.signal,
      });
      if (!response.ok) return this.options.onState({ kind: 'failed', message: voiceProblemWords(await readProblem(response)) });
      const { text } = (await response.json()) as Transcript;
      if (text === '') return this.options.onState({ kind: 'failed', message: nothingHeard });
      this.options.onText(text);
      this.options.onState({ kind: 'idle' });
    } catch {
      if (!this.#cancelled) this.options.onState({ kind: 'failed', message: 'The recording could not be sent. Check the connection and try again.' });
    }
  }
}

const recognitionProblems: Record<string, string> = {
  'not-allowed': 'The microphone could not be opened. Allow this page to use it, then try again.',
  'service-not-allowed': "This browser's speech recognition is turned off.",
  'no-speech': nothingHeard,
  'audio-capture': 'No microphone was found.',
  network: "This browser's speech recognition needs its online service, which did not answer.",
};

/** The browser's own recognition, for servers with no transcription service. */
class RecognizedInput implements VoiceInput {
  readonly #recognition;
  readonly #heard: string[] = [];
  #failed = false;
  #cancelled = false;

  constructor(options: VoiceInputOptions) {
    const Recognition = browserRecognitionClass();
    if (Recognition === null) throw new Error('This browser has no speech recognition.');
    const recognition = new Recognition();
    this.#recognition = recognition;
    recognition.lang = document.documentElement.lang || navigator.language;
    recognition.continuous = true;
    recognition.interimResults = false;
    recognition.onresult = (event) => {
      for (let index = event.resultIndex; index < event.results.length; index++) {
        const result = event.results[index]!;
        if (result.isFinal) this.#heard.push(result[0].transcript.trim());
      }
    };
    recognition.onerror = (event) => {
      if (event.error === 'aborted') return;
      this.#failed = true;
      options.onState({ kind: 'failed', message: recognitionProblems[event.error] ?? 'Speech recognition failed. Try again.' });
    };
    recognition.onend = () => {
      if (this.#cancelled || this.#failed) return;
      const text = this.#heard.filter(Boolean).join(' ');
      if (text === '') return options.onState({ kind: 'failed', message: nothingHeard });
      options.onText(text);
      options.onState({ kind: 'idle' });
    };
    recognition.start();
    options.onState({ kind: 'recording' });
  }

  finish(): void {
    this.#recognition.stop();
  }

  cancel(): void {
    this.#cancelled = true;
    this.#recognition.abort();
  }
}
