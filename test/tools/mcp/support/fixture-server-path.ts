import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const source = fileURLToPath(new URL('../fixtures/fixture-server.ts', import.meta.url));
/** Inside the checkout, so that its bare imports find node_modules. */
const outputDir = fileURLToPath(new URL('../../../../test-artifacts/mcp-fixture/', import.meta.url));

/**
 * The fixture server as plain JavaScript, for `node` to run as a real server would run:
 * through tsx its start took three times as long (4.7 s against 1.6 s on a busy machine),
 * which each restart in the reconnect tests would pay.
 */
export async function fixtureServerPath(): Promise<string> {
  const output = `${outputDir}fixture-server-${process.pid}.mjs`;
  const { outputText } = ts.transpileModule(await readFile(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  });
  await mkdir(outputDir, { recursive: true });
  await writeFile(output, outputText);
  return output;
}
