import { afterEach, describe, expect, it, vi } from 'vitest';
import { calculatorTool } from '../../../src/tools/calculator/calculator-tool.js';
import { ToolRegistry } from '../../../src/tools/tool-registry.js';
import { RecordingLogger } from '../../fakes/recording-logger.js';
import { rejectionOf } from '../catch-error.js';

const registry = new ToolRegistry({ logger: new RecordingLogger() }).register(calculatorTool);
const run = (input: unknown) => registry.run('calculator', input, new AbortController().signal);

describe('the calculator tool', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    delete (globalThis as Record<string, unknown>).pwned;
  });

  it('answers with the expression and its result', async () => {
    expect(await run({ expression: '12*(3+4)' })).toStrictEqual({ expression: '12*(3+4)', result: 84 });
  });

  it('hides floating-point noise in the result', async () => {
    expect(await run({ expression: '0.1+0.2' })).toStrictEqual({ expression: '0.1+0.2', result: 0.3 });
  });

  it.each([
    ['process.exit()', "unexpected character '.' at position 8"],
    ["constructor.constructor('return this')()", "unexpected character '.' at position 12"],
    ["require('fs')", "unexpected character ''' at position 9"],
    ['globalThis.pwned = 1', "unexpected character '.' at position 11"],
    ['`${1}`', "unexpected character '`' at position 1"],
    ['x => x', "unexpected character '=' at position 3"],
    ['hello world', "unknown name 'hello' at position 1"],
  ])('refuses the code %j without running anything', async (expression, message) => {
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => undefined as never);
    const error = await rejectionOf(run({ expression }));
    expect(error.code).toBe('tool_error');
    expect(error.message.startsWith(message)).toBe(true);
    expect(exit).not.toHaveBeenCalled();
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
  });

  it.each(['__proto__', 'constructor', 'toString', 'prototype', 'valueOf', 'hasOwnProperty(1)', 'constructor(1)'])(
    'finds nothing behind the object property name %j',
    async (expression) => {
      const error = await rejectionOf(run({ expression }));
      expect(error.code).toBe('tool_error');
      expect(error.message).toMatch(/^unknown (name|function) '\w+' at position 1; known /);
    },
  );

  it('refuses a 10,000-character expression by its length', async () => {
    await expect(run({ expression: '1+'.repeat(5_000) })).rejects.toMatchObject({
      code: 'tool_error',
      message: 'the expression is 10000 characters long; the limit is 500',
    });
  });

  it('refuses 1000 nested parentheses by length, and 100 by depth', async () => {
    await expect(run({ expression: `${'('.repeat(1_000)}1${')'.repeat(1_000)}` })).rejects.toMatchObject({
      code: 'tool_error',
      message: 'the expression is 2001 characters long; the limit is 500',
    });
    await expect(run({ expression: `${'('.repeat(100)}1${')'.repeat(100)}` })).rejects.toMatchObject({
      code: 'tool_error',
      message: 'the expression is nested too deeply (more than 64 levels of parentheses, signs or powers)',
    });
  });

  it('refuses long chains of signs and powers by depth', async () => {
    const tooDeep = { code: 'tool_error', message: 'the expression is nested too deeply (more than 64 levels of parentheses, signs or powers)' };
    await expect(run({ expression: `${'-'.repeat(200)}1` })).rejects.toMatchObject(tooDeep);
    await expect(run({ expression: `${'2^'.repeat(100)}2` })).rejects.toMatchObject(tooDeep);
  });

  it('refuses an expression with too many tokens', async () => {
    await expect(run({ expression: '1+'.repeat(200) + '1' })).rejects.toMatchObject({
      code: 'tool_error',
      message: 'the expression has more than 300 numbers, names and operators',
    });
  });

  it('accepts a long flat sum within the limits', async () => {
    expect(await run({ expression: '1+'.repeat(140) + '1' })).toMatchObject({ result: 141 });
  });

  it.each([
    ['9^9^9^9', "the result is not a finite number (it overflows at '^' at position 4)"],
    ['200!', 'factorial is defined here for whole numbers from 0 to 170, got 200, at position 4'],
    ['1/0', 'division by zero at position 2'],
    ['', 'the expression is empty'],
    ['+*/', "unexpected '*' at position 2"],
    ['¯\\_(ツ)_/¯', "unexpected character '¯' at position 1"],
  ])('reports %j as a tool_error that says %j', async (expression, message) => {
    await expect(run({ expression })).rejects.toMatchObject({ code: 'tool_error', message });
  });

  it('refuses a missing or non-string expression before evaluating anything', async () => {
    await expect(run({})).rejects.toMatchObject({
      code: 'tool_error',
      message: 'invalid arguments for calculator: expression: Invalid input: expected string, received undefined',
    });
    await expect(run({ expression: 42 })).rejects.toMatchObject({
      code: 'tool_error',
      message: 'invalid arguments for calculator: expression: Invalid input: expected string, received number',
    });
    await expect(run('2+2')).rejects.toMatchObject({
      code: 'tool_error',
      message: 'invalid arguments for calculator: arguments: Invalid input: expected object, received string',
    });
  });
});
