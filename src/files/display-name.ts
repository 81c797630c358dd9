import { cutText } from '../text/cut-text.js';

const maxNameChars = 200;

/**
 * The name a file is shown with: the client's, without any directory part, control
 * characters or surrounding space, cut to 200 characters; `file` when nothing is left. It is
 * only ever shown and sent back in headers, never used in a path.
 */
export function displayName(clientName: string | undefined): string {
  const base = (clientName ?? '').split(/[/\\]/).at(-1) ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '').trim();
  const name = clean === '.' || clean === '..' ? '' : clean;
  return name === '' ? 'file' : cutText(name, maxNameChars);
}
