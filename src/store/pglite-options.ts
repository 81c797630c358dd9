import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { setFlagsFromString } from 'node:v8';

/**
 * PostgreSQL settings for the embedded database. In PGlite, PostgreSQL's shared memory is
 * zero-filled WASM memory, so all of it is resident from the start: at the default
 * shared_buffers (128 MB) it was 145 MB of an idle server's RSS; at 16 MB it is 24 MB
 * (docs/benchmarks.md, "Memory at start"). Durability is PGlite's own and unchanged: a
 * commit's WAL is in the data directory's files when the statement returns (with fsync off,
 * so it survives kill -9, not a power cut).
 */
const settings = ['shared_buffers=16MB'];

export const pgliteOptions: PGliteOptions = {
  startParams: [...PGlite.defaultStartParams, ...settings.flatMap((setting) => ['-c', setting])],
  // initdb's trial runs then use the same size: 631-636 MB at its peak instead of 669-675 MB.
  initDbStartParams: settings.flatMap((setting) => ['--set', setting]),
  // Search's typo tolerance (migrations/005_search.sql creates the extension).
  extensions: { pg_trgm },
};

/**
 * V8 runs WASM in Liftoff, its baseline compiler, without tiering up to TurboFan: TurboFan's
 * compilations of PostgreSQL's large functions left about 70 MB resident, for no CPU per token
 * we could measure; long CPU-bound statements are up to 1.6x slower (docs/benchmarks.md,
 * "Memory at start"). The flag is process-wide: undici's HTTP parser stays in Liftoff too.
 */
export function useBaselineWasmCompiler(): void {
  setFlagsFromString('--liftoff-only');
}
