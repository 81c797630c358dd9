import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWithSecret, userClaims } from '../auth/support/tokens.js';
import { serverDatabaseVariants, type ServerDatabase } from '../support/server-databases.js';
import { startServer, type RunningServer } from '../support/start-server.js';
import { TestClient } from '../support/test-client.js';
import { disguisedScriptPdf, gif, jpeg, pdf, png, scriptedPdf, webp, windowsExecutable, zipBomb } from './sample-files.js';
import { downloadFile, uploadFile } from './upload-client.js';

const secret = 'files-test-jwt-secret-of-forty-characters';

/** Where the bytes live: each database, and PGlite with FILES_DIR. */
const storages = [
  ...serverDatabaseVariants.map((variant) => ({ name: `the database (${variant.kind})`, variant, filesDir: false })),
  { name: 'FILES_DIR', variant: serverDatabaseVariants[0]!, filesDir: true },
];

async function listFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe.each(storages)('uploads stored in $name', ({ variant, filesDir }) => {
  let database: ServerDatabase;
  let server: RunningServer;
  let directory: string | undefined;
  let alice: string;
  let bob: string;

  const count = async (table: string) => Number((await server.app.parley.database.query<{ count: string }>(`SELECT count(*) AS count FROM ${table}`))[0]!.count);

  beforeAll(async () => {
    database = await variant.create();
    directory = filesDir ? await mkdtemp(join(tmpdir(), 'parley-files-')) : undefined;
    server = await startServer({ ...database.settings, AUTH_JWT_SECRET: secret, ...(directory ? { FILES_DIR: directory } : {}) });
    alice = await signWithSecret(secret, userClaims({ sub: 'alice' }));
    bob = await signWithSecret(secret, userClaims({ sub: 'bob' }));
    for (const [sessionId, token] of [['alice-1', alice], ['alice-2', alice], ['bob-1', bob]] as const) {
      const client = await TestClient.connect(server.wsUrl, sessionId, { access_token: token });
      await client.close();
    }
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('takes every allowed type, decided from the bytes, and serves each back unchanged with safe headers', async () => {
    const samples = [
      { name: 'photo.png', bytes: png(), type: 'image/png', disposition: 'inline' },
      { name: 'photo.jpg', bytes: jpeg, type: 'image/jpeg', disposition: 'inline' },
      { name: 'tiny.gif', bytes: gif, type: 'image/gif', disposition: 'inline' },
      { name: 'tiny.webp', bytes: webp, type: 'image/webp', disposition: 'inline' },
      { name: 'report.pdf', bytes: pdf('Quarterly figures'), type: 'application/pdf', disposition: 'attachment' },
      { name: 'notes.md', bytes: Buffer.from('# Notes\nCafé ☕ and 日本語\n'), type: 'text/plain', disposition: 'attachment' },
    ];
    for (const sample of samples) {
      // The client's type says nothing true: the server reads the bytes.
      const answer = await uploadFile(server.httpUrl, 'alice-1', { name: sample.name, bytes: sample.bytes, type: 'application/x-whatever' }, alice);
      expect(answer.status, sample.name).toBe(201);
      expect(answer.body).toMatchObject({ name: sample.name, media_type: sample.type, size: sample.bytes.length });
      expect(answer.body.file_id).toMatch(/^file_/);

      const response = await downloadFile(server.httpUrl, 'alice-1', answer.body.file_id!, alice);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(sample.bytes)).toBe(true);
      expect(response.headers.get('content-type')).toBe(sample.type === 'text/plain' ? 'text/plain; charset=utf-8' : sample.type);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^${sample.disposition}; filename="`));
      expect(response.headers.get('content-security-policy')).toContain('sandbox');
    }
  });

  it('serves HTML and SVG as plain text to download, never as a page', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script></svg>');
    const answer = await uploadFile(server.httpUrl, 'alice-1', { name: 'logo.svg', bytes: svg, type: 'image/svg+xml' }, alice);
    expect(answer.body.media_type).toBe('text/plain');
    const response = await downloadFile(server.httpUrl, 'alice-1', answer.body.file_id!, alice);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('refuses content that is no allowed type, whatever its name says', async () => {
    const hostile = [
      { name: 'photo.png', bytes: windowsExecutable, says: /application\/x-msdownload/ },
      { name: 'notes.txt', bytes: Buffer.from([0x00, 0xff, 0xfe, 0x01, 0x80, 0x81]), says: /neither a known image, a PDF nor UTF-8 text/ },
      { name: 'latin1.txt', bytes: Buffer.from('caf\xe9 cr\xe8me', 'latin1'), says: /UTF-8/ },
    ];
    for (const file of hostile) {
      const answer = await uploadFile(server.httpUrl, 'alice-1', file, alice);
      expect(answer.status, file.name).toBe(415);
      expect(answer.body.code).toBe('unsupported_file');
      expect(answer.body.detail).toMatch(file.says);
    }
  });

  it('refuses a zip bomb from its signature, without unpacking it', async () => {
    const bomb = zipBomb(64 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const started = performance.now();
    const answer = await uploadFile(server.httpUrl, 'alice-1', { name: 'holiday-photos.jpg', bytes: bomb }, alice);
    expect(answer.status).toBe(415);
    expect(answer.body.detail).toMatch(/application\/zip/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('refuses PDFs that carry JavaScript, spelled plainly or in #-escapes, and PDFs that cannot be read', async () => {
    for (const [name, bytes] of [['invoice.pdf', scriptedPdf], ['invoice2.pdf', disguisedScriptPdf]] as const) {
      const answer = await uploadFile(server.httpUrl, 'alice-1', { name, bytes }, alice);
      expect(answer.status, name).toBe(415);
      expect(answer.body.detail).toMatch(/JavaScript/);
    }
    const broken = await uploadFile(server.httpUrl, 'alice-1', { name: 'broken.pdf', bytes: Buffer.from('%PDF-1.4\nthis is not really a pdf\n%%EOF\n') }, alice);
    expect(broken.status).toBe(415);
    expect(broken.body.detail).toBe('The PDF could not be read.');
  });

  it('keeps only the last part of a name with path separators, and no name ever reaches a path', async () => {
    const answer = await uploadFile(server.httpUrl, 'alice-1', { name: '../../etc/passwd\\..\\evil.txt', bytes: Buffer.from('root:x:0:0') }, alice);
    expect(answer.status).toBe(201);
    expect(answer.body.name).toBe('evil.txt');
    const response = await downloadFile(server.httpUrl, 'alice-1', answer.body.file_id!, alice);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="evil.txt"; filename*=UTF-8''evil.txt`);
    if (directory) {
      const stored = await listFiles(directory);
      expect(stored.length).toBeGreaterThan(0);
      for (const path of stored) expect(path.slice(directory.length)).toMatch(/^\/[0-9a-f]{64}\/[0-9a-f]{64}$/);
    }
  });

  it('keeps users out of each other\'s files, and a file out of the sessions that do not hold it', async () => {
    const mine = await uploadFile(server.httpUrl, 'alice-1', { name: 'secret.txt', bytes: Buffer.from('alice only') }, alice);
    const intoAlices = await uploadFile(server.httpUrl, 'alice-1', { name: 'x.txt', bytes: Buffer.from('bob was here') }, bob);
    expect(intoAlices.status).toBe(404);
    expect(intoAlices.body.code).toBe('not_found');
    expect((await downloadFile(server.httpUrl, 'alice-1', mine.body.file_id!, bob)).status).toBe(404);
    expect((await downloadFile(server.httpUrl, 'bob-1', mine.body.file_id!, bob)).status).toBe(404);
    expect((await downloadFile(server.httpUrl, 'alice-2', mine.body.file_id!, alice)).status).toBe(404);
    expect((await downloadFile(server.httpUrl, 'alice-1', mine.body.file_id!)).status).toBe(401);
    // A file attached before a new session's first message creates the session, for its uploader (issue 15).
    expect((await uploadFile(server.httpUrl, 'nobody-had-this', { name: 'x.txt', bytes: Buffer.from('x') }, alice)).status).toBe(201);
    expect(await server.app.parley.store.getSession('nobody-had-this')).toMatchObject({ user_id: 'alice' });
    expect((await uploadFile(server.httpUrl, 'nobody-had-this', { name: 'y.txt', bytes: Buffer.from('y') }, bob)).status).toBe(404);
  });

  it('stores the same bytes once per owner, and answers another owner as if they were new', async () => {
    const bytes = Buffer.from(`shared content ${variant.kind} ${filesDir}`);
    const before = await count('file_contents');
    const first = await uploadFile(server.httpUrl, 'alice-1', { name: 'a.txt', bytes }, alice);
    const second = await uploadFile(server.httpUrl, 'alice-2', { name: 'b.txt', bytes }, alice);
    expect(await count('file_contents')).toBe(before + 1);
    const bobs = await uploadFile(server.httpUrl, 'bob-1', { name: 'c.txt', bytes }, bob);
    expect(await count('file_contents')).toBe(before + 2);
    expect(new Set([first.body.file_id, second.body.file_id, bobs.body.file_id]).size).toBe(3);
    expect(Object.keys(bobs.body).sort()).toStrictEqual(Object.keys(first.body).sort());
    expect(bobs.body.sha256).toBe(first.body.sha256);
  });

  it('deletes a session\'s files with the session', async () => {
    const client = await TestClient.connect(server.wsUrl, 'alice-doomed', { access_token: alice });
    await client.close();
    const uploaded = await uploadFile(server.httpUrl, 'alice-doomed', { name: 'doomed.pdf', bytes: pdf('Doomed file') }, alice);
    expect(uploaded.status).toBe(201);
    const contentsOf = () => server.app.parley.database.query('SELECT 1 FROM file_contents WHERE sha256 = $1', [uploaded.body.sha256]);
    expect(await contentsOf()).toHaveLength(1);

    await server.app.parley.database.query(`DELETE FROM sessions WHERE session_id = 'alice-doomed'`);
    expect(await server.app.parley.database.query('SELECT 1 FROM session_files WHERE file_id = $1', [uploaded.body.file_id])).toHaveLength(0);
    expect(await contentsOf()).toHaveLength(0);
    expect(await server.app.parley.database.query('SELECT 1 FROM file_chunks WHERE sha256 = $1', [uploaded.body.sha256])).toHaveLength(0);
    if (directory) {
      const orphan = (await listFiles(directory)).find((path) => path.endsWith(uploaded.body.sha256!))!;
      expect(orphan).toBeDefined();
      // Older than an upload in progress could be.
      const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
      await utimes(orphan, old, old);
      expect(await server.app.parley.files.store.sweep()).toBe(1);
      expect((await listFiles(directory)).some((path) => path.endsWith(uploaded.body.sha256!))).toBe(false);
    }
  });
});
