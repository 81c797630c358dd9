import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL server of the test's own, with TLS on and a self-signed certificate made
 * for it: the shared server on 5432 runs without TLS and other test files use it at the
 * same time, so it is never reconfigured. Listens on 127.0.0.1 only, on a free port.
 */
export interface TlsPostgres {
  port: number;
  /** The self-signed certificate (CN and subjectAltName `localhost`), to pass as sslrootcert. */
  certificatePath: string;
  /** `postgres://postgres@{host}:{port}/postgres` with the given query. */
  url(host: string, query?: Record<string, string>): string;
  stop(): Promise<void>;
}

/** Debian keeps the server binaries off PATH, one folder per major version. */
function findPostgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const folder = join(root, version, 'bin');
    if (existsSync(join(folder, 'initdb'))) return folder;
  }
  const onPath = (process.env.PATH ?? '').split(':').find((folder) => folder && existsSync(join(folder, 'initdb')));
  return onPath;
}

export const postgresBinaries = findPostgresBinaries();

export async function startTlsPostgres(): Promise<TlsPostgres> {
  if (!postgresBinaries) throw new Error('initdb was not found: install the PostgreSQL server package');
  const binaries = postgresBinaries;
  // PostgreSQL refuses to run as root: as root, the server and its files belong to `postgres`.
  const asRoot = process.getuid?.() === 0;
  const asServerUser = (command: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(binaries, command), ...args]) : run(join(binaries, command), args);
  const giveToServerUser = async (path: string) => {
    if (asRoot) await chown(path, ...(await postgresIds()));
  };

  const folder = await mkdtemp(join(tmpdir(), 'parley-tls-postgres-'));
  const dataFolder = join(folder, 'data');
  const certificatePath = join(folder, 'server.crt');
  const keyPath = join(folder, 'server.key');
  const port = await freePort();
  let started = false;
  const stop = async () => {
    if (started) await asServerUser('pg_ctl', ['-D', dataFolder, '-m', 'immediate', '-w', 'stop']).catch(() => {});
    await rm(folder, { recursive: true, force: true });
  };
  try {
    await giveToServerUser(folder);
    await Promise.all([
      asServerUser('initdb', ['-D', dataFolder, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']),
      run('openssl', [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
        '-addext', 'subjectAltName=DNS:localhost', '-keyout', keyPath, '-out', certificatePath,
      ]),
    ]);
    await chmod(keyPath, 0o600);
    await giveToServerUser(keyPath);
    await giveToServerUser(certificatePath);
    const settings = [
      'ssl=on', `ssl_cert_file=${certificatePath}`, `ssl_key_file=${keyPath}`,
      'listen_addresses=127.0.0.1', `port=${port}`, `unix_socket_directories=${folder}`,
      'fsync=off', 'max_connections=20',
    ];
    await asServerUser('pg_ctl', ['-D', dataFolder, '-w', '-t', '20', '-l', join(folder, 'server.log'), '-o', settings.map((setting) => `-c ${setting}`).join(' '), 'start']);
    started = true;
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    certificatePath,
    url: (host, query = {}) => {
      const search = new URLSearchParams(query).toString();
      return `postgres://postgres@${host}:${port}/postgres${search ? `?${search}` : ''}`;
    },
    stop,
  };
}

async function postgresIds(): Promise<[number, number]> {
  const [user, group] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return [Number(user.stdout.trim()), Number(group.stdout.trim())];
}

/** A port nothing listens on right now (PostgreSQL cannot be asked for port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
