import { sql } from 'kysely';
import type { Db } from '../db/open.js';
import type { DemoCandidate, DemoPlan } from '../model/demo-community.js';
import { storeError } from './store-errors.js';
import { withTransaction } from './transaction.js';

/** Rows per multi-row INSERT: far under both databases' bound-parameter limits. */
const DEMO_INSERT_CHUNK = 400;

/** Papers the demo may feature: each paper once, on the listing day it first appeared. */
export async function demoCandidates(db: Db): Promise<DemoCandidate[]> {
  try {
    const rows = await db.kysely
      .selectFrom('listing_entries as le')
      .innerJoin('papers as p', 'p.id', 'le.paper_id')
      .select(['le.paper_id', 'le.day', 'p.primary_category'])
      .where('le.first_appearance', '=', 1)
      .where('p.withdrawn', '=', 0)
      .orderBy('le.day')
      .orderBy('le.paper_id')
      .execute();
    return rows.map((r) => ({ paperId: r.paper_id, day: r.day, primaryCategory: r.primary_category }));
  } catch (err) {
    throw storeError('read demo candidates', err);
  }
}

/** True while the generated demo community is in the database (the site then says so). */
export async function demoLoaded(db: Db): Promise<boolean> {
  const r = await db.kysely.selectFrom('users').select('id').where('demo', '=', 1).limit(1).executeTakeFirst();
  return r !== undefined;
}

/**
 * Bring papers' counters back to what their rows say (upvotes = imported + votes, comments =
 * imported + visible comments), for papers whose votes or comments were written or deleted in bulk.
 */
async function recount(db: Db, paperIds: number[]): Promise<void> {
  for (let i = 0; i < paperIds.length; i += DEMO_INSERT_CHUNK) {
    const ids = paperIds.slice(i, i + DEMO_INSERT_CHUNK);
    await db.kysely
      .updateTable('papers')
      .set({
        upvotes: sql`imported_upvotes + (select count(*) from votes v where v.paper_id = papers.id)`,
        author_upvotes: sql`(select count(*) from votes v where v.paper_id = papers.id and v.by_author = 1)`,
        comment_count: sql`imported_comment_count + (select count(*) from comments c
          where c.paper_id = papers.id and c.deleted_at is null and c.hidden_at is null)`,
      })
      .where('id', 'in', ids)
      .execute();
  }
}

/**
 * Write a demo community (model/demo-community.ts) in one transaction: users and organisations
 * marked demo, featured entries with source 'demo', votes and comments, then exact counters.
 * Returns how many of each were written.
 */
