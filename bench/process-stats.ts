import { readFile } from 'node:fs/promises';

/** CPU and memory of another process, read from /proc (Linux). */
const ticksPerSecond = 100;

/** User + system CPU time so far, in milliseconds. */
export async function readCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at "state" (field 3).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** Resident set size now, in KiB (VmRSS). */
export async function readRssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) : 0;
}

/**
 * RSS of a process and all its descendants, in KiB (Parley creates PGlite's data directory in
 * a child process); throws when the process is gone. Descendants come from
 * /proc/PID/task/PID/children.
 */
export async function readTreeRssKb(pid: number): Promise<number> {
  let children: number[] = [];
  try {
    const listed = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    children = listed.split(' ').filter(Boolean).map(Number);
  } catch {
    // Gone, or a kernel without the children file: the process alone.
  }
  const own = await readRssKb(pid);
  const below = await Promise.all(children.map((child) => readTreeRssKb(child).catch(() => 0)));
  return below.reduce((sum, rss) => sum + rss, own);
}

/** Samples RSS (by `read`) every `everyMs` until stopped; returns the peak seen. */
export function watchPeakRss(pid: number, everyMs = 100, read: (pid: number) => Promise<number> = readRssKb): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        peak = Math.max(peak, await read(pid));
      } catch {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return peak;
    },
  };
}
