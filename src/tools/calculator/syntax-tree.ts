/** The parsed expression. `position` is where the node's operator or value starts, for errors. */
export type SyntaxNode =
  | { kind: 'number'; value: number; position: number }
  | { kind: 'constant'; name: string; position: number }
  | { kind: 'negate'; operand: SyntaxNode; position: number }
  | { kind: 'binary'; operator: BinaryOperator; left: SyntaxNode; right: SyntaxNode; position: number }
  | { kind: 'call'; name: string; arguments: SyntaxNode[]; position: number };

export type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '^';
