import { describe, expect, it } from 'vitest';
import { exportContentDisposition } from '../../src/export/export-file-name.js';

describe('the export file name', () => {
  it('is the title in ASCII letters and digits', () => {
    expect(exportContentDisposition('Weather in Paris', 's-1', 'markdown')).toBe('attachment; filename="parley-Weather-in-Paris.md"');
  });

  it('keeps accents and other scripts in filename*, with an ASCII name beside it', () => {
    expect(exportContentDisposition('Café à Zürich', 's-1', 'json')).toBe(
      `attachment; filename="parley-Cafe-a-Zurich.json"; filename*=UTF-8''parley-Caf%C3%A9-%C3%A0-Z%C3%BCrich.json`,
    );
    expect(exportContentDisposition('東京の天気', 'tokyo-1', 'markdown')).toBe(
      `attachment; filename="parley-tokyo-1.md"; filename*=UTF-8''parley-${encodeURIComponent('東京の天気')}.md`,
    );
  });

  it('names an untitled session by its id', () => {
    expect(exportContentDisposition(null, 'abc.DEF_1-2', 'json')).toBe('attachment; filename="parley-abc.DEF_1-2.json"');
  });

  it('lets no path, quote, header break or control character through', () => {
    const header = exportContentDisposition('../../etc/passwd"\r\nX-Evil: 1\u0000', 's-1', 'markdown');
    expect(header).toBe('attachment; filename="parley-etc-passwd-X-Evil-1.md"');
    expect(header).not.toMatch(/[\r\n]|\.\.\//);
    expect(header).not.toContain('\u0000');
  });
});
