/** The parts of the Web Speech API's recognition the page uses (not in TypeScript's DOM types). */
export interface BrowserRecognition {
  lang: string;
  continuous: boolean;
  interimResults: boolean;
  onresult: ((event: { resultIndex: number; results: ArrayLike<{ isFinal: boolean; 0: { transcript: string } }> }) => void) | null;
  onerror: ((event: { error: string }) => void) | null;
  onend: (() => void) | null;
  start(): void;
  stop(): void;
  abort(): void;
}

export type BrowserRecognitionClass = new () => BrowserRecognition;

/** The browser's own speech recognition (Chrome's and Safari's prefixed one included), or null. */
export function browserRecognitionClass(): BrowserRecognitionClass | null {
  const scope = window as unknown as { SpeechRecognition?: BrowserRecognitionClass; webkitSpeechRecognition?: BrowserRecognitionClass };
  return scope.SpeechRecognition ?? scope.webkitSpeechRecognition ?? null;
}

export function hasSpeechSynthesis(): boolean {
  return 'speechSynthesis' in window && typeof SpeechSynthesisUtterance === 'function';
}
