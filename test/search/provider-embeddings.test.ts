import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { createProviderEmbedder } from '../../src/llm/create-provider-embedder.js';
import { chooseEmbedder } from '../../src/search/choose-embedder.js';
import { createSearch } from '../../src/search/create-search.js';
import type { Database } from '../../src/store/types.js';
import { startFakeEmbeddingServer, type FakeEmbeddingServer } from '../fakes/fake-embedding-server.js';
import { eventually } from '../support/eventually.js';
import { databaseVariants, type TestDatabase } from '../store/databases.js';
import { seedCorpus } from './search-corpus.js';

const settingsFor = (server: FakeEmbeddingServer) =>
  loadSettings({ GEMINI_API_KEY: 'gemini-test-key', GEMINI_BASE_URL: server.geminiBaseUrl, OPENAI_API_KEY: 'openai-test-key', OPENAI_BASE_URL: server.openAiBaseUrl });

/** The same messages, one session per test so that each starts with its own queue. */
const plants = (id: string) => ({ id, user: 'ana', turns: [['Explain photosynthesis in plants', 'Leaves turn light into sugar.']] as Array<[string, string]> });

describe('embeddings from the providers, through their real clients', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let server: FakeEmbeddingServer | undefined;
  const warnings: string[] = [];
  const logger = { warn: (_fields: object, message: string) => void warnings.push(message) };

  beforeAll(async () => {
    testDatabase = await databaseVariants[0]!.create();
    database = testDatabase.database;
  });
  afterEach(async () => {
    await server?.stop();
    await database.query('TRUNCATE sessions CASCADE');
    warnings.length = 0;
  });
  afterAll(async () => {
    await testDatabase?.dispose();
  });

  const vectorsOf = (model: string) =>
    database.query<{ dimensions: number }>(`SELECT array_length(embedding, 1) AS dimensions FROM search_embeddings WHERE model = $1`, [model]);

  it('chooses the embedding from SEARCH_EMBEDDINGS, following the model provider on auto', () => {
    expect(chooseEmbedder(loadSettings({}))?.kind).toBe('builtin');
    expect(chooseEmbedder(loadSettings({ GEMINI_API_KEY: 'key' }))?.kind).toBe('gemini');
    expect(chooseEmbedder(loadSettings({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }))?.kind).toBe('openai');
    expect(chooseEmbedder(loadSettings({ GEMINI_API_KEY: 'key', SEARCH_EMBEDDINGS: 'builtin' }))?.kind).toBe('builtin');
    expect(chooseEmbedder(loadSettings({ SEARCH_EMBEDDINGS: 'off' }))).toBeNull();
    expect(() => loadSettings({ SEARCH_EMBEDDINGS: 'pgvector' })).toThrow(/SEARCH_EMBEDDINGS="pgvector": must be auto, builtin, gemini, openai or off/);
  });

  it("stores Gemini's vectors (cut to 768 dimensions) and embeds the query as a query", async () => {
    server = await startFakeEmbeddingServer();
    await seedCorpus(database, [plants('gemini-plants')]);
    const embedder = createProviderEmbedder(settingsFor(server), 'gemini');
    const search = await createSearch(database, embedder, logger);
    await search.indexer.drain();

    expect(embedder.model).toBe('gemini:gemini-embedding-001:768');
    expect(await vectorsOf(embedder.model)).toStrictEqual([{ dimensions: 768 }, { dimensions: 768 }]);
    const batch = server.requests[0]!;
    expect(batch.url).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(batch.headers['x-goog-api-key']).toBe('gemini-test-key');
    expect(batch.body).toMatchObject({ requests: [{ taskType: 'RETRIEVAL_DOCUMENT', outputDimensionality: 768 }, { taskType: 'RETRIEVAL_DOCUMENT' }] });

    const page = await search.service.search({ query: 'photosynthetic', owner: 'ana', limit: 5, offset: 0 });
    expect(page.hits[0]).toMatchObject({ session_id: 'gemini-plants', seq: 1 });
    expect(server.requests.at(-1)).toMatchObject({
      url: '/v1beta/models/gemini-embedding-001:embedContent',
      body: { taskType: 'RETRIEVAL_QUERY', content: { parts: [{ text: 'photosynthetic' }] } },
    });
  });

  it("stores an OpenAI-compatible server's vectors from /v1/embeddings", async () => {
    server = await startFakeEmbeddingServer();
    await seedCorpus(database, [plants('openai-plants')]);
    const embedder = createProviderEmbedder({ ...settingsFor(server), OPENAI_EMBEDDING_MODEL: 'nomic-embed-text' }, 'openai');
    const search = await createSearch(database, embedder, logger);
    await search.indexer.drain();

    expect(await vectorsOf('openai:nomic-embed-text')).toStrictEqual([{ dimensions: 512 }, { dimensions: 512 }]);
    expect(server.requests[0]).toMatchObject({
      url: '/v1/embeddings',
      headers: { authorization: 'Bearer openai-test-key' },
      body: { model: 'nomic-embed-text', input: ['Explain photosynthesis in plants', 'Leaves turn light into sugar.'] },
    });
    expect((await search.service.search({ query: 'photosynthetic', owner: 'ana', limit: 5, offset: 0 })).hits[0]).toMatchObject({ session_id: 'openai-plants' });
  });

  it('retries a batch the provider could not take (503) until it is stored', async () => {
    server = await startFakeEmbeddingServer([503, 503]);
    await seedCorpus(database, [plants('retried')]);
    const embedder = createProviderEmbedder(settingsFor(server), 'openai');
    const search = await createSearch(database, embedder, logger, { idleMs: 20, backoffMs: 20 });
    search.indexer.start();
    try {
      await eventually(async () => (await vectorsOf(embedder.model)).length === 2);
    } finally {
      await search.indexer.stop();
    }
    expect(server.requests.filter((request) => request.url === '/v1/embeddings')).toHaveLength(3);
    expect(warnings).toStrictEqual(['embedding failed; retrying', 'embedding failed; retrying']);
  });

  it('stores a message the provider refuses for good (400) without its vector: it stays searchable by its words', async () => {
    server = await startFakeEmbeddingServer([400, 0]);
    await seedCorpus(database, [plants('refused')]);
    const embedder = createProviderEmbedder(settingsFor(server), 'openai');
    const search = await createSearch(database, embedder, logger);
    await search.indexer.drain();

    expect(await vectorsOf(embedder.model)).toStrictEqual([]);
    expect(await database.query(`SELECT * FROM search_queue`)).toStrictEqual([]);
    // The batch of two, then each message alone.
    expect(server.requests).toHaveLength(3);
    expect(warnings).toStrictEqual(Array(2).fill('a message could not be embedded; it stays searchable by its words'));
    // The query cannot be embedded either: full text and typos still answer.
    expect((await search.service.search({ query: 'photosinthesis', owner: 'ana', limit: 5, offset: 0 })).hits[0]).toMatchObject({ session_id: 'refused' });
  });
});
