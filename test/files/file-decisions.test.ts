import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { contentDisposition } from '../../src/files/content-disposition.js';
import { displayName } from '../../src/files/display-name.js';
import { classifyContent } from '../../src/files/file-types.js';
import { namesScript } from '../../src/files/pdf-script-names.js';
import { chooseAttachments } from '../../src/llm/attachment-content.js';
import { historyToPrompt } from '../../src/llm/history-to-prompt.js';
import { describeAttachments } from '../../src/llm/offline/describe-attachments.js';
import { resolvePdfInput, toOpenAiUserContent } from '../../src/llm/openai/to-openai-user-content.js';
import type { Attachment, HistoryItem } from '../../src/protocol/index.js';
import { disguisedScriptPdf, pdf, scriptedPdf } from './sample-files.js';

const file = (id: string, size: number, mediaType = 'image/png'): Attachment => ({ file_id: id, name: `${id}.bin`, media_type: mediaType, size });
const userMessage = (seq: number, attachments: Attachment[], content = 'look'): HistoryItem => ({ type: 'user_message', content, attachments, seq, created_at: '' });

describe('what an upload is', () => {
  it('is the type its bytes say, never text when a signature says otherwise, and nothing unknown', () => {
    expect(classifyContent({ mime: 'image/png' }, false)).toStrictEqual({ type: 'image/png' });
    expect(classifyContent({ mime: 'application/zip' }, false)).toStrictEqual({ type: null, detected: 'application/zip' });
    expect(classifyContent({ mime: 'application/xml' }, true)).toStrictEqual({ type: null, detected: 'application/xml' });
    expect(classifyContent(undefined, true)).toStrictEqual({ type: 'text/plain' });
    expect(classifyContent(undefined, false)).toStrictEqual({ type: null });
  });

  it('finds script names in a PDF however they are spelled, and none in a plain one', () => {
    expect(namesScript(scriptedPdf)).toBe(true);
    expect(namesScript(disguisedScriptPdf)).toBe(true);
    expect(namesScript(pdf('A /JSON word and /Jump'))).toBe(false);
  });

  it('keeps a file name only as a name: no directories, no control characters, never empty', () => {
    expect(displayName('../../etc/passwd')).toBe('passwd');
    expect(displayName('C:\\Users\\me\\report.pdf')).toBe('report.pdf');
    expect(displayName('bad\u0000name\r\n.txt')).toBe('badname.txt');
    expect(displayName('..')).toBe('file');
    expect(displayName(undefined)).toBe('file');
    expect(displayName('x'.repeat(500))).toHaveLength(200);
  });

  it('writes Content-Disposition with an ASCII fallback and the exact name encoded', () => {
    expect(contentDisposition('attachment', 'résumé "final".pdf')).toBe(`attachment; filename="r_sum_ _final_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf`);
  });

  it('refuses an unknown type in FILE_TYPES, naming the allowed ones', () => {
    expect(loadSettings({ FILE_TYPES: 'image/png, text/plain' }).FILE_TYPES).toStrictEqual(['image/png', 'text/plain']);
    expect(() => loadSettings({ FILE_TYPES: 'image/svg+xml' })).toThrow(/FILE_TYPES="image\/svg\+xml": unknown type "image\/svg\+xml"; allowed: image\/png/);
  });
});

describe('files in model requests', () => {
  it('sends the newest files first while they fit the budget, and only names the rest', () => {
    const history = [userMessage(1, [file('old', 600)]), userMessage(5, [file('a', 300), file('b', 500)])];
    expect(chooseAttachments(history, 1000).map((attachment) => attachment.file_id)).toStrictEqual(['a', 'b']);
    const prompt = historyToPrompt('system', history, new Map([['a', { ...file('a', 300), data: new Uint8Array([1]) }]]));
    expect(prompt[1]).toStrictEqual({
      role: 'user',
      content: [
        { type: 'text', text: '[Attached file "old.bin" (image/png, 600 B); its content is not included here.]', providerOptions: { parley: { attachment: { name: 'old.bin', media_type: 'image/png', size: 600 }, omitted: true } } },
        { type: 'text', text: 'look' },
      ],
    });
  });

  it('gives an OpenAI-compatible server images as data URLs, PDFs as file parts or text, and names what it cannot read', () => {
    const parts = [
      { type: 'file' as const, mediaType: 'image/gif', filename: 'a.gif', data: new Uint8Array([71, 73, 70]) },
      { type: 'file' as const, mediaType: 'application/pdf', filename: 'b.pdf', data: new Uint8Array([37]), providerOptions: { parley: { attachment: { name: 'b.pdf', media_type: 'application/pdf', size: 1 }, text: 'Page text' } } },
      { type: 'file' as const, mediaType: 'audio/wav', filename: 'c.wav', data: 'AAAA' },
    ];
    expect(toOpenAiUserContent(parts, 'text')).toStrictEqual([
      { type: 'image_url', image_url: { url: 'data:image/gif;base64,R0lG' } },
      { type: 'text', text: '[Text of the PDF "b.pdf"]\nPage text\n[End of "b.pdf"]' },
      { type: 'text', text: '[A file "c.wav" (audio/wav) is attached; this model cannot read it.]' },
    ]);
    expect(toOpenAiUserContent(parts, 'file')[1]).toStrictEqual({ type: 'file', file: { filename: 'b.pdf', file_data: 'data:application/pdf;base64,JQ==' } });
  });

  it('sends PDFs as files to OpenAI itself and as text elsewhere, unless told', () => {
    expect(resolvePdfInput('auto', 'https://api.openai.com/v1')).toBe('file');
    expect(resolvePdfInput('auto', 'http://127.0.0.1:11434/v1')).toBe('text');
    expect(resolvePdfInput('file', 'http://127.0.0.1:11434/v1')).toBe('file');
  });

  it('has the offline model read text files and say plainly which files it cannot see', () => {
    expect(describeAttachments([{ name: 'a.txt', mediaType: 'text/plain', text: 'one two\nthree\n' }, { name: 'b.pdf', mediaType: 'application/pdf' }, { name: 'c.png', mediaType: 'image/png' }])).toBe(
      'I read "a.txt": 2 lines, 3 words. It begins: "one two three"\n\n' +
        'I cannot see "b.pdf" (a PDF), "c.png" (an image): the offline model reads text files only. A model such as Gemini can read images and PDFs.',
    );
  });
});
