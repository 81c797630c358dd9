import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TextEmbedder } from '../../src/llm/text-embedder.js';
import { builtinEmbedder } from '../../src/search/builtin-embedder.js';
import { createSearch, type Search } from '../../src/search/create-search.js';
import { decodeSearchCursor } from '../../src/search/search-cursor.js';
import { readSearchCapabilities } from '../../src/search/search-capabilities.js';
import { SearchService } from '../../src/search/search-service.js';
import { createSearchStore } from '../../src/search/search-store.js';
import { createSessionStore } from '../../src/store/session-store.js';
import type { Database } from '../../src/store/types.js';
import { databaseVariants, type TestDatabase } from '../store/databases.js';
import { corpus, seedCorpus } from './search-corpus.js';

const quiet = { warn: () => {} };

describe.each(databaseVariants)('search on $kind', (variant) => {
  let testDatabase: TestDatabase;
  let database: Database;
  let search: Search;

  const first = async (query: string, owner: string | null = 'ana') => (await search.service.search({ query, owner, limit: 5, offset: 0 })).hits[0];

  beforeAll(async () => {
    testDatabase = await variant.create();
    database = testDatabase.database;
    await seedCorpus(database);
    search = await createSearch(database, builtinEmbedder, quiet);
    await search.indexer.drain();
  });
  afterAll(async () => {
    await testDatabase?.dispose();
  });

  it('runs full text, typos (pg_trgm) and meaning (the built-in embedding)', () => {
    expect(search.service.modes).toStrictEqual({ full_text: true, trigram: true, semantic: 'builtin' });
  });

  it.each([
    ['sourdough starter', 'baking', 1],
    ['flat loaf over-proofed', 'baking', 15],
    ['running', 'jogging', 1],
    ['rests', 'jogging', 5],
    ['tax deadline', 'taxes', 5],
    ['"last day of April"', 'taxes', 5],
    ['beginner chords', 'guitar', 1],
    ['sourdugh', 'baking', 1],
    ['guitr cords', 'guitar', 1],
    ['photosinthesis', 'plants', 1],
  ])('finds "%s" in session %s first, at seq %d', async (query, sessionId, seq) => {
    expect(await first(query)).toMatchObject({ session_id: sessionId, seq });
  });

  it('finds a session by its title, pointing at its first message', async () => {
    expect(await first('paperwork')).toMatchObject({ session_id: 'taxes', event_type: 'title', seq: 1, title: 'Paperwork', snippet: '<mark>Paperwork</mark>' });
  });

  it('names the session, message, title and time of each hit, and marks the words found', async () => {
    const hit = await first('tax deadline');
    expect(hit).toStrictEqual({
      session_id: 'taxes',
      seq: 5,
      event_type: 'assistant_message',
      title: 'Paperwork',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      snippet: 'The <mark>deadline</mark> for the return is the last day of April in most years.',
    });
  });

  it('marks the corrected word in the snippet of a typo', async () => {
    expect((await first('sourdugh'))?.snippet).toContain('<mark>sourdough</mark>');
  });

  it("keeps a message's HTML inert in its snippet: only the marks are tags", async () => {
    const hit = await first('onerror render');
    expect(hit?.snippet).toBe('<mark>Render</mark> this: &lt;img src=x <mark>onerror</mark>=alert(1)&gt; and &lt;/mark&gt; please');
    expect(hit?.snippet.replaceAll('<mark>', '').replaceAll('</mark>', '')).not.toMatch(/[<>]/);
  });

  it("searches only the owner's sessions; everyone's when the owner is null (operators)", async () => {
    const ana = await search.service.search({ query: 'sourdough', owner: 'ana', limit: 20, offset: 0 });
    const bob = await search.service.search({ query: 'sourdough', owner: 'bob', limit: 20, offset: 0 });
    const everyone = await search.service.search({ query: 'sourdough', owner: null, limit: 20, offset: 0 });
    expect(new Set(ana.hits.map((hit) => hit.session_id))).toStrictEqual(new Set(['baking']));
    expect(new Set(bob.hits.map((hit) => hit.session_id))).toStrictEqual(new Set(['bob-bread']));
    expect(new Set(everyone.hits.map((hit) => hit.session_id))).toStrictEqual(new Set(['baking', 'bob-bread']));
  });

  it("corrects typos only to words of the caller's own sessions", async () => {
    // "acetone" is in bob's session only: ana's misspelling finds nothing to correct to.
    expect((await search.service.search({ query: 'acetne', owner: 'ana', limit: 5, offset: 0 })).hits).toStrictEqual([]);
    expect(await first('acetne', 'bob')).toMatchObject({ session_id: 'bob-bread', seq: 1 });
  });

  it('finds by meaning what full text misses: with the built-in embedding, and not without it', async () => {
    const store = createSearchStore(database, await readSearchCapabilities(database));
    const withMeaning = new SearchService(store, builtinEmbedder, false, quiet);
    const wordsOnly = new SearchService(store, null, false, quiet);
    const query = { query: 'photosynthetic', owner: 'ana', limit: 5, offset: 0 };
    expect((await withMeaning.search(query)).hits[0]).toMatchObject({ session_id: 'plants', seq: 1, snippet: 'Explain photosynthesis in plants' });
    expect((await wordsOnly.search(query)).hits).toStrictEqual([]);
  });

  it('returns nothing for words no session holds', async () => {
    expect((await search.service.search({ query: 'zebra quantum', owner: 'ana', limit: 5, offset: 0 })).hits).toStrictEqual([]);
  });

  it('refuses a query with no word to look for', async () => {
    await expect(search.service.search({ query: '- "" OR', owner: 'ana', limit: 5, offset: 0 })).rejects.toMatchObject({ code: 'bad_request' });
  });
});

