import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addReaderSignal,
  readerPaperActions,
  readerPaperActionsOf,
  readerSignals,
  readerSignalsOf,
} from '../../src/store/reader-signal-store.js';
import { savePaper } from '../../src/store/saved-store.js';
import { addVote } from '../../src/store/vote-store.js';
import { makePapers, makeUser, testCtx } from '../helpers/community.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

// A digest reads the signals of a page of readers at once; each reader's rows must be exactly what
// the one-reader queries give (the same papers, kinds, order and limit), and nobody else's.
describe.each(TEST_DIALECTS)('reader signals of many readers on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await db.drop();
  });

  it('gives each reader the rows the one-reader queries give', async () => {
    const app = testCtx(db);
    const users = [await makeUser(app, 'ada'), await makeUser(app, 'bob'), await makeUser(app, 'carol')];
    const ids = await makePapers(
      db,
      Array.from({ length: 8 }, (_, i) => `2606.0010${i}`),
    );
    const at = (m: number) => new Date(Date.UTC(2026, 5, 1, 0, m)).toISOString();
    const [ada, bob, carol] = users.map((u) => (u.kind === 'user' ? u.id : 0));
    for (const [i, p] of ids.entries()) {
      await addVote(db, { userId: ada, paperId: p, byAuthor: false, at: at(i) });
      if (i % 2 === 0) await savePaper(db, ada, p, at(20 + i));
      if (i < 3) await addVote(db, { userId: bob, paperId: p, byAuthor: false, at: at(40 - i) });
    }
    await addReaderSignal(db, ada, 'follow_author', 'grace hopper', 'Grace Hopper', at(50));
    await addReaderSignal(db, ada, 'seed', String(ids[1]), 'Title', at(51));
    await addReaderSignal(db, bob, 'mute_topic', 'blockchain', 'blockchain', at(52));

    const limit = 6;
    const actions = await readerPaperActionsOf(db, [ada, bob, carol], limit);
    const signals = await readerSignalsOf(db, [ada, bob, carol]);
    for (const id of [ada, bob]) {
      expect(actions.get(id)).toEqual(await readerPaperActions(db, id, limit));
      expect(signals.get(id)).toEqual(await readerSignals(db, id));
    }
    expect(actions.get(ada)).toHaveLength(limit);
    expect(actions.get(ada)![0]).toEqual({ paper_id: ids[6], kind: 'save', at: at(26) });
    expect(actions.get(bob)!.map((a) => a.paper_id)).toEqual([ids[0], ids[1], ids[2]]);
    expect(actions.has(carol)).toBe(false);
    expect(signals.has(carol)).toBe(false);
    expect(signals.get(bob)!.map((s) => s.value)).toEqual(['blockchain']);
    expect((await readerPaperActionsOf(db, [], limit)).size).toBe(0);
  });
});
