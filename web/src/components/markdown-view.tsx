import { Component } from 'preact';
import { renderMarkdown } from '../markdown/render-markdown.js';

interface Props {
  text: string;
  /** Shows a caret after the last word while the answer is being written. */
  streaming?: boolean;
}

/** Sanitized markdown; re-parsed only when the text changed. */
export class MarkdownView extends Component<Props> {
  override shouldComponentUpdate(next: Props): boolean {
    return next.text !== this.props.text || next.streaming !== this.props.streaming;
  }

  override render({ text, streaming }: Props) {
    return <div class={streaming ? 'markdown streaming-text' : 'markdown'} dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
  }
}
