import { sql } from 'kysely';
import type { Db } from '../db/open.js';

export interface SiteStats {
  papers: number;
  authors: number;
  organizations: number;
  dailyEntries: number;
  dailyDays: number;
  listingDays: number;
  upvotes: number;
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
    comments: await countIf('comments'),
    users: await countIf('users'),
    subscribers: await countIf('subscribers'),
  };
}
