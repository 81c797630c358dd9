import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFrameSchema, serverFrameSchema } from '../../src/protocol/index.js';
import { startServer, type RunningServer } from '../support/start-server.js';

const serverFrameTypes = serverFrameSchema.options.map((frame) => frame.shape.type.value);
const clientFrameTypes = clientFrameSchema.options.map((frame) => frame.shape.type.value);

describe('GET /asyncapi.json', () => {
  let server: RunningServer;
  let parsed: Awaited<ReturnType<typeof readDocument>>;
  beforeAll(async () => {
    server = await startServer({ API_TOKEN: 'operator-token-for-asyncapi', ALLOWED_HOSTS: 'chat.example.test', TRUST_PROXY: 'true' });
    parsed = await readDocument();
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Asked without a token, through a proxy that ended TLS, and read by the official parser. */
  async function readDocument() {
    const response = await server.app.inject({ url: '/asyncapi.json', headers: { host: 'chat.example.test:8443', 'x-forwarded-proto': 'https' } });
    const { document, diagnostics } = await new Parser().parse(response.body);
    return { response, document, diagnostics };
  }
  const parsedDocument = () => ({ ...parsed, raw: parsed.response.json<Record<string, unknown>>() });

  it('is an AsyncAPI 3.0 document the official parser reads with no error, open without a token', () => {
    const { response, document, diagnostics, raw } = parsedDocument();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(diagnostics.filter((diagnostic) => Number(diagnostic.severity) === Number(DiagnosticSeverity.Error))).toStrictEqual([]);
    expect(document).toBeDefined();
    expect(raw.asyncapi).toBe('3.0.0');
  });

  it('describes the session channel with its session_id parameter and its query parameters', () => {
    const { document } = parsedDocument();
    const channel = document!.channels().all()[0]!;
    expect(document!.channels().all()).toHaveLength(1);
    expect(channel.address()).toBe('/ws/session/{session_id}');
    expect(channel.parameters().all().map((parameter) => parameter.id())).toStrictEqual(['session_id']);
    const query = channel.bindings().get('ws')?.value<{ query: { properties: Record<string, unknown> } }>().query;
    expect(Object.keys(query?.properties ?? {}).sort()).toStrictEqual(['access_token', 'after', 'token', 'user_id']);
  });

  it('names every frame type the server can send in its receive operation, and every client frame in its send operation', () => {
    const { document } = parsedDocument();
    const namesOf = (action: 'send' | 'receive') =>
      document!.operations().all().filter((operation) => operation.action() === action).flatMap((operation) => operation.messages().all().map((message) => message.name()));
    expect(namesOf('receive').sort()).toStrictEqual([...serverFrameTypes].sort());
    expect(namesOf('send').sort()).toStrictEqual([...clientFrameTypes].sort());
    expect(serverFrameTypes).toContain('token');
  });

  it('gives each frame its payload schema from the server\'s own zod schema, seq and fields included', () => {
    const { document } = parsedDocument();
    const payload = (name: string) => document!.messages().all().find((message) => message.name() === name)!.payload()!.json<{ required?: string[]; properties: Record<string, unknown> }>();
    expect(payload('token').required?.sort()).toStrictEqual(['content', 'seq', 'type']);
    expect(Object.keys(payload('error').properties).sort()).toStrictEqual(Object.keys(serverFrameSchema.options.find((frame) => frame.shape.type.value === 'error')!.shape).sort());
    expect(payload('message').properties.interrupt).toMatchObject({ type: 'boolean' });
  });

  it('names the server the caller reached, with wss behind TLS', () => {
    const { document } = parsedDocument();
    const [target] = document!.servers().all();
    expect([target?.host(), target?.protocol()]).toStrictEqual(['chat.example.test:8443', 'wss']);
  });

  it('is linked from the OpenAPI document that /docs shows', async () => {
    const openapi = (await server.app.inject({ url: '/openapi.json' })).json<{ externalDocs: { url: string } }>();
    expect(openapi.externalDocs.url).toBe('/asyncapi.json');
    const metadata = (await server.app.inject({ url: '/', headers: { accept: 'application/json' } })).json<{ asyncapi: string }>();
    expect(metadata.asyncapi).toBe('/asyncapi.json');
  });
});
