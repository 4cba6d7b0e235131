import { sql } from 'kysely';
import type { Db } from '../db/open.js';

interface SiteStats {
  papers: number;
  authors: number;
  organizations: number;
  dailyEntries: number;
  dailyDays: number;
  listingDays: number;
  upvotes: number;
  /** Votes cast on this site (upvotes also count imported ones). */
  votes: number;
  comments: number;
  users: number;
  subscribers: number;
}

async function tableExists(db: Db, table: string): Promise<boolean> {
  const q =
    db.dialect === 'sqlite'
      ? sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = ${table}`
      : sql<{
          n: number;
        }>`select count(*) as n from information_schema.tables where table_schema = current_schema() and table_name = ${table}`;
  const r = await q.execute(db.kysely);
  return Number(r.rows[0]?.n ?? 0) > 0;
}

async function scalar(db: Db, query: ReturnType<typeof sql<{ n: number | null }>>): Promise<number> {
  const r = await query.execute(db.kysely);
  return Number(r.rows[0]?.n ?? 0);
}

/** What the site holds; features that have not landed (no table yet) count as zero. */
export async function siteStats(db: Db): Promise<SiteStats> {
  const countIf = async (table: string) =>
    (await tableExists(db, table)) ? scalar(db, sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`) : 0;
  return {
    papers: await scalar(db, sql`select count(*) as n from papers`),
    authors: await scalar(db, sql`select count(distinct name) as n from paper_authors`),
    organizations: await scalar(db, sql`select count(*) as n from organizations`),
    dailyEntries: await scalar(db, sql`select count(*) as n from daily_entries`),
    dailyDays: await scalar(db, sql`select count(distinct day) as n from daily_entries`),
    listingDays: await scalar(db, sql`select count(distinct day) as n from listing_entries`),
    upvotes: await scalar(db, sql`select coalesce(sum(upvotes), 0) as n from papers`),
    votes: await countIf('votes'),
    comments: await countIf('comments'),
    users: await countIf('users'),
    subscribers: await countIf('subscribers'),
  };
}

/**
 * Papers whose stored counters disagree with their rows: upvotes with imported upvotes plus votes,
 * author upvotes with author votes, comment_count with imported comments plus visible comments.
 * Zero after any load means no write was half-applied (bench:mixed, bench:votes check it).
 */
export async function countDrift(db: Db): Promise<number> {
  return scalar(
    db,
    sql<{ n: number }>`select count(*) as n from papers p
      left join (select paper_id, count(*) as v, sum(by_author) as a from votes group by paper_id) v on v.paper_id = p.id
      left join (select paper_id, count(*) as c from comments
                 where deleted_at is null and hidden_at is null group by paper_id) c on c.paper_id = p.id
      where p.upvotes <> p.imported_upvotes + coalesce(v.v, 0)
         or p.author_upvotes <> coalesce(v.a, 0)
         or p.comment_count <> p.imported_comment_count + coalesce(c.c, 0)`,
  );
}
