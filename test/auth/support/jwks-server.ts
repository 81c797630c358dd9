import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

export interface JwksServer {
  /** http://127.0.0.1:PORT/.well-known/jwks.json */
  url: string;
  /** How many times the key set was fetched. */
  readonly requests: number;
  /** From now on the server serves these keys (a key rotation). */
  serve(keys: JWK[]): void;
  close(): Promise<void>;
}

/** A real HTTP server on port 0 serving `{ keys }`, as an identity provider's JWKS endpoint does. */
export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  let served = keys;
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    if (request.url !== '/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: served }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get requests() {
      return requests;
    },
    serve(next) {
      served = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
