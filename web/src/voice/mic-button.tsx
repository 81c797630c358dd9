import { useEffect, useRef, useState } from 'preact/hooks';
import { browserRecognitionClass } from './browser-speech.js';
import { useVoiceOptions } from './use-voice-options.js';
import type { VoiceInput, VoiceInputState } from './voice-input.js';
import { MicIcon } from './voice-icons.js';
import './voice.css';

interface Props {
  disabled: boolean;
  /** What was said, for the message box; the user sends it. */
  onText: (text: string) => void;
}

/**
 * The composer's microphone: press to record, press again to stop; the words land in the
 * message box. Records for the server's transcription service when it has one, else uses the
 * browser's own recognition, else is not shown. The recorder is loaded on first use.
 */
export function MicButton({ disabled, onText }: Props) {
  const options = useVoiceOptions();
  const [state, setState] = useState<VoiceInputState>({ kind: 'idle' });
  const input = useRef<VoiceInput | null>(null);
  useEffect(() => () => input.current?.cancel(), []);

  const via = options === undefined ? null : options?.transcription ? 'server' : browserRecognitionClass() ? 'browser' : null;
  if (via === null) return null;
  const recording = state.kind === 'recording';
  const busy = state.kind === 'starting' || state.kind === 'transcribing';

  const press = async () => {
    if (recording) return input.current?.finish();
    setState({ kind: 'starting' });
    try {
      const { startVoiceInput } = await import('./voice-input.js');
      input.current = startVoiceInput({
        via,
        maxSeconds: options?.max_audio_seconds ?? 60,
        maxBytes: options?.max_audio_bytes ?? 10 * 1024 * 1024,
        onState: setState,
        onText,
      });
    } catch (error) {
      setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  };

  const label = recording ? 'Stop recording' : state.kind === 'transcribing' ? 'Transcribing…' : 'Record a message';
  return (
    <span class="mic-wrap">
      <button type="button" class="button mic" data-state={state.kind} aria-label={label} title={label} aria-pressed={recording} disabled={disabled || busy} onClick={() => void press()}>
        <MicIcon />
      </button>
      {state.kind === 'failed' ? <p class="voice-problem" role="alert">{state.message}</p> : null}
    </span>
  );
}
