import { fileTypeFromBuffer } from 'file-type';

/** An audio container the speech services take, as OpenAI's transcription API names them. */
export type AudioContainer = 'webm' | 'ogg' | 'wav' | 'mp3' | 'm4a' | 'flac';

export interface AudioKind {
  container: AudioContainer;
  /** What the bytes are sent as, upstream. */
  mediaType: string;
}

/** file-type's extensions for the containers browsers record and speech services read. */
const kinds: Record<string, AudioKind> = {
  webm: { container: 'webm', mediaType: 'audio/webm' },
  ogg: { container: 'ogg', mediaType: 'audio/ogg' },
  oga: { container: 'ogg', mediaType: 'audio/ogg' },
  opus: { container: 'ogg', mediaType: 'audio/ogg' },
  wav: { container: 'wav', mediaType: 'audio/wav' },
  mp3: { container: 'mp3', mediaType: 'audio/mpeg' },
  m4a: { container: 'm4a', mediaType: 'audio/mp4' },
  mp4: { container: 'm4a', mediaType: 'audio/mp4' },
  flac: { container: 'flac', mediaType: 'audio/flac' },
};

/** The audio container of `bytes`, read from their signature (never a name or a header the client chose); null when it is none of them. */
export async function audioKindOf(bytes: Uint8Array): Promise<AudioKind | null> {
  const detected = await fileTypeFromBuffer(bytes);
  return detected === undefined ? null : (kinds[detected.ext] ?? null);
}

/** Whether `bytes` start like any audio file (what a speech service must answer with). */
export async function isAudio(bytes: Uint8Array): Promise<boolean> {
  const detected = await fileTypeFromBuffer(bytes);
  return detected !== undefined && (detected.mime.startsWith('audio/') || detected.ext in kinds);
}
