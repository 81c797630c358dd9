import { describe, expect, it } from 'vitest';
import { audioDuration } from '../../src/voice/audio-duration.js';
import { audioKindOf } from '../../src/voice/audio-kind.js';
import { sineWav } from '../fakes/sine-wav.js';
import { oggOpusRecording, pngBytes, webmRecording } from './audio-samples.js';

describe('how long a recording lasts, read from its container', () => {
  it('reads a WAV file from its header, also when a streaming recorder left the data size unset', () => {
    expect(audioDuration('wav', sineWav({ seconds: 2.5, sampleRate: 8000 }))).toBe(2.5);
    const streamed = sineWav({ seconds: 2, sampleRate: 8000 });
    streamed.writeUInt32LE(0xffffffff, 40);
    expect(audioDuration('wav', streamed)).toBe(2);
  });

  it('reads a WebM recording with clusters of unknown size and no stated duration, as MediaRecorder writes it', () => {
    expect(audioDuration('webm', webmRecording({ clusterStartsMs: [0, 1000, 2000, 3000, 4000, 5000] }))).toBeCloseTo(5.98, 5);
  });

  it('takes a WebM file\'s stated duration when it is longer than its last block', () => {
    expect(audioDuration('webm', webmRecording({ clusterStartsMs: [0], statedSeconds: 12 }))).toBe(12);
  });

  it('reads the blocks there are in a WebM file cut short', () => {
    const whole = webmRecording({ clusterStartsMs: [0, 1000, 2000] });
    expect(audioDuration('webm', whole.subarray(0, Math.floor(whole.length * 0.6)))).toBeGreaterThan(0.9);
    expect(audioDuration('webm', whole.subarray(0, Math.floor(whole.length * 0.6)))).toBeLessThan(2);
  });

  it('finds no sound in a WebM file without blocks', () => {
    expect(audioDuration('webm', webmRecording({ clusterStartsMs: [] }))).toBe(0);
  });

  it('reads an Ogg Opus recording from its last granule position, less the pre-skip', () => {
    expect(audioDuration('ogg', oggOpusRecording(7))).toBe(7);
    expect(audioDuration('ogg', oggOpusRecording(0.5))).toBe(0.5);
  });

  it('does not guess for containers that do not say', () => {
    expect(audioDuration('mp3', Buffer.from('ID3'))).toBeNull();
    expect(audioDuration('webm', Buffer.from('not a webm file at all'))).toBeNull();
  });
});

describe('what kind of audio the bytes are', () => {
  it('knows the containers browsers record and speech services read, from their bytes', async () => {
    expect(await audioKindOf(webmRecording({ clusterStartsMs: [0] }))).toStrictEqual({ container: 'webm', mediaType: 'audio/webm' });
    expect(await audioKindOf(oggOpusRecording(1))).toStrictEqual({ container: 'ogg', mediaType: 'audio/ogg' });
    expect(await audioKindOf(sineWav({ seconds: 0.1 }))).toStrictEqual({ container: 'wav', mediaType: 'audio/wav' });
  });

  it('knows no image or text as audio', async () => {
    expect(await audioKindOf(pngBytes)).toBeNull();
    expect(await audioKindOf(Buffer.from('just some words, not a recording'))).toBeNull();
  });
});
