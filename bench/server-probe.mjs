// Preloaded into the server under test (`node --expose-gc --import ./bench/server-probe.mjs ...`),
// Parley and the bare relay alike, so both are measured the same way without touching src/.
// On SIGUSR2 it collects garbage (so RSS is read after GC settles), then writes what it
// measured to BENCH_PROBE_FILE: memory and the event loop's delay since the last report.
// Plain JavaScript so that the measured process loads nothing extra (no tsx).
import { writeFileSync, renameSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let reports = 0;
  process.on('SIGUSR2', () => {
    // The delay is read before collecting and the window restarts after, so the probe's own
    // GC pauses count in no window. The histogram's samples include its 10 ms interval: taken off.
    const milliseconds = (nanoseconds) => Math.max(0, Math.round((nanoseconds / 1e6 - 10) * 100) / 100);
    const eventLoopDelayMs = { p50: milliseconds(delay.percentile(50)), p99: milliseconds(delay.percentile(99)), max: milliseconds(delay.max) };
    const collect = () => globalThis.gc?.();
    collect();
    // A second pass after the first one's finalizers ran, then a pause for the allocator.
    setTimeout(() => {
      collect();
      setTimeout(() => {
        reports += 1;
        const report = { report: reports, memory: process.memoryUsage(), eventLoopDelayMs };
        delay.reset();
        writeFileSync(`${file}.tmp`, JSON.stringify(report));
        renameSync(`${file}.tmp`, file);
      }, 200);
    }, 50);
  });
}
