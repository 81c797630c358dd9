import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { ParleyError } from '../../errors/index.js';
import { cutText } from '../../text/cut-text.js';

/** What one MCP call may add to the model's context (and to the `tool_result` frame and event). */
export const maxResultBytes = 64 * 1024;
/** An error is read by the model and shown on a tool card: a few lines say enough. */
export const maxErrorBytes = 4 * 1024;

/**
 * An MCP call's result as the model reads it: `structuredContent` as JSON when the server gave
 * it (the form meant for programs), else the content blocks as text, binary parts named but not
 * inlined. Past `maxBytes` the text is cut and ends with a note that says so. An `isError`
 * result is thrown as a `tool_error`, which the model reads as the call's error.
 */
export function callResultToModel(toolName: string, result: CallToolResult, maxBytes = maxResultBytes): unknown {
  if (result.isError === true) {
    const text = blocksToText(result.content);
    throw new ParleyError('tool_error', `${toolName} failed: ${fitUtf8(text || 'the tool reported an error without words', maxErrorBytes)}`);
  }
  if (result.structuredContent !== undefined) {
    const json = JSON.stringify(result.structuredContent);
    if (Buffer.byteLength(json) <= maxBytes) return result.structuredContent;
    return fitUtf8(json, maxBytes);
  }
  return fitUtf8(blocksToText(result.content), maxBytes);
}

function blocksToText(blocks: readonly ContentBlock[]): string {
  return blocks.map(blockToText).join('\n');
}

function blockToText(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
    case 'audio':
      return `[${block.type} ${block.mimeType}, ${base64Bytes(block.data)} bytes, not shown]`;
    case 'resource_link':
      return `[resource ${block.name}: ${block.uri}]`;
    case 'resource':
      return 'text' in block.resource
        ? block.resource.text
        : `[resource ${block.resource.uri}${block.resource.mimeType ? ` (${block.resource.mimeType})` : ''}, ${base64Bytes(block.resource.blob)} bytes, not shown]`;
    default:
      return `[${(block as { type: string }).type} content, not shown]`;
  }
}

function base64Bytes(data: string): number {
  return Math.floor((data.length * 3) / 4);
}

/**
 * `text` in at most `maxBytes` of UTF-8, note included. The cut falls on a character (and
 * grapheme) boundary and the note says how much there was, so the model does not take the
 * part for the whole.
 */
export function fitUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return text;
  const note = `\n[Parley cut this result: the tool returned ${bytes} bytes; the first part is shown.]`;
  const room = new Uint8Array(Math.max(0, maxBytes - Buffer.byteLength(note)));
  // encodeInto stops before a character that does not fit, so `read` never splits one.
  const { read } = new TextEncoder().encodeInto(text, room);
  return cutText(text, read) + note;
}
