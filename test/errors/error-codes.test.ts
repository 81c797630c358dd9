import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../src/errors/error-codes.js';
import { ParleyError } from '../../src/errors/parley-error.js';

/** The rows of docs/protocol.md's error-code table: `| \`code\` | status | yes/no | meaning |`. */
async function documentedErrorRows(): Promise<string[]> {
  const protocol = await readFile(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
  return protocol.split('\n').filter((line) => /^\| `[a-z_]+` \| \d{3} \| (yes|no) \|/.test(line));
}

describe('error codes', () => {
  it('documents every code in docs/protocol.md with its status, recoverability and meaning', async () => {
    const rows = await documentedErrorRows();
    for (const [code, spec] of Object.entries(errorCodes)) {
      expect(rows).toContain(`| \`${code}\` | ${spec.status} | ${spec.recoverable ? 'yes' : 'no'} | ${spec.meaning} |`);
    }
  });

  it('lists the codes of the registry, in its order, and no other', async () => {
    const documented = (await documentedErrorRows()).map((row) => /^\| `([a-z_]+)`/.exec(row)?.[1]);
    expect(documented).toStrictEqual(Object.keys(errorCodes));
  });

  it('keeps the codes CONTRACT.md names', () => {
    for (const code of ['bad_frame', 'too_large', 'turn_in_progress', 'rate_limited', 'llm_error', 'tool_error', 'storage_unavailable', 'unauthorized']) {
      expect(errorCodes).toHaveProperty(code);
    }
  });

  it('maps one error to the same code on the WebSocket and over HTTP', () => {
    const error = new ParleyError('turn_in_progress', 'busy');
    expect(error.toFrame('m1')).toStrictEqual({ type: 'error', code: 'turn_in_progress', message: 'busy', recoverable: true, id: 'm1' });
    expect(error.toProblem('/x')).toMatchObject({ status: 409, code: 'turn_in_progress', detail: 'busy', instance: '/x' });
  });
});
