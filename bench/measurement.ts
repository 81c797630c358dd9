import type { ClusterReport } from './cluster-measurement.js';
import type { LoadResult } from './load-generator.js';
import type { DatabaseKind, IdleScenario, LoadScenario, StartupScenario } from './scenarios.js';

/** What one server did under one scenario; `database` is absent for the bare relay. */
export interface LoadMeasurement {
  server: 'relay' | 'parley';
  database?: DatabaseKind;
  load: LoadResult;
  serverCpuMs: number;
  /** CPU of the fake model during the load: with the load generator's, what the load core spent. */
  fakeModelCpuMs: number;
  cpuPer1000TokensMs: number | null;
  peakRssMb: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number } | null;
  /** Event writer round trips during the load, per turn (Parley only). */
  roundTripsPerTurn: number | null;
  /** Events the database should hold after the run and does not (Parley only). */
  eventsMissing: number | null;
  problems: string[];
}

export interface IdleMeasurement {
  server: 'relay' | 'parley';
  database?: DatabaseKind;
  sessions: number;
  connected: number;
  connectMs: number;
  baselineRssKb: number;
  heldRssKb: number;
  /** RSS growth / sessions, after GC. */
  perSessionKb: number;
  /** V8 heap growth / sessions, after GC (the part of RSS the JavaScript objects take). */
  heapPerSessionKb: number;
  problems: string[];
}

/** One start of a server, from spawning it to its first answer (Parley: `/health`; the relay: READY). */
export interface StartFigures {
  readyMs: number;
  /** RSS as it first answers, then `settleMs` later. */
  rssAtReadyKb: number;
  rssSettledKb: number;
  settleMs: number;
  /** Highest RSS of the process and its children (PGlite's initdb) while starting. */
  peakTreeRssKb: number;
}

/** A server's first start (fresh data directory or database) and its restart on the same one. */
export interface StartupMeasurement {
  server: 'relay' | 'parley';
  database?: DatabaseKind;
  first: StartFigures;
  restart: StartFigures;
  problems: string[];
}

/** One round of a scenario (a load scenario may have several, see LoadScenario.rounds). */
export type ScenarioResult =
  | { scenario: LoadScenario; round: number; relay: LoadMeasurement | null; parley: Partial<Record<DatabaseKind, LoadMeasurement>> }
  | { scenario: IdleScenario; round: number; relay: IdleMeasurement | null; parley: Partial<Record<DatabaseKind, IdleMeasurement>> }
  | { scenario: StartupScenario; round: number; relay: StartupMeasurement | null; parley: Partial<Record<DatabaseKind, StartupMeasurement>> };

export interface BenchReport {
  date: string;
  command: string;
  mode: 'full' | 'quick' | 'tiny';
  machine: { cpus: number; cpuModel: string; node: string; memoryGb: number; kernel: string };
  pinning: string;
  openFiles: number;
  notes: string[];
  results: ScenarioResult[];
  /** The cluster scenarios (run-cluster.ts); null when none was asked for. */
  cluster?: ClusterReport | null;
  durationSeconds: number;
}
