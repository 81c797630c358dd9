import { parse, protocol, type PGlite } from '@electric-sql/pglite';

export type PreparedQuery = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

interface Statement {
  name: string;
  /** One per parameter, from the server's own description of the statement. */
  paramTypes: number[];
}

/**
 * Runs a query on PGlite as a named prepared statement, prepared the first time its text
 * is seen. PGlite's own `query` parses and plans every statement anew and crosses into WASM
 * six times per call (parse, describe, bind, describe, execute, sync); here a prepared
 * statement is one crossing and a cached plan. A one-event write took 0.32-0.39 ms through
 * `query` and 0.055-0.076 ms this way (back to back, one process; docs/architecture.md,
 * "Measured choices on the hot path").
 * Values are serialized for the types the server described, as `query` does, and rows are
 * parsed by PGlite's own `parseResults` with the instance's parsers. It waits for an open
 * transaction like `query` (PGlite's transaction lock, then its query lock), so it never
 * runs inside another caller's transaction.
 */
export function preparedQueries(pglite: PGlite, options: { maxStatements?: number } = {}): PreparedQuery {
  const statements = new Map<string, Statement>();
  // Parley's own statements are a few dozen texts; past the cap (SQL built per call by a
  // plugin, say) a text runs unprepared rather than growing the cache without end.
  const maxStatements = options.maxStatements ?? 200;
  const { serialize } = protocol;
  let named = 0;

  const prepare = async (text: string): Promise<Statement> => {
    named += 1;
    const name = `parley_${named}`;
    const { messages } = await pglite.execProtocol(concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]));
    const description = messages.find((message) => message.name === 'parameterDescription') as { dataTypeIDs: number[] } | undefined;
    const statement = { name, paramTypes: description?.dataTypeIDs ?? [] };
    statements.set(text, statement);
    return statement;
  };

  return async (text, params) => {
    if (!statements.has(text) && statements.size >= maxStatements) return (await pglite.query<Record<string, unknown>>(text, params)).rows;
    return pglite._runExclusiveTransaction(() =>
      pglite.runExclusive(async () => {
        const statement = statements.get(text) ?? (await prepare(text));
        const values = params.map((value, index) => {
          if (value === null || value === undefined) return null;
          const serializer = pglite.serializers[statement.paramTypes[index] ?? 0];
          if (serializer) return serializer(value);
          return typeof value === 'string' ? value : JSON.stringify(value);
        });
        const { messages } = await pglite.execProtocol(
          concat([serialize.bind({ statement: statement.name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]),
        );
        return parse.parseResults(messages, pglite.parsers)[0]?.rows ?? [];
      }),
    );
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
