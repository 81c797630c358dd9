import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureServerPath } from './fixture-server-path.js';

/** A scratch folder for one test file: its tools file and the fixture's log. */
export class McpScratch {
  private constructor(readonly dir: string, readonly serverPath: string) {}

  static async create(): Promise<McpScratch> {
    return new McpScratch(await mkdtemp(join(tmpdir(), 'parley-mcp-')), await fixtureServerPath());
  }

  get logPath(): string {
    return join(this.dir, 'fixture.log');
  }

  /** A stdio entry that runs the fixture server, logging to `logPath`. */
  stdioEntry(env: Record<string, string> = {}): Record<string, unknown> {
    return { command: process.execPath, args: [this.serverPath], env: { FIXTURE_LOG: this.logPath, ...env } };
  }

  async writeToolsFile(servers: Record<string, unknown>, name = 'tools.json'): Promise<string> {
    const path = join(this.dir, name);
    await writeFile(path, JSON.stringify({ mcpServers: servers }));
    return path;
  }

  /** What the fixture servers recorded: calls, cancellations, starts. */
  async log(): Promise<Array<Record<string, unknown>>> {
    const text = await readFile(this.logPath, 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

export interface HttpFixture {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The fixture over Streamable HTTP in its own process; it asks for `Authorization: Bearer <token>`. */
export async function startHttpFixture(scratch: McpScratch, token: string, port = 0): Promise<HttpFixture> {
  const child = spawn(process.execPath, [scratch.serverPath, '--http'], {
    env: { PATH: process.env.PATH ?? '', FIXTURE_LOG: scratch.logPath, FIXTURE_TOKEN: token, FIXTURE_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening (\d+)/.exec(output);
      if (found) resolve(Number(found[1]));
    });
    child.once('exit', (code) => reject(new Error(`the HTTP fixture exited with ${code}: ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${listening}/mcp`,
    port: listening,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
