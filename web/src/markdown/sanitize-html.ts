import DOMPurify from 'dompurify';
import { safeClasses } from './safe-classes.js';

const purifier = DOMPurify(window);

/** Task-list boxes are the only form control an answer may show, and they cannot be changed. */
const checkboxAttributes = new Set(['type', 'checked', 'disabled', 'aria-label']);

purifier.addHook('uponSanitizeAttribute', (node, data) => {
  if (data.attrName === 'class') {
    data.attrValue = safeClasses(node.tagName, data.attrValue);
    data.keepAttr = data.attrValue !== '';
  } else if (node.tagName === 'INPUT' && !checkboxAttributes.has(data.attrName)) {
    data.keepAttr = false;
  }
});
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  } else if (node.tagName === 'INPUT') {
    if (node.getAttribute('type') === 'checkbox') node.setAttribute('disabled', '');
    else node.remove();
  }
});

const config = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'button', 'textarea', 'select', 'img', 'video', 'audio', 'source', 'picture', 'iframe', 'object', 'embed', 'svg', 'math'],
  FORBID_ATTR: ['style', 'id'],
};

/**
 * HTML that is safe to insert: drops scripts, event handlers, javascript: links, styles,
 * forms and every control but a disabled checkbox, and class names the page does not know.
 */
export function sanitizeHtml(html: string): string {
  return purifier.sanitize(html, config);
}

/** The same, as nodes ready to insert: no second parse of the sanitized text. */
export function sanitizeToFragment(html: string): DocumentFragment {
  return purifier.sanitize(html, { ...config, RETURN_DOM_FRAGMENT: true });
}