describe.each(databaseVariants)('search pages and the background index on $kind', (variant) => {
  let testDatabase: TestDatabase;
  let database: Database;
  let search: Search;

  beforeAll(async () => {
    testDatabase = await variant.create();
    database = testDatabase.database;
    search = await createSearch(database, builtinEmbedder, quiet);
  });
  afterAll(async () => {
    await testDatabase?.dispose();
  });

  it('pages through every hit once, in order, until next_cursor is null', async () => {
    const turns = Array.from({ length: 13 }, (_, index): [string, string] => [`question ${index} about lighthouses`, `answer ${index} about lighthouses`]);
    await seedCorpus(database, [{ id: 'lighthouses', user: 'cara', turns }]);
    const seen: number[] = [];
    const sizes: number[] = [];
    for (let offset = 0; ; offset += 10) {
      const page = await search.service.search({ query: 'lighthouses', owner: 'cara', limit: 10, offset });
      sizes.push(page.hits.length);
      seen.push(...page.hits.map((hit) => hit.seq));
      if (page.next_cursor === null) break;
      expect(decodeSearchCursor(page.next_cursor)).toBe(offset + 10);
    }
    expect(sizes).toStrictEqual([10, 10, 6]);
    expect(new Set(seen).size).toBe(26);
  });

  it('indexes messages stored after start, and forgets a deleted session everywhere', async () => {
    await seedCorpus(database, [corpus.find((session) => session.id === 'plants')!]);
    expect((await search.service.search({ query: 'photosinthesis', owner: 'ana', limit: 5, offset: 0 })).hits).toStrictEqual([]);
    await search.indexer.drain();
    expect((await search.service.search({ query: 'photosinthesis', owner: 'ana', limit: 5, offset: 0 })).hits[0]).toMatchObject({ session_id: 'plants' });
    const traces = async () =>
      (await database.query<{ words: number; vectors: number }>(
        `SELECT (SELECT count(*) FROM search_words WHERE session_id = 'plants')::int AS words,
                (SELECT count(*) FROM search_embeddings m JOIN session_events e ON e.id = m.event_id WHERE e.session_id = 'plants')::int AS vectors`,
      ))[0];
    expect(await traces()).toMatchObject({ vectors: 2 });
    expect((await traces())?.words).toBeGreaterThan(0);
    await database.query(`DELETE FROM sessions WHERE session_id = 'plants'`);
    expect(await traces()).toStrictEqual({ words: 0, vectors: 0 });
  });

  it('embeds every stored message again for a new embedding model, once', async () => {
    const other: TextEmbedder = { ...builtinEmbedder, model: 'another-model' };
    const switched = await createSearch(database, other, quiet);
    await switched.indexer.drain();
    const count = async (model: string) =>
      (await database.query<{ count: number }>(`SELECT count(*)::int AS count FROM search_embeddings WHERE model = $1`, [model]))[0]?.count;
    expect(await count('another-model')).toBe(await count(builtinEmbedder.model));
    expect(await count('another-model')).toBe(26);
  });

  it('queues user and assistant messages only, in the same write as the events', async () => {
    await createSessionStore(database).appendEvents([
      { session_id: 'lighthouses', event_type: 'tool_call', content: 'calculator', metadata: {}, seq: 900 },
      { session_id: 'lighthouses', event_type: 'user_message', content: 'one more lighthouse', metadata: {}, seq: 901 },
    ]);
    const queued = await database.query<{ event_type: string }>(
      `SELECT e.event_type FROM search_queue q JOIN session_events e ON e.id = q.event_id`,
    );
    expect(queued).toStrictEqual([{ event_type: 'user_message' }]);
  });
});
