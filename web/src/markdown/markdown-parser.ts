import { Marked, Renderer } from 'marked';
import { highlightedHtml } from './code-highlighter.js';
import { escapeHtml } from './escape-html.js';
import { fenceLanguage } from './fence-language.js';
import { mathExtension } from './math-extension.js';

/**
 * marked set up for answers: GitHub's flavour with line breaks kept, math placeholders, code
 * blocks with their language and highlighting, tables that scroll on their own. Its output is
 * not safe yet: render-markdown.ts sanitizes it.
 */
export const markdownParser = new Marked(mathExtension, {
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // Images in an answer would fetch from anywhere the model names (a tracking pixel):
    // shown as a link the user can choose to open instead.
    image({ href, text }) {
      return `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`;
    },
    code({ text, lang }) {
      const language = fenceLanguage(lang);
      const code = language === undefined ? undefined : highlightedHtml(text, language);
      const label = language === undefined ? '' : `<span class="code-language">${escapeHtml(language)}</span>`;
      const codeClass = language === undefined ? '' : ` class="${code === undefined ? '' : 'hljs '}language-${escapeHtml(language)}"`;
      return `<div class="code-block"><div class="code-head">${label}</div><pre tabindex="0"><code${codeClass}>${code ?? escapeHtml(text)}\n</code></pre></div>\n`;
    },
    // A wide table scrolls sideways in its own box instead of squeezing its words apart.
    table(token) {
      return `<div class="table-scroll" tabindex="0">${Renderer.prototype.table.call(this, token)}</div>\n`;
    },
    listitem(item) {
      return item.task ? `<li class="task-item">${this.parser.parse(item.tokens)}</li>\n` : false;
    },
    checkbox({ checked }) {
      return `<input type="checkbox" disabled${checked ? ' checked' : ''} aria-label="${checked ? 'Done' : 'Not done'}"> `;
    },
  },
});
