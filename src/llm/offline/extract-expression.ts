/**
 * Finds the arithmetic in a sentence ("what is 12*(3+4)?" gives "12*(3+4)") so the offline
 * model can hand it to the calculator. It only picks text out; evaluating is the tool's job.
 */
export function extractExpression(text: string): string | null {
  let best: Token[] = [];
  for (const run of mathRuns(tokenize(text))) {
    const trimmed = trimRun(run);
    if (isArithmetic(trimmed) && trimmed.length > best.length) best = trimmed;
  }
  if (best.length === 0) return null;
  const first = best[0]!;
  const last = best.at(-1)!;
  const expression = best.some((token) => token.spoken)
    ? best.map((token) => token.text).join(' ')
    : text.slice(first.start, last.end);
  return closeParentheses(expression.trim());
}

type Kind = 'number' | 'operator' | 'function' | 'constant' | 'open' | 'close' | 'comma' | 'other';

interface Token {
  kind: Kind;
  /** The token as the calculator should read it (spoken operators become symbols). */
  text: string;
  start: number;
  end: number;
  spoken: boolean;
}

/** Tried in order at each position; the first that matches wins. */
const lexicon: ReadonlyArray<{ pattern: RegExp; kind: Kind; symbol?: string }> = [
  { pattern: /\s+/y, kind: 'other', symbol: ' ' },
  // With its exponent ("1e9", "2.5E-3"), as the calculator reads it; a bare "2e" stays a number and a word.
  { pattern: /(?:\d+(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?/iy, kind: 'number' },
  { pattern: /(?:sqrt|cbrt|abs|round|floor|ceil|exp|ln|log2|log|asin|acos|atan|sin|cos|tan|min|max|fact|pow)(?=\s*\()/iy, kind: 'function' },
  { pattern: /(?:pi|tau)\b|π/iy, kind: 'constant' },
  { pattern: /%\s*of\b/iy, kind: 'operator', symbol: '% of' },
  { pattern: /to the power of\b/iy, kind: 'operator', symbol: '^' },
  { pattern: /(?:multiplied by|times)\b/iy, kind: 'operator', symbol: '*' },
  { pattern: /(?:divided by|over)\b/iy, kind: 'operator', symbol: '/' },
  { pattern: /plus\b/iy, kind: 'operator', symbol: '+' },
  { pattern: /minus\b/iy, kind: 'operator', symbol: '-' },
  { pattern: /mod\b/iy, kind: 'operator', symbol: '%' },
  { pattern: /[x×](?=\s*[\d(.])/iy, kind: 'operator', symbol: '*' },
  { pattern: /÷/y, kind: 'operator', symbol: '/' },
  { pattern: /√/y, kind: 'function' },
  { pattern: /[-+*/^%]/y, kind: 'operator' },
  { pattern: /\(/y, kind: 'open' },
  { pattern: /\)/y, kind: 'close' },
  { pattern: /,/y, kind: 'comma' },
  { pattern: /[\p{L}\p{N}_']+|./uy, kind: 'other' },
];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < text.length) {
    for (const entry of lexicon) {
      entry.pattern.lastIndex = position;
      const match = entry.pattern.exec(text);
      if (!match) continue;
      const previous = tokens.at(-1);
      // "x" multiplies only right after a number or a closing parenthesis ("3 x 4", "(2+1)x5").
      const isTimesLetter = entry.symbol === '*' && /^[x×]$/i.test(match[0]);
      const kind = isTimesLetter && previous?.kind !== 'number' && previous?.kind !== 'close' ? 'other' : entry.kind;
      const isSpace = entry.symbol === ' ';
      if (!isSpace) {
        tokens.push({
          kind,
          text: kind === 'other' ? match[0] : (entry.symbol ?? match[0]),
          start: position,
          end: position + match[0].length,
          spoken: entry.symbol !== undefined && kind !== 'other' && /[a-z]/i.test(match[0]),
        });
      }
      position += match[0].length;
      break;
    }
  }
  return tokens;
}

/** Maximal stretches of math tokens; words and punctuation end a stretch. */
function mathRuns(tokens: Token[]): Token[][] {
  const runs: Token[][] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    if (token.kind === 'other') {
      if (current.length > 0) runs.push(current);
      current = [];
    } else {
      current.push(token);
    }
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

function trimRun(run: Token[]): Token[] {
  let start = 0;
  let end = run.length;
  const canStart = (token: Token) => ['number', 'function', 'constant', 'open'].includes(token.kind) || token.text === '-';
  const canEnd = (token: Token) => ['number', 'constant', 'close'].includes(token.kind);
  while (start < end && !canStart(run[start]!)) start += 1;
  while (end > start && !canEnd(run[end - 1]!)) end -= 1;
  const trimmed = run.slice(start, end);
  // A ")" closing something before the stretch ("(about 3+4)") is not part of it.
  let depth = 0;
  for (let index = 0; index < trimmed.length; index += 1) {
    const token = trimmed[index]!;
    if (token.kind === 'open') depth += 1;
    if (token.kind === 'close') {
      if (depth === 0) return trimRun(trimmed.slice(0, index));
      depth -= 1;
    }
  }
  return trimmed;
}

/** A number alone is not a calculation; an operator between operands or a function is. */
function isArithmetic(run: Token[]): boolean {
  if (!run.some((token) => token.kind === 'number' || token.kind === 'constant')) return false;
  if (run.some((token) => token.kind === 'function')) return true;
  return run.some((token, index) => token.kind === 'operator' && index > 0);
}

function closeParentheses(expression: string): string {
  const missing = (expression.match(/\(/g)?.length ?? 0) - (expression.match(/\)/g)?.length ?? 0);
  return missing > 0 ? expression + ')'.repeat(missing) : expression;
}
