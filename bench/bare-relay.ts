import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The ceiling the benchmark measures Parley against: the least a relay can do with `ws` and
 * `fetch` alone. No storage, no tools, no validation library, no history: on a `message` it
 * acks, streams the model's answer as `token` frames and ends with `done`, in Parley's frame
 * shapes (with `seq`), so the same load generator drives both.
 */
export interface BareRelay {
  url: string;
  close(): Promise<void>;
}

export async function startBareRelay(options: { modelBaseUrl: string; model: string; port?: number }): Promise<BareRelay> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(404).end();
  });
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    const match = /^\/ws\/session\/([A-Za-z0-9._-]{1,128})(\?.*)?$/.exec(request.url ?? '');
    if (!match) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (webSocket) => relay(webSocket, match[1]!, options));
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function relay(socket: WebSocket, sessionId: string, options: { modelBaseUrl: string; model: string }): void {
  let seq = 0;
  let busy = false;
  let controller: AbortController | null = null;
  socket.send(JSON.stringify({ type: 'session', session_id: sessionId, resumed: false, last_seq: 0, turn_in_progress: false }));
  socket.on('close', () => controller?.abort());
  socket.on('message', (data) => {
    let frame: { type?: unknown; content?: unknown; id?: unknown };
    try {
      frame = JSON.parse((data as Buffer).toString('utf8')) as typeof frame;
    } catch {
      socket.send(JSON.stringify({ type: 'error', code: 'bad_frame', message: 'not JSON', recoverable: true }));
      return;
    }
    if (frame.type === 'ping') return socket.send('{"type":"pong"}');
    if (frame.type !== 'message' || typeof frame.content !== 'string') {
      socket.send(JSON.stringify({ type: 'error', code: 'bad_frame', message: 'expected a message', recoverable: true }));
      return;
    }
    if (busy) {
      socket.send(JSON.stringify({ type: 'error', code: 'turn_in_progress', message: 'a turn is running', recoverable: true }));
      return;
    }
    busy = true;
    const id = typeof frame.id === 'string' ? frame.id : undefined;
    socket.send(JSON.stringify({ type: 'ack', seq: ++seq, ...(id === undefined ? {} : { id }), content: frame.content }));
    controller = new AbortController();
    const send = (next: Record<string, unknown>) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ ...next, seq: ++seq }));
    };
    void streamAnswer(frame.content, options, controller.signal, (content) => send({ type: 'token', content }))
      .then((finishReason) => send({ type: 'done', finish_reason: finishReason }))
      .catch((error: unknown) => {
        if (controller?.signal.aborted) return;
        send({ type: 'error', code: 'llm_error', message: error instanceof Error ? error.message : String(error), recoverable: true });
        send({ type: 'done', finish_reason: 'error' });
      })
      .finally(() => {
        busy = false;
        controller = null;
      });
  });
}

/** POSTs the question with stream:true and calls `onToken` for each content delta of the SSE answer. */
async function streamAnswer(
  content: string,
  options: { modelBaseUrl: string; model: string },
  signal: AbortSignal,
  onToken: (text: string) => void,
): Promise<string> {
  const response = await fetch(`${options.modelBaseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: options.model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content }] }),
    signal,
  });
  if (!response.ok || !response.body) throw new Error(`model answered ${response.status}`);
  const decoder = new TextDecoder();
  let buffered = '';
  let finishReason = 'stop';
  for await (const bytes of response.body) {
    buffered += decoder.decode(bytes as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) !== -1) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      if (!event.startsWith('data: ')) continue;
      const data = event.slice(6);
      if (data === '[DONE]') return finishReason;
      const chunk = JSON.parse(data) as { choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }> };
      const choice = chunk.choices?.[0];
      const text = choice?.delta?.content;
      if (text) onToken(text);
      if (choice?.finish_reason) finishReason = choice.finish_reason;
    }
  }
  return finishReason;
}

// Run on its own: `tsx bench/bare-relay.ts --port 0 --model-url http://127.0.0.1:PORT/v1 --model NAME`;
// prints `READY <ws url>` once listening.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argument = (name: string) => {
    const index = process.argv.indexOf(`--${name}`);
    return index === -1 ? undefined : process.argv[index + 1];
  };
  const relayServer = await startBareRelay({
    modelBaseUrl: argument('model-url') ?? 'http://127.0.0.1:8001/v1',
    model: argument('model') ?? 'fake',
    port: Number(argument('port') ?? 0),
  });
  process.stdout.write(`READY ${relayServer.url}\n`);
  const stop = () => void relayServer.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
