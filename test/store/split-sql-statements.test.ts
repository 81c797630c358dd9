import { describe, expect, it } from 'vitest';
import { splitSqlStatements } from '../../src/store/split-sql-statements.js';

describe('splitSqlStatements', () => {
  it('splits on semicolons but not inside quotes, comments or dollar-quoted bodies', () => {
    const script = [
      '-- a comment; with a semicolon',
      "CREATE TABLE a (note text DEFAULT 'x;y''z');",
      '/* block; comment */ CREATE TABLE "odd;name" (id int);',
      'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$;',
      'CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;',
      '-- trailing comment only',
    ].join('\n');

    expect(splitSqlStatements(script)).toStrictEqual([
      "-- a comment; with a semicolon\nCREATE TABLE a (note text DEFAULT 'x;y''z')",
      '/* block; comment */ CREATE TABLE "odd;name" (id int)',
      'CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END; $$',
      'CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$',
    ]);
  });

  it('keeps a last statement that has no semicolon', () => {
    expect(splitSqlStatements('SELECT 1;\nSELECT 2')).toStrictEqual(['SELECT 1', 'SELECT 2']);
  });
});
