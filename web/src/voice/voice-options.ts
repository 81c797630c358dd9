import type { VoiceOptions } from '../../../src/voice/voice-schemas.js';
import { authorizedFetch } from '../api/sessions-api.js';

export type { VoiceOptions };

let loading: Promise<VoiceOptions | null> | null = null;

/**
 * What the server offers for voice (GET /api/voice), asked once per page. Null when it does
 * not say (an older server, a failure): the page then offers the browser's own speech.
 */
export function loadVoiceOptions(): Promise<VoiceOptions | null> {
  loading ??= authorizedFetch('/api/voice')
    .then((response) => (response.ok ? (response.json() as Promise<VoiceOptions>) : null))
    .catch(() => null)
    .then((options) => {
      // A failure is asked again by the next component that needs the answer.
      if (options === null) loading = null;
      return options;
    });
  return loading;
}
