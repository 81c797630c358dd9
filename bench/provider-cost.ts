import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createOpenAiChatModel } from '../src/llm/openai/openai-chat-model.js';
import { createResilientModel } from '../src/llm/resilient-model.js';
import { startChild } from './child-process.js';
import { modelName } from './fake-answer.js';
import { repositoryRoot } from './servers-under-test.js';

/**
 * `npx tsx bench/provider-cost.ts [--streams 150] [--rounds 8] [--delay 5] [--tokens 200]`
 * CPU per token of reading the same answer three ways, in this one process, from the fake
 * model (its own process, on core 1): `fetch` read by hand (the bare relay's way), Parley's
 * OpenAI-compatible model (src/llm/openai/), and Parley's resilient model on top of it (the
 * turn loop's `openStep`, with its timeouts). A token is one SSE event in its own TCP read,
 * as from a real model. Prints the median and the lowest of the rounds after the first, per
 * token and per answer (`--tokens 1` isolates what a request costs to set up and end).
 */
const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const streams = argument('streams', 150);
const rounds = argument('rounds', 8);
const tokens = argument('tokens', 200);
const model = modelName({ tokens, delayMs: argument('delay', 5), firstTokenMs: 0 });

const fake = startChild({
  name: 'fake-model',
  command: [process.execPath, '--import', 'tsx', join(repositoryRoot, 'bench', 'fake-model-server.ts')],
  core: 1,
  logFile: join(tmpdir(), 'parley-provider-cost.log'),
});
const baseURL = `${(await fake.waitForLine(/^READY /, 30_000)).slice('READY '.length)}/v1`;
const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Hi' }] }];

async function byHand(): Promise<number> {
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
  });
  const decoder = new TextDecoder();
  let buffered = '';
  let count = 0;
  for await (const bytes of response.body!) {
    buffered += decoder.decode(bytes as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) !== -1) {
      const data = buffered.slice(6, end);
      buffered = buffered.slice(end + 2);
      if (data === '[DONE]') return count;
      if ((JSON.parse(data) as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta?.content) count += 1;
    }
  }
  return count;
}

const openai = createOpenAiChatModel({ baseURL, modelId: model });
const resilient = createResilientModel([{ provider: 'openai', modelId: model, model: openai }], {
  retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
  firstTokenTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
});

async function readSteps(from: typeof openai | typeof resilient): Promise<number> {
  const step = await from.openStep({ prompt, abortSignal: new AbortController().signal });
  let count = 0;
  for (;;) {
    const next = await step.read();
    if (next.done) return count;
    if (next.value.type === 'text-delta') count += 1;
  }
}

const ways: Record<string, () => Promise<number>> = {
  'fetch read by hand (the relay)': byHand,
  'OpenAI-compatible model (openStep)': () => readSteps(openai),
  'resilient model (openStep)': () => readSteps(resilient),
};
const samples = new Map<string, number[]>();
for (let round = 0; round < rounds; round += 1) {
  for (const [name, read] of Object.entries(ways)) {
    const before = process.cpuUsage();
    const counts = await Promise.all(Array.from({ length: streams }, read));
    const used = process.cpuUsage(before);
    const total = counts.reduce((sum, count) => sum + count, 0);
    if (total !== streams * tokens) throw new Error(`${name}: ${total} tokens, expected ${streams * tokens}`);
    if (round > 0) samples.set(name, [...(samples.get(name) ?? []), (used.user + used.system) / streams]);
  }
}
await fake.stop();
console.log(`CPU µs per token (per answer), ${streams} streams x ${tokens} tokens, ${rounds - 1} rounds (Node ${process.version}):`);
for (const [name, perAnswer] of samples) {
  perAnswer.sort((a, b) => a - b);
  const median = perAnswer[Math.floor(perAnswer.length / 2)]!;
  const shown = (value: number) => `${(value / tokens).toFixed(1)} (${value.toFixed(0)})`;
  console.log(`  ${name.padEnd(36)} median ${shown(median)}  lowest ${shown(perAnswer[0]!)}`);
}
