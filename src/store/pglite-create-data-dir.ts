import { PGlite } from '@electric-sql/pglite';
import { pgliteOptions, useBaselineWasmCompiler } from './pglite-options.js';

/**
 * Run as its own process (`node pglite-create-data-dir.js DIR`) on a server's first start:
 * PGlite's initdb holds about 700 MB and a process that ran it keeps most of that after
 * closing it, so it runs here and its memory leaves with this process (docs/benchmarks.md,
 * "Memory at start"). The server then opens the directory as on any restart.
 */
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: pglite-create-data-dir DIR');
// Also quicker and lighter here: 2.7-3.1 s and a 632-669 MB peak against 5.8-6.1 s and 787 MB.
useBaselineWasmCompiler();
const pglite = await PGlite.create(dataDir, pgliteOptions);
await pglite.close();
