/** What the server's thread and the embedded database's thread (pglite-worker.ts) say to each other. */
export interface PgliteWorkerData {
  /** An absolute directory, or `memory://`. */
  dataDir: string;
  /** For `memory://`: a data directory's tarball (PgliteDatabase.dump) to start from instead of an empty cluster. */
  fromDump?: Uint8Array;
}

export type PgliteRequest =
  | { id: number; kind: 'query'; text: string; params: unknown[]; tx?: number }
  | { id: number; kind: 'exec'; script: string; tx?: number }
  | { id: number; kind: 'begin' }
  | { id: number; kind: 'end'; tx: number; commit: boolean }
  | { id: number; kind: 'dump' }
  | { id: number; kind: 'close' };

/** Id 0 answers the start: rows when PGlite opened, an error when it could not. */
export type PgliteReply =
  | { id: number; rows: Record<string, unknown>[] }
  | { id: number; tx: number }
  | { id: number; dump: Uint8Array }
  | { id: number; error: Record<string, unknown> };
