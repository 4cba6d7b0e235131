import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hfDailySource } from '../../src/ingest/hf-daily/source.js';
import { runImport } from '../../src/ingest/import-runner.js';
import { TEST_DIALECTS } from '../helpers/db.js';
import { sharedPath } from '../helpers/shared.js';
import { createTestSite, type TestSite } from '../helpers/site.js';

/**
 * A client of huggingface.co's /api/daily_papers must see, from paperboy, what Hugging Face
 * returned: real recorded days are imported through the hf-daily importer, then the API's answer
 * for that date is compared with the recorded payload.
 */
const ARCHIVE = sharedPath('hf-daily', 'hf-daily-2024-05-27_2025-12-31.tar.zst');
// A recent day (organisations, GitHub repos, submitters) and a mid-2024 one (no organisations yet).
const DAYS = ['2025-10-15', '2024-06-14'];
let tmp: string;

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

beforeAll(() => {
  // The payloads belong to Hugging Face: unpacked to a temporary folder, never into the project.
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-site-hf-'));
  execFileSync('tar', ['--zstd', '-xf', ARCHIVE, '-C', tmp, ...DAYS.map((d) => `hf-daily/${d}.json`)]);
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe.each(TEST_DIALECTS)('Hugging Face compatibility on %s', (dialect) => {
  let site: TestSite;
  beforeEach(async () => {
    site = await createTestSite(dialect, new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(async () => {
    await site.close();
  });

  it.each(DAYS)(
    'returns the recorded day %s: same papers, order, upvotes, authors, organisation and GitHub repo',
    async (day) => {
      const file = path.join(tmp, 'hf-daily', `${day}.json`);
      const summary = await runImport(site.db, hfDailySource, [file]);
      expect(summary.rejected).toBe(0);
      const recorded = JSON.parse(fs.readFileSync(file, 'utf8')) as any[];
      expect(recorded.length).toBeGreaterThan(5);

      const r = await site.server.inject({ url: `/api/daily_papers?date=${day}&limit=100` });
      expect(r.statusCode).toBe(200);
      const got = r.json() as any[];
      expect(got.map((i) => i.paper.id)).toEqual(recorded.map((i) => i.paper.id));
      expect(got.map((i) => i.paper.upvotes)).toEqual(recorded.map((i) => i.paper.upvotes));
      expect(got.map((i) => i.paper.authors.map((a: any) => a.name))).toEqual(
        recorded.map((i) => i.paper.authors.map((a: any) => squash(a.name))),
      );
      expect(got.map((i) => i.paper.organization?.name ?? null)).toEqual(
        recorded.map((i) => i.paper.organization?.name ?? i.organization?.name ?? null),
      );
      expect(got.map((i) => i.organization?.fullname ?? null)).toEqual(
        recorded.map((i) => i.organization?.fullname ?? null),
      );
      // Where Hugging Face names a repository it is the same; where it names none, paperboy may know one
      // from the abstract itself (the importer extracts links), never an unrelated one.
      recorded.forEach((rec, i) => {
        const ours = got[i].paper.githubRepo ?? null;
        if (rec.paper.githubRepo) expect(ours, rec.paper.id).toBe(rec.paper.githubRepo);
        else if (ours)
          expect(rec.paper.summary.toLowerCase(), rec.paper.id).toContain(ours.replace('https://', '').toLowerCase());
      });
      expect(got.filter((i) => i.paper.githubRepo).length).toBeGreaterThanOrEqual(
        recorded.filter((i) => i.paper.githubRepo).length,
      );
      expect(got.map((i) => squash(i.title))).toEqual(recorded.map((i) => squash(i.title)));
      expect(got.map((i) => i.numComments)).toEqual(recorded.map((i) => i.numComments));
      expect(got.map((i) => i.paper.publishedAt)).toEqual(recorded.map((i) => i.paper.publishedAt));
      expect(got.map((i) => i.submittedBy?.name ?? null)).toEqual(recorded.map((i) => i.submittedBy?.name ?? null));
      // Every field name the recorded items carry at the top level that paperboy knows is there too.
      for (const key of ['paper', 'publishedAt', 'title', 'summary', 'numComments', 'isAuthorParticipating']) {
        expect(got[0], key).toHaveProperty(key);
      }

      // The daily page shows the same list, most upvoted first.
      const page = await site.server.inject({ url: `/papers/date/${day}` });
      const titles = [...page.body.matchAll(/<h3 class="card-title"><a href="\/papers\/([^"]+)">/g)].map((m) => m[1]);
      expect(titles).toEqual(recorded.slice(0, 30).map((i) => i.paper.id));
    },
  );
});
