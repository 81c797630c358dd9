import { useEffect, useState } from 'preact/hooks';
import { loadVoiceOptions, type VoiceOptions } from './voice-options.js';

/** The server's voice options: undefined while asked, null when it did not say. */
export function useVoiceOptions(): VoiceOptions | null | undefined {
  const [options, setOptions] = useState<VoiceOptions | null | undefined>(undefined);
  useEffect(() => {
    let current = true;
    void loadVoiceOptions().then((loaded) => current && setOptions(loaded));
    return () => {
      current = false;
    };
  }, []);
  return options;
}
