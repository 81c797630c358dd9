import WebSocket from 'ws';
import type { ServerFrame } from '../../../src/protocol/index.js';

export interface SocketOutcome {
  /** The first frame the server sent: `session` when admitted, `error` when refused. */
  first: ServerFrame;
  /** The close code, when the server closed the socket after its first frame; null while it stays open. */
  closeCode: number | null;
}

/**
 * Opens a real WebSocket and reports how the server answered: its first frame and, for a
 * refusal, the close code. A socket that is admitted is closed by this helper.
 */
export function socketOutcome(url: string, headers: Record<string, string> = {}): Promise<SocketOutcome> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    let first: ServerFrame | undefined;
    socket.on('message', (data: Buffer) => {
      if (first !== undefined) return;
      first = JSON.parse(data.toString('utf8')) as ServerFrame;
      if (first.type === 'session') {
        socket.close();
        resolve({ first, closeCode: null });
      }
    });
    socket.on('close', (code) => {
      if (first === undefined) reject(new Error(`closed with ${code} before any frame`));
      else if (first.type !== 'session') resolve({ first, closeCode: code });
    });
    socket.on('error', reject);
  });
}
