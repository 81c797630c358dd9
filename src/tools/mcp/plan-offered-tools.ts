import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import { cutText } from '../../text/cut-text.js';
import type { JsonSchema } from '../tool.js';

/** Between the server's name and the tool's: `github__create_issue`. Server names cannot hold it. */
export const toolNameSeparator = '__';
/** What OpenAI accepts as a function name (Gemini accepts more); longer or stranger names are skipped. */
const providerToolName = /^[A-Za-z0-9_-]{1,64}$/;
export const maxToolsPerServer = 128;
const maxDescriptionChars = 4096;
/** A schema is sent with every model request: a server cannot make each of them megabytes. */
const maxSchemaBytes = 32 * 1024;

export interface OfferedTool {
  /** `<server>__<tool>`: what the model calls. */
  name: string;
  /** The server's own name for it: what `tools/call` sends. */
  serverToolName: string;
  description: string;
  inputSchema: JsonSchema;
}

/** The tools of one server as the model is offered them, and the ones left out with why. */
export function planOfferedTools(server: string, tools: readonly McpTool[]): { offered: OfferedTool[]; skipped: string[] } {
  const offered: OfferedTool[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (const tool of tools) {
    const name = `${server}${toolNameSeparator}${tool.name}`;
    const reason = !providerToolName.test(name)
      ? 'its name, with the server prefix, is not 1 to 64 letters, digits, "_" or "-"'
      : seen.has(name)
        ? 'the server lists it twice'
        : offered.length >= maxToolsPerServer
          ? `the server lists more than ${maxToolsPerServer} tools`
          : Buffer.byteLength(JSON.stringify(tool.inputSchema)) > maxSchemaBytes
            ? `its input schema is over ${maxSchemaBytes} bytes`
            : null;
    if (reason !== null) {
      skipped.push(`${cutText(tool.name, 80, '…')}: ${reason}`);
      continue;
    }
    seen.add(name);
    offered.push({
      name,
      serverToolName: tool.name,
      description: cutText(tool.description ?? tool.title ?? tool.annotations?.title ?? '', maxDescriptionChars, '…'),
      inputSchema: tool.inputSchema,
    });
  }
  return { offered, skipped };
}
