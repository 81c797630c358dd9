import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Tool, ToolContext } from '../../src/tools/tool.js';
import { ToolRegistry } from '../../src/tools/tool-registry.js';

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
  it('stops a tool that runs past its timeout and says so', async () => {
    const { tool, startedWith } = stuckTool({ timeoutMs: 50 });
    const registry = new ToolRegistry().register(tool);
    await expect(registry.run('stuck', { seconds: 1 }, new AbortController().signal)).rejects.toMatchObject({
      code: 'tool_error',
      message: 'stuck took longer than 50 ms and was stopped',
    });
    expect((await startedWith).signal.aborted).toBe(true);
  });

  it('applies its default timeout to tools that set none', async () => {
    const { tool } = stuckTool();
    const registry = new ToolRegistry({ defaultTimeoutMs: 30 }).register(tool);
    await expect(registry.run('stuck', { seconds: 1 }, new AbortController().signal)).rejects.toMatchObject({
      code: 'tool_error',
      message: 'stuck took longer than 30 ms and was stopped',
    });
  });

  it('cancels a running tool when the caller aborts, and aborts the tool signal', async () => {
    const { tool, startedWith } = stuckTool({ timeoutMs: 60_000 });
    const registry = new ToolRegistry().register(tool);
    const controller = new AbortController();
    const running = registry.run('stuck', { seconds: 1 }, controller.signal);
    const context = await startedWith;
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'tool_error', message: 'stuck was cancelled' });
    expect(context.signal.aborted).toBe(true);
  });

  it('refuses invalid arguments without running the tool', async () => {
    let ran = false;
    const registry = new ToolRegistry().register({
      name: 'echo',
      description: 'echoes',
      parameters: z.object({ text: z.string() }),
      execute: async ({ text }: { text: string }) => {
        ran = true;
        return text;
      },
    });
    await expect(registry.run('echo', { text: 7 }, new AbortController().signal)).rejects.toMatchObject({
      code: 'tool_error',
      message: expect.stringMatching(/^invalid arguments for echo: text: /),
    });
    expect(ran).toBe(false);
  });

  it('reports an unknown tool by name', async () => {
    await expect(new ToolRegistry().run('nope', {}, new AbortController().signal)).rejects.toMatchObject({
      code: 'tool_error',
      message: 'unknown tool "nope"',
    });
  });

  it('turns a plain exception from a tool into a tool_error', async () => {
    const registry = new ToolRegistry().register({
      name: 'broken',
      description: 'throws',
      parameters: z.object({}),
      execute: async () => {
        throw new TypeError('boom');
      },
    });
    await expect(registry.run('broken', {}, new AbortController().signal)).rejects.toMatchObject({
      code: 'tool_error',
      message: 'broken failed: boom',
    });
  });
});
