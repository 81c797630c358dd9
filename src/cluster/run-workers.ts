import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../logging/logger.js';
import { afterWorkerExit, defaultRestartLimits, type RestartLimits } from './worker-restarts.js';

export interface RunWorkersOptions {
  count: number;
  logger: Logger;
  /** How long the workers get to shut down after the signal is passed on; then they are killed. */
  stopTimeoutMs: number;
  restart?: RestartLimits;
}

/**
 * The primary process of WORKERS > 1: forks `count` workers, which run main.ts again and
 * listen on the one PORT (node:cluster hands them the connections); it opens no database
 * itself. A worker that exits unexpectedly is forked again (worker-restarts.ts). SIGTERM and
 * SIGINT are passed on to every worker, each shutting down as one process does. Resolves
 * with the exit code: 0 once all exited cleanly, 1 if one failed to stop or the workers
 * kept failing at start.
 */
export function runWorkers(options: RunWorkersOptions): Promise<number> {
  const { count, logger, stopTimeoutMs, restart = defaultRestartLimits } = options;
  const startedAt = new Map<Worker, number>();
  const restarts = new Set<NodeJS.Timeout>();
  let quickExitsInARow = 0;
  let stopping: { failed: boolean } | null = null;

  return new Promise((resolve) => {
    const fork = () => startedAt.set(cluster.fork(), Date.now());

    let killTimer: NodeJS.Timeout | undefined;
    const finishIfNoneLeft = () => {
      if (stopping === null || startedAt.size > 0) return;
      clearTimeout(killTimer);
      resolve(stopping.failed ? 1 : 0);
    };

    const stop = (signal: NodeJS.Signals, failed: boolean) => {
      if (stopping !== null) {
        stopping.failed ||= failed;
        return;
      }
      stopping = { failed };
      logger.info({ signal, workers: startedAt.size }, 'stopping workers');
      for (const timer of restarts) clearTimeout(timer);
      restarts.clear();
      for (const worker of startedAt.keys()) worker.process.kill(signal);
      killTimer = setTimeout(() => {
        for (const worker of startedAt.keys()) {
          logger.error({ workerPid: worker.process.pid }, 'worker did not stop in time; killed');
          worker.process.kill('SIGKILL');
        }
        if (stopping !== null) stopping.failed = true;
      }, stopTimeoutMs);
      finishIfNoneLeft();
    };

    cluster.on('exit', (worker, code, signal) => {
      const livedMs = Date.now() - (startedAt.get(worker) ?? Date.now());
      startedAt.delete(worker);
      if (stopping !== null) {
        if (code !== 0) {
          stopping.failed = true;
          logger.error({ workerPid: worker.process.pid, code, signal }, 'worker failed to shut down cleanly');
        }
        finishIfNoneLeft();
        return;
      }
      const decision = afterWorkerExit(quickExitsInARow, livedMs, restart);
      quickExitsInARow = decision.quickExitsInARow;
      if ('giveUp' in decision) {
        logger.error({ workerPid: worker.process.pid, code, signal, quickExitsInARow }, 'workers keep exiting soon after they start; giving up');
        stop('SIGTERM', true);
        return;
      }
      logger.error({ workerPid: worker.process.pid, code, signal, restartInMs: decision.restartInMs }, 'worker exited unexpectedly; starting another');
      const timer = setTimeout(() => {
        restarts.delete(timer);
        if (stopping === null) fork();
      }, decision.restartInMs);
      restarts.add(timer);
    });

    process.on('SIGTERM', () => stop('SIGTERM', false));
    process.on('SIGINT', () => stop('SIGINT', false));
    logger.info({ workers: count }, 'starting workers');
    for (let index = 0; index < count; index += 1) fork();
  });
}
