/**
 * The kinds of file Parley takes, told apart by their bytes: the magic numbers file-type
 * reads, or, for text, valid UTF-8 with no NUL. A client's name or Content-Type never
 * decides. SVG and HTML are not among them: they would be text at best (served as
 * text/plain), since a browser runs the scripts they may hold.
 */
export const knownFileTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'] as const;

export type FileType = (typeof knownFileTypes)[number];

export function isKnownFileType(value: string): value is FileType {
  return (knownFileTypes as readonly string[]).includes(value);
}

/** Images a browser shows inline without running anything in them. */
export function isRasterImage(type: string): boolean {
  return type.startsWith('image/');
}

export interface ContentVerdict {
  /** The type the bytes are, among knownFileTypes; null when they are none of them. */
  type: FileType | null;
  /** What the bytes look like, for the refusal ("a zip archive"), when file-type named it. */
  detected?: string;
}

/**
 * Which allowed type a file is. `sniffed` is file-type's answer for the first bytes
 * (undefined when it knows no signature there); `text` whether the whole file is UTF-8
 * without NUL.
 */
export function classifyContent(sniffed: { mime: string } | undefined, text: boolean): ContentVerdict {
  if (sniffed !== undefined) return isKnownFileType(sniffed.mime) && sniffed.mime !== 'text/plain' ? { type: sniffed.mime } : { type: null, detected: sniffed.mime };
  return { type: text ? 'text/plain' : null };
}
