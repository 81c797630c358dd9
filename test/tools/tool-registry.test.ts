import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ParleyError } from '../../src/errors/index.js';
import type { Tool, ToolContext } from '../../src/tools/tool.js';
import { ToolRegistry } from '../../src/tools/tool-registry.js';
import { RecordingLogger } from '../fakes/recording-logger.js';

/** A tool that never finishes on its own and tells the test when it started and what signal it got. */
function stuckTool(options: { timeoutMs?: number } = {}) {
  let started!: (context: ToolContext) => void;
  const startedWith = new Promise<ToolContext>((resolve) => (started = resolve));
  const tool: Tool<{ seconds: number }, never> = {
    name: 'stuck',
    description: 'waits forever, ignoring its signal',
    parameters: z.object({ seconds: z.number() }),
    ...options,
    execute: (_parameters, context) => {
      started(context);
      return new Promise<never>(() => {});
    },
  };
  return { tool, startedWith };
}

describe('the tool registry', () => {
  it('stops a tool that runs past its timeout, says so, and logs it', async () => {
    const { tool, startedWith } = stuckTool({ timeoutMs: 50 });
    const logger = new RecordingLogger();
    const registry = new ToolRegistry({ logger }).register(tool);
    await expect(registry.run('stuck', { seconds: 1 }, new AbortController().signal)).rejects.toMatchObject({
      code: 'tool_error',
      message: 'stuck took longer than 50 ms and was stopped',
    });
    expect((await startedWith).signal.aborted).toBe(true);
    expect(logger.lines).toStrictEqual([
      { level: 'warn', fields: { tool: 'stuck', timeoutMs: 50 }, message: 'tool ran past its time limit and was stopped' },
    ]);
  });

  it('applies its default timeout to tools that set none', async () => {
    const { tool } = stuckTool();
    const registry = new ToolRegistry({ logger: new RecordingLogger(), defaultTimeoutMs: 30 }).register(tool);
    await expect(registry.run('stuck', { seconds: 1 }, new AbortController().signal)).rejects.toMatchObject({
      code: 'tool_error',
      message: 'stuck took longer than 30 ms and was stopped',
    });
  });

  it('cancels a running tool when the caller aborts, and aborts the tool signal, logging nothing', async () => {
    const { tool, startedWith } = stuckTool({ timeoutMs: 60_000 });
    const logger = new RecordingLogger();
    const registry = new ToolRegistry({ logger }).register(tool);
    const controller = new AbortController();
    const running = registry.run('stuck', { seconds: 1 }, controller.signal);
    const context = await startedWith;
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'tool_error', message: 'stuck was cancelled' });
    expect(context.signal.aborted).toBe(true);
    expect(logger.lines).toStrictEqual([]);
  });

  it('refuses invalid arguments without running the tool', async () => {
    let ran = false;
    const registry = new ToolRegistry({ logger: new RecordingLogger() }).register({
      name: 'echo',
      description: 'echoes',
      parameters: z.object({ text: z.string() }),
      execute: ({ text }: { text: string }) => {
        ran = true;
        return Promise.resolve(text);
      },
    });
    await expect(registry.run('echo', { text: 7 }, new AbortController().signal)).rejects.toMatchObject({
      code: 'tool_error',
      message: 'invalid arguments for echo: text: Invalid input: expected string, received number',
    });
    expect(ran).toBe(false);
  });

  it('reports an unknown tool by name', async () => {
    await expect(new ToolRegistry({ logger: new RecordingLogger() }).run('nope', {}, new AbortController().signal)).rejects.toMatchObject({
      code: 'tool_error',
      message: 'unknown tool "nope"',
    });
  });

  it('turns a plain exception from a tool into a tool_error, and logs the tool and the error', async () => {
    const boom = new TypeError('boom');
    const logger = new RecordingLogger();
    const registry = new ToolRegistry({ logger }).register({
      name: 'broken',
      description: 'throws',
      parameters: z.object({}),
      execute: () => Promise.reject(boom),
    });
    await expect(registry.run('broken', {}, new AbortController().signal)).rejects.toMatchObject({
      code: 'tool_error',
      message: 'broken failed: boom',
    });
    expect(logger.lines).toStrictEqual([{ level: 'warn', fields: { tool: 'broken', err: boom }, message: 'tool failed' }]);
  });

  it('passes on a tool_error a tool raises itself without logging it: the model reads it', async () => {
    const logger = new RecordingLogger();
    const registry = new ToolRegistry({ logger }).register({
      name: 'picky',
      description: 'refuses',
      parameters: z.object({}),
      execute: () => Promise.reject(new ParleyError('tool_error', 'no such record')),
    });
    await expect(registry.run('picky', {}, new AbortController().signal)).rejects.toMatchObject({ code: 'tool_error', message: 'no such record' });
    expect(logger.lines).toStrictEqual([]);
  });
});
