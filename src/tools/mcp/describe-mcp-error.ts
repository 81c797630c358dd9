import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

/** Why a connection or a call failed, in words for the operator and the model (redacted by the caller). */
export function describeMcpError(error: unknown, command?: string): string {
  if (error instanceof McpError) {
    if (error.code === (ErrorCode.ConnectionClosed as number)) return 'the server closed the connection';
    if (error.code === (ErrorCode.RequestTimeout as number)) return 'the server did not answer in time';
    return error.message.replace(/^MCP error -?\d+: /, '');
  }
  if (error instanceof StreamableHTTPError && error.code !== undefined) {
    return `the server answered HTTP ${error.code}${error.message.replace(/^Streamable HTTP error: Error [A-Z]+ing to endpoint:?/, ':')}`;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' && command !== undefined) return `command "${command}" was not found`;
  if (code === 'EACCES' && command !== undefined) return `command "${command}" cannot be run (permission denied)`;
  if (error instanceof Error) {
    // fetch hides the reason (ECONNREFUSED, a TLS failure) in its cause.
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

/** A command that is not there, or not runnable, stays so: retrying it every 30 s helps nobody. */
export function isPermanentStartFailure(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'EACCES';
}

/**
 * Whether the server answered (with an error): it is there. Silence, a closed connection, and
 * on Streamable HTTP a refused or reset request or a 5xx, mean it is not.
 */
export function isServerAnswer(error: unknown): boolean {
  return error instanceof McpError && error.code !== (ErrorCode.ConnectionClosed as number) && error.code !== (ErrorCode.RequestTimeout as number);
}
