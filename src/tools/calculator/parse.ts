import { calculatorError } from './calculator-error.js';
import { calculatorLimits } from './calculator-limits.js';
import { constants, mathFunctions } from './math-functions.js';
import type { SyntaxNode } from './syntax-tree.js';
import type { Operator, Token } from './tokenize.js';

/**
 * Recursive descent, loosest binding first:
 *   sum      = product (("+" | "-") product)*
 *   product  = unary (("*" | "/" | "%") unary | "of" unary after a percent)*
 *   unary    = ("-" | "+" | "√") unary | power
 *   power    = postfix ("^" unary)?          right-associative; -2^2 is -(2^2)
 *   postfix  = primary ("!" | "%" as percent)*
 *   primary  = number | name | name "(" arguments ")" | "(" sum ")"
 * There is no implicit multiplication: "2(3)" is an error that says what to write.
 */
export function parse(tokens: readonly Token[]): SyntaxNode {
  if (tokens.length === 0) throw calculatorError('the expression is empty');
  const parser = new Parser(tokens);
  const tree = parser.sum();
  if (parser.peek() !== undefined) parser.fail();
  return tree;
}

class Parser {
  #index = 0;
  #depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.#index + offset];
  }

  sum(): SyntaxNode {
    let left = this.product();
    for (let token = this.peek(); isOperator(token, '+', '-'); token = this.peek()) {
      this.#index += 1;
      left = { kind: 'binary', operator: token.operator as '+' | '-', left, right: this.product(), position: token.position };
    }
    return left;
  }

  product(): SyntaxNode {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      if (isOperator(token, '*', '/', '%')) {
        this.#index += 1;
        left = { kind: 'binary', operator: token.operator as '*' | '/' | '%', left, right: this.unary(), position: token.position };
      } else if (token?.kind === 'name' && token.text.toLowerCase() === 'of' && isOperator(this.tokens[this.#index - 1], '%')) {
        // "15% of 80": the percent already divided by 100, so "of" is a multiplication.
        this.#index += 1;
        left = { kind: 'binary', operator: '*', left, right: this.unary(), position: token.position };
      } else {
        return left;
      }
    }
  }

  unary(): SyntaxNode {
    this.#enter();
    const token = this.peek();
    let node: SyntaxNode;
    if (isOperator(token, '-', '+', '√')) {
      this.#index += 1;
      const operand = this.unary();
      if (token.operator === '-') node = { kind: 'negate', operand, position: token.position };
      else if (token.operator === '√') node = { kind: 'call', name: 'sqrt', arguments: [operand], position: token.position };
      else node = operand;
    } else {
      node = this.power();
    }
    this.#depth -= 1;
    return node;
  }

  power(): SyntaxNode {
    const base = this.postfix();
    const token = this.peek();
    if (!isOperator(token, '^')) return base;
    this.#index += 1;
    return { kind: 'binary', operator: '^', left: base, right: this.unary(), position: token.position };
  }

  postfix(): SyntaxNode {
    let node = this.primary();
    for (;;) {
      const token = this.peek();
      if (token === undefined || token.kind !== 'operator') return node;
      const { position } = token;
      if (token.operator === '!') {
        if (isOperator(this.peek(1), '!')) {
          throw calculatorError(`'!!' at position ${position} is not supported; write (n!)! for the factorial of a factorial`);
        }
        node = { kind: 'call', name: 'fact', arguments: [node], position };
      } else if (token.operator === '%' && this.#percentFollows()) {
        node = { kind: 'binary', operator: '/', left: node, right: { kind: 'number', value: 100, position }, position };
      } else {
        return node;
      }
      this.#index += 1;
    }
  }

  primary(): SyntaxNode {
    const token = this.peek();
    if (token === undefined) return this.fail();
    if (token.kind === 'number') {
      this.#index += 1;
      if (!Number.isFinite(token.value)) throw calculatorError(`the number ${token.text} at position ${token.position} is too large`);
      return { kind: 'number', value: token.value, position: token.position };
    }
    if (token.kind === 'name') {
      this.#index += 1;
      return isOperator(this.peek(), '(') ? this.#call(token) : this.#constant(token);
    }
    if (isOperator(token, '(')) {
      this.#enter();
      this.#index += 1;
      const inner = this.sum();
      this.#expectClosing(token);
      this.#depth -= 1;
      return inner;
    }
    return this.fail();
  }

  /** Throws the most helpful error for the token at the cursor, which does not fit here. */
  fail(): never {
    const token = this.peek();
    const previous = this.tokens[this.#index - 1];
    if (token === undefined) {
      if (previous === undefined) throw calculatorError('the expression is empty');
      throw calculatorError(`the expression ends too early, after '${previous.text}' at position ${previous.position}`);
    }
    if (previous !== undefined && endsOperand(previous) && startsOperand(token)) {
      throw calculatorError(
        `missing operator between '${previous.text}' and '${token.text}' at position ${token.position}; ` +
          `write '*' between them to multiply`,
      );
    }
    throw calculatorError(`unexpected '${token.text}' at position ${token.position}`);
  }

  #call(nameToken: Extract<Token, { kind: 'name' }>): SyntaxNode {
    const name = nameToken.text.toLowerCase();
    const definition = mathFunctions.get(name);
    if (definition === undefined) {
      throw calculatorError(`unknown function '${nameToken.text}' at position ${nameToken.position}; known functions: ${[...mathFunctions.keys()].join(', ')}`);
    }
    const opening = this.peek()!;
    this.#enter();
    this.#index += 1;
    const callArguments: SyntaxNode[] = [];
    if (!isOperator(this.peek(), ')')) {
      callArguments.push(this.sum());
      while (isOperator(this.peek(), ',')) {
        this.#index += 1;
        callArguments.push(this.sum());
      }
    }
    this.#expectClosing(opening);
    this.#depth -= 1;
    const count = callArguments.length;
    if (count < definition.minArguments || count > definition.maxArguments) {
      throw calculatorError(`${name} at position ${nameToken.position} takes ${describeArity(definition.minArguments, definition.maxArguments)}, got ${count}`);
    }
    return { kind: 'call', name, arguments: callArguments, position: nameToken.position };
  }

  #constant(nameToken: Extract<Token, { kind: 'name' }>): SyntaxNode {
    const name = nameToken.text.toLowerCase();
    if (constants.has(name)) return { kind: 'constant', name, position: nameToken.position };
    if (mathFunctions.has(name)) {
      throw calculatorError(`${name} at position ${nameToken.position} needs parentheses, as in ${name}(2)`);
    }
    throw calculatorError(
      `unknown name '${nameToken.text}' at position ${nameToken.position}; known constants: pi, e, tau, and functions: ${[...mathFunctions.keys()].join(', ')}`,
    );
  }

  #expectClosing(opening: Token): void {
    const token = this.peek();
    if (isOperator(token, ')')) {
      this.#index += 1;
      return;
    }
    if (token === undefined) throw calculatorError(`missing ')' to close the '(' at position ${opening.position}`);
    this.fail();
  }

  /** A "%" is a percent sign when nothing that could be its right operand follows it. */
  #percentFollows(): boolean {
    const next = this.peek(1);
    return next === undefined || isOperator(next, ')', ',') || (next.kind === 'name' && next.text.toLowerCase() === 'of');
  }

  #enter(): void {
    this.#depth += 1;
    if (this.#depth > calculatorLimits.maxDepth) {
      throw calculatorError(`the expression is nested too deeply (more than ${calculatorLimits.maxDepth} levels of parentheses, signs or powers)`);
    }
  }
}

function isOperator(token: Token | undefined, ...operators: Operator[]): token is Extract<Token, { kind: 'operator' }> {
  return token?.kind === 'operator' && operators.includes(token.operator);
}

function startsOperand(token: Token): boolean {
  return token.kind !== 'operator' || token.operator === '(' || token.operator === '√';
}

function endsOperand(token: Token): boolean {
  return token.kind !== 'operator' || token.operator === ')' || token.operator === '!';
}

function describeArity(minimum: number, maximum: number): string {
  if (maximum === Infinity) return `at least ${minimum} argument${minimum === 1 ? '' : 's'}`;
  if (minimum === maximum) return `${minimum} argument${minimum === 1 ? '' : 's'}`;
  return `${minimum} to ${maximum} arguments`;
}
