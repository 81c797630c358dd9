import { createSessionStore } from '../../src/store/session-store.js';
import type { Database, NewEvent } from '../../src/store/types.js';

/** A session of the seeded corpus: its owner, title and turns (user, then assistant). */
export interface CorpusSession {
  id: string;
  user: string;
  title?: string;
  turns: Array<[user: string, assistant: string]>;
}

/** Conversations on distinct subjects for two users, each query's right answer known. */
export const corpus: CorpusSession[] = [
  {
    id: 'baking',
    user: 'ana',
    title: 'Weekend bread',
    turns: [
      ['How do I keep a sourdough starter alive?', 'Feed the starter flour and water every day and keep it somewhere warm.'],
      ['My loaf came out flat', 'A flat loaf usually means the dough was over-proofed; shorten the second rise.'],
    ],
  },
  {
    id: 'jogging',
    user: 'ana',
    title: 'Training plan',
    turns: [['I run five kilometres every morning before work', 'Add one longer run each week and rest on the day after it.']],
  },
  {
    id: 'plants',
    user: 'ana',
    turns: [['Explain photosynthesis in plants', 'Leaves turn light, water and carbon dioxide into sugar and oxygen.']],
  },
  {
    id: 'taxes',
    user: 'ana',
    title: 'Paperwork',
    turns: [['When is the tax return due?', 'The deadline for the return is the last day of April in most years.']],
  },
  {
    id: 'guitar',
    user: 'ana',
    turns: [['Which chords should a beginner learn on guitar?', 'Start with G, C, D and E minor: they cover hundreds of songs.']],
  },
  {
    id: 'markup',
    user: 'ana',
    turns: [['Render this: <img src=x onerror=alert(1)> and </mark> please', 'The onerror attribute would run script if this were HTML.']],
  },
  {
    id: 'bob-bread',
    user: 'bob',
    title: 'Sourdough secrets',
    turns: [['My sourdough starter smells of acetone', 'A hungry starter smells sharp; feed it more often.']],
  },
];

/** Stores the corpus as the server would: sessions, then their events with increasing seqs. */
export async function seedCorpus(database: Database, sessions: readonly CorpusSession[] = corpus): Promise<void> {
  const store = createSessionStore(database);
  for (const session of sessions) {
    await store.openSession(session.id, session.user);
    const events: NewEvent[] = [];
    session.turns.forEach(([user, assistant], index) => {
      events.push({ session_id: session.id, event_type: 'user_message', content: user, metadata: {}, seq: index * 10 + 1 });
      events.push({ session_id: session.id, event_type: 'assistant_message', content: assistant, metadata: { status: 'complete' }, seq: index * 10 + 5 });
    });
    await store.appendEvents(events);
    if (session.title !== undefined) await database.query(`UPDATE sessions SET title = $2 WHERE session_id = $1`, [session.id, session.title]);
  }
}
