import type { SplitScenario, WorkersScenario } from './cluster-scenarios.js';
import type { LoadResult } from './load-generator.js';
import type { LoadMeasurement } from './measurement.js';
import type { SplitLoadResult } from './split-load-generator.js';

/** What the cluster scenarios measured; the report and the JSON hold it under `cluster`. */
export interface ProcessUsage {
  /** `A`, `B`, `primary`, `worker 1`, ... */
  name: string;
  cpuMs: number;
  /** RSS after the load. */
  rssMb: number;
  /** Answer tokens of the turns this process ran during the load, where it can be told (workers). */
  tokens?: number | null;
  eventLoopDelayMs?: { p50: number; p99: number; max: number };
}

export interface RedisUsage {
  /** The Redis server's CPU during the load: an upper bound, since other users of it count too. */
  cpuMs: number;
  commands: number;
}

export interface SplitMeasurement {
  /** Both sockets on one instance; split over two instances sharing core 0; split over two with a core each. */
  layout: 'one' | 'two' | 'twoOnTwoCores';
  load: SplitLoadResult;
  processes: ProcessUsage[];
  /** All Parley processes' CPU per 1,000 answer tokens (each turn counted once, though two sockets got it). */
  cpuPer1000TokensMs: number | null;
  fakeModelCpuMs: number;
  redis: RedisUsage | null;
  /** Messages sent on from the instance of their socket to the one running the session, during the load. */
  forwardedMessages: number | null;
  /** parley_fanout_lag_seconds during the load: mean of owner-publishes to follower-receives, and how many frames. */
  fanoutLag: { meanMs: number; frames: number } | null;
  eventsMissing: number | null;
  problems: string[];
}

export interface WorkersMeasurement {
  workers: number;
  /** Which cores the Parley processes were allowed (taskset), e.g. `0` or `0,1`. */
  cores: string;
  load: LoadResult;
  processes: ProcessUsage[];
  /** CPU of every process serving the port (workers and primary) per 1,000 tokens. */
  cpuPer1000TokensMs: number | null;
  fakeModelCpuMs: number;
  redis: RedisUsage | null;
  eventsMissing: number | null;
  problems: string[];
}

export interface SplitRound {
  scenario: SplitScenario;
  round: number;
  relay: LoadMeasurement | null;
  one: SplitMeasurement | null;
  /** A and B both on core 0: the CPU one instance had, for both. */
  two: SplitMeasurement | null;
  /** A on core 0, B on core 1 (with the load generator): each instance a core, as on separate machines. */
  twoOnTwoCores: SplitMeasurement | null;
}

export interface WorkersRound {
  scenario: WorkersScenario;
  round: number;
  relay: LoadMeasurement | null;
  one: WorkersMeasurement | null;
  /** The workers on both cores, one sharing core 1 with the load: the throughput two cores give. */
  two: WorkersMeasurement | null;
  /** The workers both on core 0, as WORKERS=1 is: what serving the port from two processes costs per token. */
  twoOnOneCore: WorkersMeasurement | null;
}

export interface ClusterReport {
  redisUrl: string;
  /** Set when the scenarios could not run (no Redis, no PostgreSQL). */
  skipped: string | null;
  notes: string[];
  split: SplitRound[];
  workers: WorkersRound[];
}
