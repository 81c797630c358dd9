import { Component, createRef } from 'preact';
import { onHighlighterReady } from '../markdown/code-highlighter.js';
import { enhanceAnswer } from '../markdown/enhance-answer.js';
import { MarkdownBlocks } from '../markdown/markdown-blocks.js';
import { renderBlocks } from '../markdown/render-markdown.js';
import '../markdown/markdown.css';

interface Props {
  text: string;
  /** Shows a caret after the last word while the answer is being written. */
  streaming?: boolean;
}

/**
 * Sanitized markdown, one element per block. While an answer streams, finished blocks are
 * rendered once and kept; each update renders only the block still being written.
 */
export class MarkdownView extends Component<Props> {
  readonly #root = createRef<HTMLDivElement>();
  #blocks = new MarkdownBlocks();
  /** The last block, which the next text may still change, and its source. */
  #tail: Element | null = null;
  #tailSource = '';
  #stopListening: (() => void) | undefined;

  override shouldComponentUpdate(next: Props): boolean {
    return next.text !== this.props.text || next.streaming !== this.props.streaming;
  }

  override componentDidMount(): void {
    this.#paint();
    // A language that finished loading: code blocks shown plain so far get their colours.
    this.#stopListening = onHighlighterReady(() => {
      if (!/```|~~~/.test(this.props.text)) return;
      this.#blocks = new MarkdownBlocks();
      this.#root.current?.replaceChildren();
      this.#tail = null;
      this.#paint();
    });
  }

  override componentDidUpdate(): void {
    this.#paint();
  }

  override componentWillUnmount(): void {
    this.#stopListening?.();
  }

  override render({ streaming }: Props) {
    // The blocks inside are managed by #paint, not by Preact.
    return <div ref={this.#root} class={streaming ? 'markdown streaming-text' : 'markdown'} />;
  }

  #paint(): void {
    const root = this.#root.current;
    if (!root) return;
    const update = this.#blocks.update(this.props.text);
    if (update.reset) {
      root.replaceChildren();
      this.#tail = null;
    }
    const tailSource = update.tail.map((token) => token.raw).join('');
    if (!update.reset && update.settled.length === 0 && this.#tail && tailSource === this.#tailSource) return;
    const blocks = renderBlocks([...update.settled.map((token) => [token]), update.tail]);
    this.#tail?.remove();
    this.#tail = blocks.at(-1) ?? null;
    this.#tailSource = tailSource;
    root.append(...blocks);
    for (const block of blocks) enhanceAnswer(block);
  }
}
