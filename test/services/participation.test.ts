import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/app-error.js';
import type { Actor } from '../../src/model/actor.js';
import { claimAuthorship, decide } from '../../src/services/claims.js';
import {
  commentHistory,
  commentThread,
  deleteComment,
  editMyComment,
  hideComment,
  postComment,
} from '../../src/services/comments.js';
import { banUser, flag, publicLog, queue } from '../../src/services/moderation.js';
import { addMember, createOrganization, linkPaper, organizationPage } from '../../src/services/organizations.js';
import { profile } from '../../src/services/profiles.js';
import { readingList, readingListBibtex, setSaved } from '../../src/services/reading-list.js';
import { submitPaper } from '../../src/services/submissions.js';
import { trendingWhy } from '../../src/services/trending-why.js';
import { setVote } from '../../src/services/votes.js';
import { findPaperById } from '../../src/store/community-paper-store.js';
import { countVotes } from '../../src/store/vote-store.js';
import type { TestApp } from '../helpers/app.js';
import { makePapers, makeUser, testCtx } from '../helpers/community.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe.each(TEST_DIALECTS)('taking part on %s', (dialect) => {
  let db: TestDb;
  let ctx: TestApp;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    ctx = testCtx(db);
  });
  afterEach(async () => {
    await db?.drop();
  });

  it('keeps one vote per user and exact counts under concurrent voting', async () => {
    const [paperId] = await makePapers(db, ['2601.00001']);
    const users: Actor[] = [];
    for (let i = 0; i < 12; i++) users.push(await makeUser(ctx, `voter${i}`));
    // Each user votes three times at once, and half of them also take it back at once.
    await Promise.all(
      users.flatMap((u) => [
        setVote(ctx, u, paperId, true),
        setVote(ctx, u, paperId, true),
        setVote(ctx, u, paperId, true),
      ]),
    );
    let p = await findPaperById(db, paperId);
    expect(p!.upvotes).toBe(12);
    await Promise.all(
      users.slice(0, 6).flatMap((u) => [setVote(ctx, u, paperId, false), setVote(ctx, u, paperId, false)]),
    );
    p = await findPaperById(db, paperId);
    expect(p!.upvotes).toBe(6);
    expect((await countVotes(db, paperId)).total).toBe(6);
    expect(await refusal(setVote(ctx, { kind: 'anonymous' }, paperId, true))).toMatchObject({
      code: 'unauthenticated',
    });
    expect(await refusal(setVote(ctx, users[0], 999999, true))).toMatchObject({ code: 'not_found' });
  });

  it('counts a claimed author’s vote apart and shows it in the trending breakdown', async () => {
    const [paperId] = await makePapers(db, ['2601.00002'], { githubRepo: 'https://github.com/a/b' });
    const author = await makeUser(ctx, 'author1');
    const admin = await makeUser(ctx, 'root', 'admin');
    const fan = await makeUser(ctx, 'fan');
    await setVote(ctx, author, paperId, true);
    const claimId = await claimAuthorship(ctx, author, paperId, 1);
    expect(await refusal(decide(ctx, fan, claimId, true))).toMatchObject({ code: 'forbidden' });
    await decide(ctx, admin, claimId, true);
    await setVote(ctx, fan, paperId, true);
    const p = (await findPaperById(db, paperId))!;
    expect([p.upvotes, p.author_upvotes]).toEqual([2, 1]);
    const why = await trendingWhy(ctx, p);
    expect(why.breakdown.votes).toBe(1.5);
    expect(why.breakdown.code).toBe(1);
    expect((await profile(ctx, fan, 'author1')).claimed.map((c) => c.arxiv_id)).toEqual(['2601.00002']);
    const other = await makeUser(ctx, 'other');
    expect(await refusal(claimAuthorship(ctx, other, paperId, 1))).toMatchObject({ code: 'conflict' });
    expect(await refusal(claimAuthorship(ctx, other, paperId, 5))).toMatchObject({ code: 'invalid' });
  });

  it('applies submission rules: id forms, verified, new accounts, age window, daily limit, duplicates', async () => {
    ctx = testCtx(db, { SUBMIT_DAILY_LIMIT: '2', NEW_ACCOUNT_HOURS: '24' });
    await makePapers(db, ['2601.00010', '2601.00011', '2601.00012']);
    await makePapers(db, ['2601.00013'], { publishedAt: new Date(Date.now() - 20 * 86_400_000).toISOString() });
    const fresh = await makeUser(ctx, 'fresh', 'user', { createdHoursAgo: 1 });
    const user = await makeUser(ctx, 'regular', 'user', { createdHoursAgo: 48 });
    const curator = await makeUser(ctx, 'cur', 'curator', { createdHoursAgo: 1 });
    expect(await refusal(submitPaper(ctx, fresh, '2601.00010'))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(submitPaper(ctx, user, 'not-an-id'))).toMatchObject({ code: 'invalid' });
    expect(await refusal(submitPaper(ctx, user, '2601.99999'))).toMatchObject({ code: 'not_found' });
    expect(await refusal(submitPaper(ctx, user, '2601.00013'))).toMatchObject({ code: 'forbidden' });
    const ok = await submitPaper(ctx, user, 'https://arxiv.org/abs/2601.00010v2');
    expect(ok).toMatchObject({ arxivId: '2601.00010', link: '/papers/2601.00010' });
    const dup = await refusal(submitPaper(ctx, curator, 'arXiv:2601.00010'));
    expect(dup).toMatchObject({ code: 'conflict', extra: { link: '/papers/2601.00010' } });
    await submitPaper(ctx, user, '2601.00011');
    expect(await refusal(submitPaper(ctx, user, '2601.00012'))).toMatchObject({ code: 'forbidden' });
    await submitPaper(ctx, curator, '2601.00012'); // curators: no daily limit, no new-account wait
    const entries = await db.kysely
      .selectFrom('daily_entries')
      .select(['submitted_by', 'source'])
      .orderBy('position')
      .execute();
    expect(entries).toEqual([
      { submitted_by: 'regular', source: 'community' },
      { submitted_by: 'regular', source: 'community' },
      { submitted_by: 'cur', source: 'community' },
    ]);
    // Concurrent duplicates: exactly one wins.
    await makePapers(db, ['2601.00020']);
    const racers = [
      await makeUser(ctx, 'r1', 'curator'),
      await makeUser(ctx, 'r2', 'curator'),
      await makeUser(ctx, 'r3', 'curator'),
    ];
    const results = await Promise.allSettled(racers.map((r) => submitPaper(ctx, r, '2601.00020')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('threads comments, sanitises them, keeps history and an exact count; moderators hide with a logged reason', async () => {
    const [paperId] = await makePapers(db, ['2601.00030']);
    const ann = await makeUser(ctx, 'ann', 'user', { createdHoursAgo: 48 });
    const ben = await makeUser(ctx, 'ben', 'user', { createdHoursAgo: 48 });
    const mod = await makeUser(ctx, 'mod', 'curator');
    const root = await postComment(ctx, ann, {
      paperId,
      body: 'Nice **work** <script>alert(1)</script> [x](javascript:alert(1))',
    });
    expect(root.html).toBe('<p>Nice <strong>work</strong>  <a rel="nofollow ugc noopener" target="_blank">x</a></p>');
    const reply = await postComment(ctx, ben, { paperId, parentId: root.id, body: 'Thanks' });
    const spam = await postComment(ctx, ben, { paperId, body: 'buy now' });
    expect((await findPaperById(db, paperId))!.comment_count).toBe(3);
    await editMyComment(ctx, ann, root.id, 'Nice work, edited');
    expect(await refusal(editMyComment(ctx, ben, root.id, 'hijack'))).toMatchObject({ code: 'forbidden' });
    expect((await commentHistory(ctx, ann, root.id)).revisions.map((r) => r.body)).toEqual([
      'Nice **work** <script>alert(1)</script> [x](javascript:alert(1))',
    ]);
    expect(await flag(ctx, ann, { targetType: 'comment', targetId: spam.id, reason: 'spam' })).toEqual({
      recorded: true,
    });
    expect(await flag(ctx, ann, { targetType: 'comment', targetId: spam.id, reason: 'spam' })).toEqual({
      recorded: false,
    });
    expect(await refusal(queue(ctx, ann))).toMatchObject({ code: 'forbidden' });
    expect((await queue(ctx, mod)).map((q) => [q.targetId, q.flags])).toEqual([[spam.id, 1]]);
    expect(await refusal(hideComment(ctx, ann, spam.id, 'spam'))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(hideComment(ctx, mod, spam.id, 'because'))).toMatchObject({ code: 'invalid' });
    await hideComment(ctx, mod, spam.id, 'spam');
    await hideComment(ctx, mod, spam.id, 'spam'); // twice: the count moves once
    expect((await findPaperById(db, paperId))!.comment_count).toBe(2);
    expect(await queue(ctx, mod)).toEqual([]);
    const log = await publicLog(ctx);
    expect(log[0]).toMatchObject({ actor: 'mod', action: 'hide-comment', targetId: spam.id, reason: 'spam' });
    await deleteComment(ctx, ann, root.id);
    expect((await findPaperById(db, paperId))!.comment_count).toBe(1);
    const thread = await commentThread(ctx, ben, paperId);
    expect(thread).toHaveLength(1); // the hidden spam vanishes; the deleted root stays as a placeholder
    expect(thread[0]).toMatchObject({ state: 'deleted', html: null, author: null });
    expect(thread[0].children.map((c) => c.id)).toEqual([reply.id]);
    expect((await commentThread(ctx, mod, paperId)).map((n) => n.state)).toEqual(['deleted', 'hidden']);
  });

  it('bans: sessions end, comments and submissions hidden, votes withdrawn, logged', async () => {
    const [paperId] = await makePapers(db, ['2601.00040']);
    const admin = await makeUser(ctx, 'boss', 'admin');
    const troll = await makeUser(ctx, 'troll', 'user', { createdHoursAgo: 48 });
    await setVote(ctx, troll, paperId, true);
    await postComment(ctx, troll, { paperId, body: 'rude' });
    await submitPaper(ctx, troll, '2601.00040');
    const curator = await makeUser(ctx, 'cur2', 'curator');
    expect(await refusal(banUser(ctx, curator, 'troll', 'abuse'))).toMatchObject({ code: 'forbidden' });
    await banUser(ctx, admin, 'troll', 'abuse');
    const p = (await findPaperById(db, paperId))!;
    expect([p.upvotes, p.comment_count]).toEqual([0, 0]);
    expect(await db.kysely.selectFrom('daily_entries').selectAll().execute()).toEqual([]);
    expect((await publicLog(ctx))[0]).toMatchObject({ action: 'ban-user', actor: 'boss', reason: 'abuse' });
  });

  it('organisations: members with roles link papers; others may not', async () => {
    const [paperId] = await makePapers(db, ['2601.00050']);
    const curator = await makeUser(ctx, 'orgcur', 'curator');
    const member = await makeUser(ctx, 'member1');
    const outsider = await makeUser(ctx, 'outsider');
    await createOrganization(ctx, curator, { name: 'deepthought', fullname: 'Deep Thought Labs' });
    expect(await refusal(createOrganization(ctx, member, { name: 'x-org' }))).toMatchObject({ code: 'forbidden' });
    await addMember(ctx, curator, 'deepthought', 'member1', 'member');
    expect(await refusal(addMember(ctx, member, 'deepthought', 'outsider', 'member'))).toMatchObject({
      code: 'forbidden',
    });
    expect(await refusal(linkPaper(ctx, outsider, 'deepthought', paperId))).toMatchObject({ code: 'forbidden' });
    await linkPaper(ctx, member, 'deepthought', paperId);
    const page = await organizationPage(ctx, 'deepthought');
    expect(page.members.map((m) => [m.username, m.role])).toEqual([
      ['orgcur', 'admin'],
      ['member1', 'member'],
    ]);
    expect((await findPaperById(db, paperId))!.organization_id).toBe(page.org.id);
  });

  it('keeps a reading list, exported as JSON and BibTeX', async () => {
    const [a, b] = await makePapers(db, ['2601.00060', '2601.00061']);
    const reader = await makeUser(ctx, 'reader');
    await setSaved(ctx, reader, a, true);
    await setSaved(ctx, reader, a, true);
    ctx.advance(1000);
    await setSaved(ctx, reader, b, true);
    expect((await readingList(ctx, reader)).map((i) => i.arxivId)).toEqual(['2601.00061', '2601.00060']);
    await setSaved(ctx, reader, b, false);
    const bib = await readingListBibtex(ctx, reader);
    expect(bib).toContain('eprint={2601.00060}');
    expect(bib).not.toContain('2601.00061');
  });

  it('treats SQL metacharacters in every text field as plain text', async () => {
    const evil = `x'); DROP TABLE users; --`;
    const [paperId] = await makePapers(db, ['2601.00070'], { title: evil });
    const u = await makeUser(ctx, 'quote_user');
    const c = await postComment(ctx, u, { paperId, body: `${evil} " \\ %_ ;` });
    expect(c.html).toContain('DROP TABLE users; --');
    await createOrganization(ctx, await makeUser(ctx, 'c9', 'curator'), { name: 'org-x', fullname: evil });
    expect((await organizationPage(ctx, 'org-x')).org.fullname).toBe(evil);
    expect(await refusal(submitPaper(ctx, u, evil))).toMatchObject({ code: 'invalid' });
    expect((await findPaperById(db, paperId))!.title).toBe(evil);
    expect((await db.kysely.selectFrom('users').select('id').execute()).length).toBe(2);
  });
});
