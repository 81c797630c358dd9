/**
 * Splits a migration file into its statements, so each runs as one parameterless query on
 * either driver (the extended protocol both drivers use takes one statement at a time).
 * Semicolons inside quotes, quoted identifiers, comments and dollar-quoted bodies
 * (function definitions) do not split.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let index = 0;
  const length = script.length;

  const skipUntil = (terminator: string, from: number): number => {
    const end = script.indexOf(terminator, from);
    return end === -1 ? length : end + terminator.length;
  };

  while (index < length) {
    const character = script[index];
    const next = script[index + 1];
    if (character === '-' && next === '-') {
      index = skipUntil('\n', index + 2);
    } else if (character === '/' && next === '*') {
      index = skipUntil('*/', index + 2);
    } else if (character === "'" || character === '"') {
      // A doubled quote inside is an escaped quote: skipping to the next quote and going on handles it.
      index = skipUntil(character, index + 1);
    } else if (character === '$') {
      const tag = /^\$[A-Za-z_][A-Za-z0-9_]*\$|^\$\$/.exec(script.slice(index))?.[0];
      index = tag ? skipUntil(tag, index + tag.length) : index + 1;
    } else if (character === ';') {
      pushStatement(statements, script.slice(start, index));
      index += 1;
      start = index;
    } else {
      index += 1;
    }
  }
  pushStatement(statements, script.slice(start));
  return statements;
}

function pushStatement(statements: string[], text: string): void {
  const withoutComments = text.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '').trim();
  if (withoutComments !== '') statements.push(text.trim());
}
