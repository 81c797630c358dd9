import { calculatorError } from './calculator-error.js';
import { calculatorLimits } from './calculator-limits.js';

export type Operator = '+' | '-' | '*' | '/' | '%' | '^' | '!' | '√' | '(' | ')' | ',';

export type Token =
  | { kind: 'number'; value: number; text: string; position: number }
  | { kind: 'name'; text: string; position: number }
  | { kind: 'operator'; operator: Operator; text: string; position: number };

/** Symbols people and models type, mapped to the one operator each means. */
const operatorAliases: ReadonlyMap<string, Operator> = new Map<string, Operator>([
  ['+', '+'], ['-', '-'], ['−', '-'], ['–', '-'],
  ['*', '*'], ['×', '*'], ['·', '*'], ['⋅', '*'],
  ['/', '/'], ['÷', '/'], ['∕', '/'],
  ['%', '%'], ['^', '^'], ['!', '!'], ['√', '√'],
  ['(', '('], [')', ')'], [',', ','],
]);

const digit = /[0-9]/;
const nameStart = /[\p{L}_]/u;
const namePart = /[\p{L}\p{N}_]/u;

/**
 * Splits an expression into tokens. Positions are 1-based character columns, the way a
 * person counts them when reading the error message.
 */
export function tokenize(expression: string): Token[] {
  const characters = [...expression];
  const tokens: Token[] = [];
  // Whether each open parenthesis belongs to a function call: inside one, a comma separates
  // arguments, so "1,000" there cannot be a thousands separator.
  const openParentheses: boolean[] = [];
  let index = 0;
  while (index < characters.length) {
    const character = characters[index]!;
    const position = index + 1;
    if (/\s/.test(character)) {
      index += 1;
    } else if (digit.test(character) || (character === '.' && digit.test(characters[index + 1] ?? ''))) {
      const insideCall = openParentheses.at(-1) === true;
      const number = readNumber(characters, index, !insideCall);
      tokens.push({ kind: 'number', value: number.value, text: number.text, position });
      index = number.end;
    } else if (nameStart.test(character)) {
      let end = index + 1;
      while (end < characters.length && namePart.test(characters[end]!)) end += 1;
      tokens.push({ kind: 'name', text: characters.slice(index, end).join(''), position });
      index = end;
    } else if (character === '*' && characters[index + 1] === '*') {
      tokens.push({ kind: 'operator', operator: '^', text: '**', position });
      index += 2;
    } else {
      const operator = operatorAliases.get(character);
      if (operator === undefined) throw calculatorError(`unexpected character '${character}' at position ${position}`);
      if (operator === '(') openParentheses.push(tokens.at(-1)?.kind === 'name');
      if (operator === ')') openParentheses.pop();
      tokens.push({ kind: 'operator', operator, text: character, position });
      index += 1;
    }
    if (tokens.length > calculatorLimits.maxTokens) {
      throw calculatorError(`the expression has more than ${calculatorLimits.maxTokens} numbers, names and operators`);
    }
  }
  return tokens;
}

function readNumber(characters: string[], start: number, allowThousands: boolean) {
  let end = start;
  let digits = '';
  while (end < characters.length && digit.test(characters[end]!)) digits += characters[end++];
  // "1,000,000": the first group has 1 to 3 digits and every later group exactly 3.
  if (allowThousands && digits.length >= 1 && digits.length <= 3) {
    while (characters[end] === ',' && isDigitRun(characters, end + 1, 3) && !digit.test(characters[end + 4] ?? '')) {
      digits += characters.slice(end + 1, end + 4).join('');
      end += 4;
    }
  }
  if (characters[end] === '.') {
    digits += '.';
    end += 1;
    while (end < characters.length && digit.test(characters[end]!)) digits += characters[end++];
  }
  if (characters[end] === 'e' || characters[end] === 'E') {
    const signLength = characters[end + 1] === '+' || characters[end + 1] === '-' ? 1 : 0;
    // Only an exponent when digits follow; otherwise "2e" is a number then the constant e.
    if (digit.test(characters[end + 1 + signLength] ?? '')) {
      digits += 'e' + (signLength ? characters[end + 1] : '');
      end += 1 + signLength;
      while (end < characters.length && digit.test(characters[end]!)) digits += characters[end++];
    }
  }
  if (characters[end] === '.') {
    throw calculatorError(`unexpected '.' at position ${end + 1}: a number has at most one decimal point`);
  }
  return { value: Number(digits), text: characters.slice(start, end).join(''), end };
}

function isDigitRun(characters: string[], start: number, length: number): boolean {
  for (let offset = 0; offset < length; offset += 1) {
    if (!digit.test(characters[start + offset] ?? '')) return false;
  }
  return true;
}
