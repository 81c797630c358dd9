import type { Settings } from '../config.js';
import type { SharedRedis } from '../http/http-rate-limit-options.js';
import { createRedisTokenBuckets } from '../http/redis-token-buckets.js';
import { TokenBuckets } from '../http/token-buckets.js';
import { createVoiceServices } from './create-voice-services.js';
import type { VoiceRoutesOptions } from './voice-routes.js';

/** The voice routes as the settings describe them; with `shared`, every instance spends from one budget per user. */
export function voiceRouteOptions(settings: Settings, shared: SharedRedis | undefined): VoiceRoutesOptions {
  const perMinute = settings.RATE_LIMIT_VOICE_PER_MINUTE;
  return {
    services: createVoiceServices(settings),
    maxAudioBytes: settings.MAX_AUDIO_BYTES,
    maxAudioSeconds: settings.MAX_AUDIO_SECONDS,
    perMinute,
    buckets: shared ? createRedisTokenBuckets(shared.redis, shared.prefix, perMinute, 'voice') : new TokenBuckets(perMinute),
  };
}
