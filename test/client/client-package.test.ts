import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../support/start-server.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const clientDir = join(root, 'client');
const bin = (name: string) => join(root, 'node_modules/.bin', name);

/** A project that installed the built package and nothing else: no zod, no server sources. */
const consumer = `import { connect, ParleyClientError, type ServerFrame, type ErrorCode } from '@parley/client';
const client = connect('typed-consumer', { url: 'ws://127.0.0.1:1' });
client.on('frame', (frame: ServerFrame) => {
  if (frame.type === 'token') frame.content.toUpperCase();
  // @ts-expect-error a token frame has no finish_reason
  if (frame.type === 'token') void frame.finish_reason;
});
const code: ErrorCode = 'turn_in_progress';
const turn = client.send('hello', { id: 'm1' });
for await (const token of turn.tokens) token.toUpperCase();
if ((await turn.done).error instanceof ParleyClientError) console.log(code);
`;

describe('the @parley/client package as built for publishing', () => {
  let server: RunningServer;
  let project: string;
  beforeAll(async () => {
    await run(bin('tsx'), [join(clientDir, 'scripts/build.ts')], { cwd: clientDir });
    project = await mkdtemp(join(tmpdir(), 'parley-client-'));
    const installed = join(project, 'node_modules/@parley/client');
    await cp(join(clientDir, 'dist'), join(installed, 'dist'), { recursive: true });
    await cp(join(clientDir, 'package.json'), join(installed, 'package.json'));
    await writeFile(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('imports nothing outside itself', async () => {
    const files = (await readdir(join(clientDir, 'dist'))).filter((name) => name.endsWith('.js') || name.endsWith('.d.ts'));
    const specifiers = await Promise.all(files.map(async (name) => [...(await readFile(join(clientDir, 'dist', name), 'utf8')).matchAll(/(?:from|import)\s*['"]([^'"]+)['"]/g)].map((match) => match[1]!)));
    expect(specifiers.flat().filter((specifier) => !/^\.\/[a-z-]+\.js$/.test(specifier))).toStrictEqual([]);
    expect(files).toContain('frames.d.ts');
  });

  it('type-checks a consumer that has only the package, with the frame types written out', async () => {
    await writeFile(join(project, 'consumer.ts'), consumer);
    const compilerOptions = { noEmit: true, strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023', 'dom'], types: [] };
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }));
    const result = await run(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: project }).catch((error: { stdout: string }) => error);
    expect(result.stdout).toBe('');
  });

  it('runs from its built ES modules against the real server', async () => {
    const built = (await import(pathToFileURL(join(project, 'node_modules/@parley/client/dist/index.js')).href)) as typeof import('../../client/src/index.js');
    const client = built.connect(`built-${randomUUID()}`, { url: server.wsUrl, WebSocket });
    try {
      const end = await client.send('What is 2+3?').done;
      expect(end.text).toContain('2+3 = 5.');
    } finally {
      client.close();
    }
  });
});
