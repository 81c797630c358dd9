import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance, so tests can build several apps in one process. */
export function createMetrics(sources: {
  liveSessions(): number;
  writerPending(): number;
  writerRoundTrips(): number;
  writerStalledMs(): number;
}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'parley_process_' });
  // The one default that tells an outsider which Node release (and so which known flaws) runs
  // here, and tells an operator nothing their deployment does not: memory, CPU, event-loop lag
  // and GC stay, the version goes, whether or not /metrics needs API_TOKEN.
  registry.removeSingleMetric('parley_process_nodejs_version_info');
  const metrics = {
    registry,
    connections: new Gauge({ name: 'parley_ws_connections', help: 'Open WebSocket connections', registers: [registry] }),
    turns: new Counter({ name: 'parley_turns_total', help: 'Assistant turns by final status', labelNames: ['status'], registers: [registry] }),
    ttft: new Histogram({
      name: 'parley_ttft_seconds',
      help: 'Time from a user message to the first token',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    turnDuration: new Histogram({
      name: 'parley_turn_duration_seconds',
      help: 'Time from a user message to done',
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
    tokens: new Counter({
      name: 'parley_tokens_total',
      help: 'Model tokens of finished turns (estimated where the provider gave none), by direction (prompt, completion) and model',
      labelNames: ['direction', 'model'],
      registers: [registry],
    }),
    frameErrors: new Counter({ name: 'parley_frame_errors_total', help: 'Error frames sent, by code', labelNames: ['code'], registers: [registry] }),
    slowConsumers: new Counter({ name: 'parley_slow_consumers_total', help: 'Sockets closed for reading too slowly', registers: [registry] }),
    badFrameCloses: new Counter({
      name: 'parley_ws_bad_frame_closes_total',
      help: 'Sockets closed for sending bad frames past their budget',
      registers: [registry],
    }),
    eventsPoisoned: new Counter({
      name: 'parley_event_write_poisoned_total',
      help: 'Events the database refused for their data, each logged as a write_failed event instead',
      registers: [registry],
    }),
    finalized: new Counter({ name: 'parley_sessions_finalized_total', help: 'Sessions finalized', registers: [registry] }),
    forwarded: new Counter({
      name: 'parley_forwarded_messages_total',
      help: 'Client frames (messages, cancels) sent on to the instance that runs their session',
      registers: [registry],
    }),
    fanoutLag: new Histogram({
      name: 'parley_fanout_lag_seconds',
      help: 'From the owner sending a frame to another instance receiving it',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    leaseTakeovers: new Counter({
      name: 'parley_lease_takeovers_total',
      help: 'Sessions this instance took over from another one (dead, drained, or handing over)',
      registers: [registry],
    }),
  };
  new Gauge({ name: 'parley_live_sessions', help: 'Sessions held in memory', registers: [registry], collect() { this.set(sources.liveSessions()); } });
  new Gauge({ name: 'parley_event_writer_pending', help: 'Events waiting to be written', registers: [registry], collect() { this.set(sources.writerPending()); } });
  new Gauge({
    name: 'parley_event_writer_round_trips',
    help: 'Database round trips made by the event writer',
    registers: [registry],
    collect() { this.set(sources.writerRoundTrips()); },
  });
  new Gauge({
    name: 'parley_event_writer_stalled_seconds',
    help: 'How long the batch being written has waited for the database (0 when none waits)',
    registers: [registry],
    collect() { this.set(sources.writerStalledMs() / 1000); },
  });
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
