import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { extractText, getDocumentProxy } from 'unpdf';
import type { PdfInspection, PdfWorkerData } from './pdf-inspection.js';
import { namesScript } from './pdf-script-names.js';

/**
 * Reads one PDF in a thread of its own (pdf-inspection.ts): a hostile or huge document costs
 * this thread, bounded in time and memory, never the server's event loop.
 */
async function inspect({ path, maxTextChars }: PdfWorkerData): Promise<PdfInspection> {
  const bytes = new Uint8Array(await readFile(path));
  if (namesScript(bytes)) return { verdict: 'scripted' };
  let document;
  try {
    // pdf.js keeps the buffer it is given: a copy, so the scan above read the original.
    document = await getDocumentProxy(bytes.slice(), { verbosity: 0, isEvalSupported: false, disableFontFace: true, stopAtErrors: true });
  } catch {
    return { verdict: 'unreadable' };
  }
  try {
    if ((await document.getJSActions()) !== null || (await document.hasJSActions())) return { verdict: 'scripted' };
    for (let pageNumber = 1; pageNumber <= document.numPages; pageNumber += 1) {
      const page = await document.getPage(pageNumber);
      const actions = (await page.getJSActions()) as Record<string, unknown> | null;
      if (actions !== null && Object.keys(actions).length > 0) return { verdict: 'scripted' };
      const annotations = (await page.getAnnotations()) as Array<{ actions?: Record<string, unknown> }>;
      if (annotations.some((annotation) => annotation.actions && Object.keys(annotation.actions).length > 0)) return { verdict: 'scripted' };
    }
    const { text } = await extractText(document, { mergePages: true });
    return { verdict: 'readable', text: text.length > maxTextChars ? `${text.slice(0, maxTextChars)}\n[…the rest of the text is left out]` : text, pages: document.numPages };
  } catch {
    return { verdict: 'unreadable' };
  } finally {
    await document.destroy();
  }
}

inspect(workerData as PdfWorkerData).then(
  (inspection) => parentPort?.postMessage(inspection),
  () => parentPort?.postMessage({ verdict: 'unreadable' } satisfies PdfInspection),
);
