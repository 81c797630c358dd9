import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionStore } from '../../src/store/session-store.js';
import type { Database } from '../../src/store/types.js';
import { databaseVariants, type TestDatabase } from '../store/databases.js';

const postgresVariant = databaseVariants.find((variant) => variant.kind === 'postgres');

/**
 * What Supabase provides and a plain PostgreSQL lacks: the roles the Data API switches to and
 * `auth.uid()`, defined as Supabase defines it (the `sub` of the request's JWT claims). Roles
 * belong to the whole cluster and other test files may be doing the same at once, so all of
 * it is created only when missing, under a lock, and left in place afterwards.
 */
async function ensureSupabaseStandIns(database: Database): Promise<void> {
  await database.transaction(async (transaction) => {
    await transaction.query(`SELECT pg_advisory_xact_lock(hashtext('parley_test:supabase_stand_ins'))`);
    for (const role of ['anon', 'authenticated']) {
      await transaction.query(
        `DO $$ BEGIN
           IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} NOLOGIN; END IF;
         EXCEPTION WHEN duplicate_object THEN NULL;
         END $$`,
      );
    }
    await transaction.query(`CREATE SCHEMA IF NOT EXISTS auth`);
    const [existing] = await transaction.query<{ present: boolean }>(`SELECT to_regprocedure('auth.uid()') IS NOT NULL AS present`);
    if (!existing?.present) {
      await transaction.query(
        `CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
           SELECT coalesce(
             nullif(current_setting('request.jwt.claim.sub', true), ''),
             (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
           )::uuid
         $$`,
      );
    }
    await transaction.query(`GRANT USAGE ON SCHEMA auth TO anon, authenticated`);
  });
}

describe.runIf(postgresVariant)('supabase/policies.sql on PostgreSQL', () => {
  const userA = randomUUID();
  const userB = randomUUID();
  let testDatabase: TestDatabase;
  let database: Database;

  /** Runs `text` as the Data API would for a request: as `role`, with the JWT claims of `sub`. */
  function asRole<Row = Record<string, unknown>>(role: 'anon' | 'authenticated', sub: string | null, text: string): Promise<Row[]> {
    return database.transaction(async (transaction) => {
      await transaction.query(`SELECT set_config('role', $1, true)`, [role]);
      if (sub !== null) await transaction.query(`SELECT set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub, role })]);
      return transaction.query<Row>(text);
    });
  }

  const sessionIdsFor = async (sub: string) =>
    (await asRole<{ session_id: string }>('authenticated', sub, 'SELECT session_id FROM sessions ORDER BY session_id')).map(
      (row) => row.session_id,
    );

  const applyPolicies = async () => {
    const script = await readFile(new URL('../../supabase/policies.sql', import.meta.url), 'utf8');
    await database.exec(script);
  };

  beforeAll(async () => {
    testDatabase = await postgresVariant!.create();
    database = testDatabase.database;
    await ensureSupabaseStandIns(database);
    const [{ schema } = { schema: '' }] = await database.query<{ schema: string }>('SELECT current_schema() AS schema');
    await database.query(`GRANT USAGE ON SCHEMA ${schema} TO anon, authenticated`);
    await applyPolicies();

    const store = createSessionStore(database);
    await store.openSession('a-first', userA);
    await store.openSession('a-second', userA);
    await store.openSession('b-only', userB);
    await store.openSession('nobody', null);
    await store.appendEvents([
      { session_id: 'a-first', event_type: 'user_message', content: 'from A', metadata: {}, seq: 1 },
      { session_id: 'b-only', event_type: 'user_message', content: 'from B', metadata: {}, seq: 1 },
    ]);
  });

  afterAll(() => testDatabase?.dispose());

  it("shows a user their own sessions and none of another user's or nobody's", async () => {
    expect(await sessionIdsFor(userA)).toStrictEqual(['a-first', 'a-second']);
    expect(await sessionIdsFor(userB)).toStrictEqual(['b-only']);
  });

  it("shows a user their own events and none of another user's, even asked for by session id", async () => {
    const eventsOf = (sub: string, sessionId?: string) =>
      asRole<{ content: string }>(
        'authenticated',
        sub,
        `SELECT content FROM session_events${sessionId === undefined ? '' : ` WHERE session_id = '${sessionId}'`} ORDER BY id`,
      );
    expect(await eventsOf(userA)).toStrictEqual([{ content: 'from A' }]);
    expect(await eventsOf(userA, 'b-only')).toStrictEqual([]);
    expect(await eventsOf(userB)).toStrictEqual([{ content: 'from B' }]);
  });

  it('shows a signed-in role without a user nothing', async () => {
    expect(await asRole('authenticated', null, 'SELECT session_id FROM sessions')).toStrictEqual([]);
  });

  it('refuses anonymous reads, any read of the quota counters, and every write, TRUNCATE included', async () => {
    await expect(asRole('anon', null, 'SELECT session_id FROM sessions')).rejects.toThrow(/permission denied/);
    await expect(asRole('anon', null, 'SELECT content FROM session_events')).rejects.toThrow(/permission denied/);
    await expect(asRole('authenticated', userA, 'SELECT count FROM usage_counters')).rejects.toThrow(/permission denied/);
    for (const write of [
      `INSERT INTO sessions (session_id, user_id) VALUES ('forged', '${userA}')`,
      `UPDATE sessions SET summary = 'changed' WHERE session_id = 'a-first'`,
      `DELETE FROM session_events`,
      `TRUNCATE sessions CASCADE`,
      `DELETE FROM usage_counters`,
      `TRUNCATE usage_counters`,
    ]) {
      await expect(asRole('authenticated', userA, write)).rejects.toThrow(/permission denied/);
    }
    expect(await sessionIdsFor(userA)).toStrictEqual(['a-first', 'a-second']);
  });

  it("leaves Parley's own connection, the tables' owner, seeing everything, after applying the file a second time", async () => {
    await applyPolicies();
    const rows = await database.query<{ session_id: string }>('SELECT session_id FROM sessions ORDER BY session_id');
    expect(rows.map((row) => row.session_id)).toStrictEqual(['a-first', 'a-second', 'b-only', 'nobody']);
    expect(await sessionIdsFor(userB)).toStrictEqual(['b-only']);
  });
});
