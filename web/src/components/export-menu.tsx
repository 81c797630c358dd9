import { useState } from 'preact/hooks';
import type { ExportFormat } from '../api/download-export.js';

/** The header's Export menu: the conversation as Markdown or JSON, downloaded under its title. */
export function ExportMenu({ sessionId }: { sessionId: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  const download = async (format: ExportFormat, menu: HTMLDetailsElement | null) => {
    setProblem(null);
    menu?.removeAttribute('open');
    try {
      const { downloadExport } = await import('../api/download-export.js');
      await downloadExport(sessionId, format);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <details class="export-menu">
      <summary class="button small" title={problem ?? 'Download this conversation'} data-problem={problem ?? undefined}>Export</summary>
      <div class="export-menu-items">
        {(['markdown', 'json'] as const).map((format) => (
          <button
            key={format}
            type="button"
            class="button small"
            onClick={(event) => void download(format, event.currentTarget.closest('details'))}
          >
            {format === 'markdown' ? 'Markdown (.md)' : 'JSON (.json)'}
          </button>
        ))}
      </div>
    </details>
  );
}
