import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open-database.js';
import { PostgresDatabase } from '../../src/store/postgres-database.js';
import type { Database } from '../../src/store/types.js';
import { startServer } from '../support/start-server.js';
import { postgresBinaries, startTlsPostgres, type TlsPostgres } from '../support/tls-postgres.js';

// In CI the server binaries are part of the machine: missing, the tests fail instead of vanishing.
const canRun = postgresBinaries !== undefined || process.env.CI === 'true';

const linkIsEncrypted = async (database: Database) => {
  const [row] = await database.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
  return row?.ssl;
};

const open = (databaseUrl: string) => openDatabase({ databaseUrl, dataDir: 'unused', prepare: 'auto', poolSize: 1 });

describe.skipIf(!canRun)('a PostgreSQL server with TLS on', () => {
  let server: TlsPostgres;
  const opened: Database[] = [];
  beforeAll(async () => {
    server = await startTlsPostgres();
  });
  afterAll(async () => {
    await Promise.all(opened.map((database) => database.close()));
    await server?.stop();
  });
  const connect = (databaseUrl: string) => {
    const database = new PostgresDatabase(databaseUrl, { prepare: true, poolSize: 1 });
    opened.push(database);
    return database;
  };

  it('encrypts the link when the URL says sslmode=require, without checking the certificate', async () => {
    const database = connect(server.url('127.0.0.1', { sslmode: 'require' }));
    expect(await linkIsEncrypted(database)).toBe(true);
    expect(database.encrypted).toBe(true);
  });

  it('keeps a link to this machine plain when the URL does not ask for TLS', async () => {
    const database = connect(server.url('127.0.0.1'));
    expect(await linkIsEncrypted(database)).toBe(false);
    expect(database.encrypted).toBe(false);
  });

  it('connects with verify-full when the generated certificate is the sslrootcert and names the host', async () => {
    const database = connect(server.url('localhost', { sslmode: 'verify-full', sslrootcert: server.certificatePath }));
    expect(await linkIsEncrypted(database)).toBe(true);
  });

  it('refuses verify-full without the root certificate, naming the URL parameter to set', async () => {
    await expect(open(server.url('localhost', { sslmode: 'verify-full' }))).rejects.toThrow(
      /certificate is not signed by Node's bundled CAs \(self-signed certificate\)\. Give its CA file as sslrootcert=/,
    );
  });

  it('refuses verify-full when the certificate does not name the host, and verify-ca accepts it', async () => {
    await expect(open(server.url('127.0.0.1', { sslmode: 'verify-full', sslrootcert: server.certificatePath }))).rejects.toThrow(
      /certificate does not name the host "127\.0\.0\.1"/,
    );
    const database = connect(server.url('127.0.0.1', { sslmode: 'verify-ca', sslrootcert: server.certificatePath }));
    expect(await linkIsEncrypted(database)).toBe(true);
  });

  it('says in /health whether the database link is encrypted', async () => {
    for (const [query, tls] of [[{ sslmode: 'require' }, true], [{}, false]] as const) {
      const parley = await startServer({ DATABASE_URL: server.url('127.0.0.1', query) });
      try {
        const response = await parley.app.inject({ url: '/health' });
        expect(response.statusCode).toBe(200);
        expect(response.json<{ database: unknown }>().database).toStrictEqual({ kind: 'postgres', status: 'up', tls });
      } finally {
        await parley.close();
      }
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL && process.env.CI !== 'true')('a PostgreSQL server without TLS', () => {
  it('is refused when the URL asks for TLS, with a message that points at sslmode', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL ?? '');
    url.searchParams.set('sslmode', 'require');
    await expect(open(url.toString())).rejects.toThrow(/during the TLS handshake: it may not offer TLS.*sslmode=disable/);
  });
});
