const fence = /^\s*(```|~~~)/;

/**
 * An answer as plain text for the clipboard ("Copy text"): what the reader sees, without
 * markdown symbols. Unlike the text read aloud (voice/plain-text.ts), code keeps its lines,
 * links keep their address, and lines and paragraphs stay apart.
 */
export function plainCopy(markdown: string): string {
  const lines: string[] = [];
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (fence.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) lines.push(line);
    else if (!isRule(line)) lines.push(plainLine(line));
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** A thematic break or a table's alignment row: no words in it. */
function isRule(line: string): boolean {
  return /^\s*([-*_]\s*){3,}$/.test(line) || (line.includes('|') && /^[\s|:-]*-[\s|:-]*$/.test(line));
}

function plainLine(line: string): string {
  const cells = line.includes('|') && /^\s*\|/.test(line);
  const text = line
    .replace(/^\s*(>\s?)+/, '')
    .replace(/^\s*#{1,6}\s+/, '')
    .replace(/^(\s*)[-*+]\s+\[([ xX])\]\s+/, (_match, indent: string, mark: string) => `${indent}${mark === ' ' ? '☐' : '☑'} `)
    .replace(/^(\s*)[-*+]\s+/, '$1• ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_match, label: string, url: string) => (label === url ? url : `${label} (${url})`))
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1')
    .replace(/`+/g, '')
    .replace(/\*\*|__|~~/g, '')
    .replace(/(^|[^\p{L}\p{N}*])\*(?=\S)([^*]*\S)\*/gu, '$1$2')
    .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_]*\S)_(?![\p{L}\p{N}])/gu, '$1$2');
  if (!cells) return text;
  return text.replace(/^\s*\||\|\s*$/g, '').split('|').map((cell) => cell.trim()).join('\t');
}
