import { copyToClipboard } from './copy-to-clipboard.js';

/** How long "Copied" stays on the button. */
const feedbackMs = 2_000;

/**
 * Gives each code block under `root` a Copy button. The sanitizer lets no button through, so
 * these are made here, after it, and copy exactly the code the block shows.
 */
export function addCopyButtons(root: Element): void {
  for (const head of root.querySelectorAll('.code-head')) {
    const code = head.parentElement?.querySelector('pre > code');
    if (!code || head.querySelector('button')) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'code-copy';
    button.textContent = 'Copy code';
    button.addEventListener('click', () => {
      void copyToClipboard((code.textContent ?? '').replace(/\n$/, '')).then((copied) => {
        button.textContent = copied ? 'Copied' : 'Copy failed';
        setTimeout(() => {
          button.textContent = 'Copy code';
        }, feedbackMs);
      });
    });
    head.append(button);
  }
}
