/** Which class names an element of an answer may keep, by tag (upper case, as the DOM names them). */
const allowedByTag: Record<string, readonly RegExp[]> = {
  CODE: [/^hljs$/, /^language-[a-z0-9][a-z0-9+#._-]{0,31}$/i],
  // highlight.js marks tokens with `hljs-<scope>` and sub-scopes with a trailing underscore.
  SPAN: [/^hljs-[a-z-]{1,40}$/, /^[a-z]{1,40}_+$/, /^language-[a-z0-9][a-z0-9+#._-]{0,31}$/i, /^math-(inline|display)$/, /^code-language$/],
  DIV: [/^markdown-block$/, /^code-(block|head)$/, /^math-display$/, /^table-scroll$/],
  LI: [/^task-item$/],
};

/**
 * The class names the page's own styles and enhancements look for, and nothing else: an
 * answer cannot borrow the page's layout classes, and a crafted `language-` name cannot
 * carry markup.
 */
export function safeClasses(tagName: string, classValue: string): string {
  const allowed = allowedByTag[tagName];
  if (!allowed) return '';
  return classValue
    .split(/\s+/)
    .filter((name) => name !== '' && allowed.some((pattern) => pattern.test(name)))
    .join(' ');
}
