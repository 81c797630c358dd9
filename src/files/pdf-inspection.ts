import { Worker } from 'node:worker_threads';

export interface PdfWorkerData {
  path: string;
  maxTextChars: number;
}

/** What a PDF turned out to be: its text, or why it is refused. */
export type PdfInspection =
  | { verdict: 'readable'; text: string; pages: number }
  | { verdict: 'scripted' }
  | { verdict: 'unreadable' };

/** A document pdf.js cannot read within this is refused, as one it cannot read at all. */
const inspectionTimeoutMs = 30_000;
/** The text models are given of one PDF, at most. */
export const maxPdfTextChars = 100_000;
const workerLimits = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 16 };

/**
 * Checks a PDF for scripts and extracts its text (unpdf, pdf.js), in a worker thread that is
 * ended at the time limit: parsing runs synchronously for long stretches, and a crafted file
 * must not stall every conversation on the server. Two run at once; others wait their turn.
 */
export async function inspectPdf(path: string): Promise<PdfInspection> {
  await takeTurn();
  try {
    return await inspectInWorker(path);
  } finally {
    releaseTurn();
  }
}

/** PDFs read at once, at most: each worker may take its memory limit. */
const maxConcurrentInspections = 2;
let running = 0;
const waiting: Array<() => void> = [];

async function takeTurn(): Promise<void> {
  if (running < maxConcurrentInspections) {
    running += 1;
    return;
  }
  // The releasing inspection hands its place over directly.
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function releaseTurn(): void {
  const next = waiting.shift();
  if (next) next();
  else running -= 1;
}

async function inspectInWorker(path: string): Promise<PdfInspection> {
  const worker = startWorker({ path, maxTextChars: maxPdfTextChars });
  try {
    return await new Promise<PdfInspection>((resolve) => {
      const timer = setTimeout(() => resolve({ verdict: 'unreadable' }), inspectionTimeoutMs);
      worker.once('message', (inspection: PdfInspection) => {
        clearTimeout(timer);
        resolve(inspection);
      });
      worker.once('error', () => {
        clearTimeout(timer);
        resolve({ verdict: 'unreadable' });
      });
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve({ verdict: 'unreadable' });
      });
    });
  } finally {
    await worker.terminate();
  }
}

/** From dist/ the worker is plain JavaScript; from the TypeScript sources (tests, `npm run dev`) tsx loads it first. */
function startWorker(data: PdfWorkerData): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./pdf-worker.js', import.meta.url), { workerData: data, resourceLimits: workerLimits });
  }
  const source = JSON.stringify(new URL('./pdf-worker.ts', import.meta.url).href);
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${source}); });`, {
    eval: true,
    workerData: data,
    resourceLimits: workerLimits,
  });
}
