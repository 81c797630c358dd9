import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../src/errors/error-codes.js';
import { ParleyError } from '../../src/errors/parley-error.js';

describe('error codes', () => {
  it('documents every code in the README with its status and recoverability', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [code, spec] of Object.entries(errorCodes)) {
      expect(readme).toContain(`| \`${code}\` | ${spec.status} | ${spec.recoverable ? 'yes' : 'no'} |`);
    }
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