export async function insertDemoCommunity(
  db: Db,
  plan: DemoPlan,
  bodyHtml: (markdown: string) => string,
): Promise<{ users: number; organisations: number; entries: number; votes: number; comments: number }> {
  try {
    return await withTransaction(db, async (tdb) => {
      const k = tdb.kysely;
      const userIds = new Map<string, number>();
      for (const u of plan.users) {
        const row = await k
          .insertInto('users')
          .values({
            username: u.username,
            email: u.email,
            fullname: u.fullname,
            password_hash: null,
            role: 'user',
            email_verified: 1,
            banned: 0,
            upvotes_public: 1,
            created_at: u.createdAt,
            demo: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        userIds.set(u.username, row.id);
      }
      const orgIds = new Map<string, number>();
      for (const o of plan.organisations) {
        const row = await k
          .insertInto('organizations')
          .values({
            name: o.name,
            fullname: o.fullname,
            avatar_url: null,
            created_at: plan.users[0].createdAt,
            demo: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        orgIds.set(o.name, row.id);
      }
      const entries = plan.entries.map((e) => ({
        paper_id: e.paperId,
        day: e.day,
        position: e.position,
        submitted_by: e.submittedBy,
        submitter_fullname: e.submitterFullname,
        submitted_at: e.submittedAt,
        source: 'demo',
        organization_id: e.organisation ? orgIds.get(e.organisation)! : null,
        created_at: e.submittedAt,
      }));
      for (let i = 0; i < entries.length; i += DEMO_INSERT_CHUNK)
        await k
          .insertInto('daily_entries')
          .values(entries.slice(i, i + DEMO_INSERT_CHUNK))
          .execute();
      // The paper's own organisation, so its card and /orgs/NAME show it; only papers that have none.
      for (const [name, id] of orgIds) {
        const papers = plan.entries.filter((e) => e.organisation === name).map((e) => e.paperId);
        for (let i = 0; i < papers.length; i += DEMO_INSERT_CHUNK)
          await k
            .updateTable('papers')
            .set({ organization_id: id })
            .where('id', 'in', papers.slice(i, i + DEMO_INSERT_CHUNK))
            .where('organization_id', 'is', null)
            .execute();
      }
      const votes = plan.votes.map((v) => ({
        user_id: userIds.get(v.username)!,
        paper_id: v.paperId,
        by_author: 0,
        created_at: v.at,
      }));
      for (let i = 0; i < votes.length; i += DEMO_INSERT_CHUNK)
        await k
          .insertInto('votes')
          .values(votes.slice(i, i + DEMO_INSERT_CHUNK))
          .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
          .execute();
      const commentIds: number[] = [];
      for (const c of plan.comments) {
        const row = await k
          .insertInto('comments')
          .values({
            paper_id: c.paperId,
            user_id: userIds.get(c.username)!,
            parent_id: c.replyTo === null ? null : commentIds[c.replyTo],
            body: c.body,
            body_html: bodyHtml(c.body),
            created_at: c.at,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        commentIds.push(row.id);
      }
      const touched = [...new Set([...plan.votes.map((v) => v.paperId), ...plan.comments.map((c) => c.paperId)])];
      await recount(tdb, touched);
      return {
        users: userIds.size,
        organisations: orgIds.size,
        entries: entries.length,
        votes: votes.length,
        comments: commentIds.length,
      };
    });
  } catch (err) {
    throw storeError('insert the demo community', err);
  }
}

/**
 * Take the demo community out: its featured entries, its users (their votes, comments and
 * submissions go with them: the foreign keys cascade), its organisations (papers credited to them
 * are credited to none), then exact counters. Real users, their votes and the papers stay; a
 * real reply under a demo comment goes with the thread it answered.
 */
export async function removeDemoCommunity(
  db: Db,
): Promise<{ users: number; organisations: number; entries: number; papers: number[] }> {
  try {
    return await withTransaction(db, async (tdb) => {
      const k = tdb.kysely;
      const demoUsers = k.selectFrom('users').select('id').where('demo', '=', 1);
      const demoOrgs = k.selectFrom('organizations').select('id').where('demo', '=', 1);
      const touched = new Set<number>();
      for (const r of await k.selectFrom('votes').select('paper_id').where('user_id', 'in', demoUsers).execute())
        touched.add(r.paper_id);
      for (const r of await k.selectFrom('comments').select('paper_id').where('user_id', 'in', demoUsers).execute())
        touched.add(r.paper_id);
      const entries = await k.deleteFrom('daily_entries').where('source', '=', 'demo').executeTakeFirst();
      await k.updateTable('papers').set({ organization_id: null }).where('organization_id', 'in', demoOrgs).execute();
      await k
        .updateTable('daily_entries')
        .set({ organization_id: null })
        .where('organization_id', 'in', demoOrgs)
        .execute();
      const users = await k.deleteFrom('users').where('demo', '=', 1).executeTakeFirst();
      const orgs = await k.deleteFrom('organizations').where('demo', '=', 1).executeTakeFirst();
      const papers = [...touched].sort((a, b) => a - b);
      await recount(tdb, papers);
      return {
        users: Number(users.numDeletedRows),
        organisations: Number(orgs.numDeletedRows),
        entries: Number(entries.numDeletedRows),
        papers,
      };
    });
  } catch (err) {
    throw storeError('remove the demo community', err);
  }
}
