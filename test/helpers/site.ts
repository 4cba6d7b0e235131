import type { FastifyInstance } from 'fastify';
import type { App } from '../../src/app.js';
import type { Dialect } from '../../src/db/dialect.js';
import { buildServer } from '../../src/http/server.js';
import { emptyRecord, type PaperRecord } from '../../src/model/paper.js';
import { upsertDailyEntries, upsertListingEntries } from '../../src/store/daily-store.js';
import { upsertOrganizations } from '../../src/store/organization-store.js';
import { upsertPapers } from '../../src/store/paper-store.js';
import { testApp } from './app.js';
import { createTestDb, type TestDb } from './db.js';

/** A site over a fresh test database: the app, and a server with a fixed clock. */
export interface TestSite {
  db: TestDb;
  app: App;
  server: FastifyInstance;
  close(): Promise<void>;
}

const TEST_NOW = new Date('2025-06-12T12:00:00.000Z');

export async function createTestSite(dialect: Dialect, now: Date = TEST_NOW): Promise<TestSite> {
  const db = await createTestDb(dialect);
  const app = testApp(db, { BASE_URL: 'http://paperboy.test' }, { now });
  // Stale pages refresh on the next request (the site waits a second, or 20 renders, between refreshes).
  const server = await buildServer(app, { cache: { refreshMinMs: 0, refreshRenderMultiple: 0 } });
  return {
    db,
    app,
    server,
    async close() {
      await server.close();
      await db.drop();
    },
  };
}

export function paper(id: string, over: Partial<PaperRecord> = {}): PaperRecord {
  return {
    ...emptyRecord(id),
    title: `Paper ${id}`,
    abstract: `The abstract of paper ${id}.`,
    authors: ['Ada Lovelace', 'Alan Turing'],
    categories: ['cs.CL', 'cs.AI'],
    publishedAt: '2025-06-10T00:00:00.000Z',
    ...over,
  };
}

/** Insert papers and list them on an arXiv listing day; returns their ids in order. */
export async function listPapers(db: TestDb, day: string, records: PaperRecord[]): Promise<number[]> {
  const { ids } = await upsertPapers(db, records);
  await upsertListingEntries(
    db,
    ids.map((paperId, i) => ({ paperId, day, primaryCategory: records[i].categories[0] ?? null })),
  );
  return ids;
}

/** Feature papers on a Daily Papers day, in the order given. */
export async function featurePapers(
  db: TestDb,
  day: string,
  ids: number[],
  opts: { submitter?: string; org?: { name: string; fullname: string } } = {},
): Promise<void> {
  const orgIds = opts.org
    ? await upsertOrganizations(db, [{ name: opts.org.name, fullname: opts.org.fullname }])
    : new Map<string, number>();
  await upsertDailyEntries(
    db,
    ids.map((paperId, position) => ({
      paperId,
      day,
      position,
      submittedBy: opts.submitter ?? null,
      submitterFullname: opts.submitter ? `${opts.submitter} (full)` : null,
      submittedAt: `${day}T08:00:00.000Z`,
      source: 'test',
      organizationId: opts.org ? orgIds.get(opts.org.name)! : null,
    })),
  );
}

/**
 * A page as it is after a change has reached the cache: the first request serves the stale copy and
 * starts a background refresh; the next one, once that render is done, gets the new page.
 */
export async function getRefreshed(site: TestSite, url: string) {
  await site.server.inject({ url });
  for (let i = 0; i < 20; i++) await new Promise((res) => setTimeout(res, 5));
  return site.server.inject({ url });
}
