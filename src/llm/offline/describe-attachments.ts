import { cutAtWord } from '../../text/cut-at-word.js';
import type { AttachedFile } from './read-prompt.js';

const previewChars = 300;

/**
 * The offline model's answer to files: what it read of each text file (its size and how it
 * begins), and plainly which files it cannot see, since it reads text only.
 */
export function describeAttachments(files: readonly AttachedFile[]): string {
  const lines: string[] = [];
  const unseen: AttachedFile[] = [];
  for (const file of files) {
    if (file.text === undefined) {
      unseen.push(file);
      continue;
    }
    const body = file.text.replace(/\n$/, '');
    const lineCount = body === '' ? 0 : body.split('\n').length;
    const words = file.text.split(/\s+/).filter(Boolean).length;
    const preview = cutAtWord(file.text.replace(/\s+/g, ' ').trim(), previewChars);
    lines.push(`I read "${file.name}": ${lineCount} line${lineCount === 1 ? '' : 's'}, ${words} word${words === 1 ? '' : 's'}.${preview ? ` It begins: "${preview}"` : ' It is empty.'}`);
  }
  if (unseen.length > 0) {
    const names = unseen.map((file) => `"${file.name}" (${kindOf(file.mediaType)})`).join(', ');
    lines.push(`I cannot see ${names}: the offline model reads text files only. A model such as Gemini can read images and PDFs.`);
  }
  return lines.join('\n\n');
}

function kindOf(mediaType: string): string {
  if (mediaType.startsWith('image/')) return 'an image';
  if (mediaType === 'application/pdf') return 'a PDF';
  return mediaType;
}
