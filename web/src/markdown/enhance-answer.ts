import { addCopyButtons } from './code-copy-buttons.js';
import { renderMathIn } from './math-renderer.js';

/** What sanitized HTML cannot carry, added to it once it is in the page: copy buttons, typeset math. */
export function enhanceAnswer(root: Element): void {
  addCopyButtons(root);
  renderMathIn(root);
}
