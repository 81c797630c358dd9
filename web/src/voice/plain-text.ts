const fence = /^\s*(```|~~~)/;
const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/**
 * What a piece of markdown says, for reading aloud: no code blocks, markup symbols, link
 * targets, HTML tags or table rules. Works on pieces cut from a larger text (cut-sentences.ts),
 * so emphasis opened in one piece and closed in the next loses its stray marks too.
 */
export function plainText(markdown: string): string {
  const lines: string[] = [];
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (fence.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (!inFence) lines.push(plainLine(line));
  }
  return lines.filter(Boolean).join(' ').replace(/\s+/g, ' ').trim();
}

function plainLine(line: string): string {
  if (/^\s*([-*_]\s*){3,}$/.test(line) || (line.includes('|') && /^[\s|:-]*-[\s|:-]*$/.test(line))) return '';
  return line
    .replace(/^\s*(>\s?)+/, '')
    .replace(/^\s*#{1,6}\s+/, '')
    .replace(/^\s*([-*+]|\d+[.)])\s+(\[[ xX]\]\s+)?/, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<(https?:\/\/[^>\s]+)>/g, (_match, url: string) => hostOf(url))
    .replace(/https?:\/\/[^\s)>\]]+/g, (url) => hostOf(url))
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1')
    .replace(/`+/g, '')
    .replace(/\*+|~~/g, '')
    .replace(/(^|[^\p{L}\p{N}_])_+|_+(?=[^\p{L}\p{N}_]|$)/gu, '$1')
    .replace(/^\s*\||\|\s*$/g, '')
    .replace(/\s*\|\s*/g, ', ')
    .replace(/&(#39|[a-z]+);/g, (match, name: string) => entities[name] ?? match);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
