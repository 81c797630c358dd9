import { Component, createRef } from 'preact';
import { onHighlighterReady } from '../markdown/code-highlighter.js';
import { enhanceAnswer } from '../markdown/enhance-answer.js';
import { MarkdownBlocks } from '../markdown/markdown-blocks.js';
import { renderTokens } from '../markdown/render-markdown.js';
import '../markdown/markdown.css';

/** While an answer streams, its end is rendered at most this often: about ten times a second. */
const streamingPaintMs = 100;

interface Props {
  text: string;
  /** Shows a caret after the last word while the answer is being written. */
  streaming?: boolean;
}

/**
 * Sanitized markdown, one element per block. While an answer streams, finished blocks are
 * rendered once and kept, and only the block still being written is rendered again, at most
 * every 100 ms: parsing, sanitizing and laying out each frame kept the page from answering
 * the keyboard on a slow phone.
 */
export class MarkdownView extends Component<Props> {
  readonly #root = createRef<HTMLDivElement>();
  #blocks = new MarkdownBlocks();
  #tail: HTMLElement | null = null;
  #tailHtml = '';
  #stopListening: (() => void) | undefined;
  #lastPaintAt = Number.NEGATIVE_INFINITY;
  #paintTimer: ReturnType<typeof setTimeout> | undefined;

  override shouldComponentUpdate(next: Props): boolean {
    return next.text !== this.props.text || next.streaming !== this.props.streaming;
  }

  override componentDidMount(): void {
    this.#paint();
    // A language that finished loading: code blocks shown plain so far get their colours.
    this.#stopListening = onHighlighterReady(() => {
      if (!/```|~~~/.test(this.props.text)) return;
      this.#blocks = new MarkdownBlocks();
      this.#paint();
    });
  }

  override componentDidUpdate(): void {
    if (!this.props.streaming) {
      this.#paint();
      return;
    }
    if (this.#paintTimer !== undefined) return;
    const wait = this.#lastPaintAt + streamingPaintMs - performance.now();
    if (wait <= 0) this.#paint();
    else this.#paintTimer = setTimeout(() => this.#paint(), wait);
  }

  override componentWillUnmount(): void {
    this.#stopListening?.();
    clearTimeout(this.#paintTimer);
  }

  override render({ streaming }: Props) {
    // The blocks inside are managed by #paint, not by Preact.
    return <div ref={this.#root} class={streaming ? 'markdown streaming-text' : 'markdown'} />;
  }

  #paint(): void {
    clearTimeout(this.#paintTimer);
    this.#paintTimer = undefined;
    this.#lastPaintAt = performance.now();
    const root = this.#root.current;
    if (!root) return;
    const update = this.#blocks.update(this.props.text);
    if (update.reset) {
      root.replaceChildren();
      this.#tail = null;
      this.#tailHtml = '';
    }
    for (const token of update.settled) {
      const block = blockElement(renderTokens([token]));
      root.insertBefore(block, this.#tail);
      enhanceAnswer(block);
    }
    const html = renderTokens(update.tail);
    if (this.#tail && html === this.#tailHtml) return;
    this.#tail ??= root.appendChild(blockElement(''));
    this.#tail.innerHTML = html;
    this.#tailHtml = html;
    enhanceAnswer(this.#tail);
  }
}

function blockElement(html: string): HTMLElement {
  const block = document.createElement('div');
  block.className = 'markdown-block';
  block.innerHTML = html;
  return block;
}
