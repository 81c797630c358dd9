import type { CDPSession } from 'playwright-core';

/** One trace event as Chromium's tracing reports it (times in microseconds). */
interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** CPU time the thread spent in the event. */
  tdur?: number;
  id?: string;
  id2?: { local?: string };
  args?: { name?: string };
}

export interface MeasuredSpan {
  /** Wall-clock milliseconds from start to end. */
  wallMs: number;
  /** Milliseconds of CPU the page's main thread spent between start and end. */
  mainThreadMs: number;
}

/**
 * Records Chromium's trace of the page's main thread while `during` runs, and returns, for
 * each `performance.measure(name)` the page made, its wall time and the CPU time the main
 * thread spent inside it. Throttled CPU time (Emulation.setCPUThrottlingRate) counts as CPU
 * time, and time the machine gave to other processes does not: on a shared, loaded machine
 * it is the figure a person on an otherwise idle slow phone would wait.
 */
export async function traceMeasures(cdp: CDPSession, name: string, during: () => Promise<void>): Promise<MeasuredSpan[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (data: { value: object[] }) => events.push(...(data.value as TraceEvent[])));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] },
    transferMode: 'ReportEvents',
  });
  try {
    await during();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
  }

  const marks = events.filter((event) => event.cat.includes('blink.user_timing') && event.name === name && (event.ph === 'b' || event.ph === 'e'));
  const first = marks[0];
  if (!first) return [];
  const tasks = events.filter((event) => event.pid === first.pid && event.tid === first.tid && event.name === 'RunTask' && event.ph === 'X');
  const spans: MeasuredSpan[] = [];
  for (const begin of marks.filter((event) => event.ph === 'b')) {
    const key = begin.id ?? begin.id2?.local;
    const end = marks.find((event) => event.ph === 'e' && (event.id ?? event.id2?.local) === key && event.ts >= begin.ts);
    if (!end) continue;
    let cpu = 0;
    for (const task of tasks) {
      const taskEnd = task.ts + (task.dur ?? 0);
      const overlap = Math.min(taskEnd, end.ts) - Math.max(task.ts, begin.ts);
      if (overlap > 0 && task.dur) cpu += (task.tdur ?? task.dur) * (overlap / task.dur);
    }
    spans.push({ wallMs: (end.ts - begin.ts) / 1000, mainThreadMs: cpu / 1000 });
  }
  return spans;
}
