import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hfDailySource } from '../../src/ingest/hf-daily/source.js';
import { runImport } from '../../src/ingest/import-runner.js';
import { TEST_DIALECTS } from '../helpers/db.js';
import { paperInfo, parseDatetime } from '../helpers/hf-client.js';
import { SHARED_DATA, sharedDataMissing } from '../helpers/shared.js';
import { createTestSite, type TestSite } from '../helpers/site.js';

/**
 * A client of huggingface.co's /api/daily_papers must see, from paperboy, what Hugging Face
 * returned: real recorded days are imported through the hf-daily importer, then the API's answer
 * for that date is compared with the recorded payload. The payloads are Hugging Face's (tests only,
 * never committed): without ../shared/data this file is skipped and says why; the conformance test
 * (hf-client-conformance.test.ts) runs anywhere from synthetic days.
 */
const ARCHIVE_PARTS = ['hf-daily', 'hf-daily-2024-05-27_2025-12-31.tar.zst'];
const MISSING = sharedDataMissing(...ARCHIVE_PARTS);
const ARCHIVE = path.join(SHARED_DATA, ...ARCHIVE_PARTS);
// A recent day (organisations, GitHub repos, submitters), a mid-2024 one (no organisations yet) and
// the day whose githubRepo ends in a slash (https://github.com/manycore-research/SpatialLM/).
const DAYS = ['2025-10-15', '2024-06-14', '2025-06-10'];
let tmp: string;

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

beforeAll(() => {
  if (MISSING) return;
  // The payloads belong to Hugging Face: unpacked to a temporary folder, never into the project.
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-site-hf-'));
  execFileSync('tar', ['--zstd', '-xf', ARCHIVE, '-C', tmp, ...DAYS.map((d) => `hf-daily/${d}.json`)]);
});
afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(MISSING !== null).each(TEST_DIALECTS)(
  `Hugging Face compatibility on %s${MISSING ? ` (skipped: ${MISSING})` : ''}`,
  (dialect) => {
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
        // Values imported from Hugging Face come back exactly as recorded. Items from before Hugging
        // Face named discussions get the arXiv id, so the field the client reads is always there.
        expect(got.map((i) => i.paper.discussionId)).toEqual(recorded.map((i) => i.paper.discussionId ?? i.paper.id));
        // Likewise the featured time: the day's start when Hugging Face did not record one.
        expect(got.map((i) => i.paper.submittedOnDailyAt)).toEqual(
          recorded.map((i) => i.paper.submittedOnDailyAt ?? `${day}T00:00:00.000Z`),
        );
        for (const key of ['githubStars', 'publishedAt', 'ai_summary', 'ai_keywords']) {
          expect(
            got.map((i) => i.paper[key] ?? null),
            key,
          ).toEqual(recorded.map((i) => i.paper[key] ?? null));
        }
        // Links: where Hugging Face names one it is the same string (a trailing slash included); where
        // it names none, paperboy may know one from the abstract itself (the importer extracts links).
        for (const key of ['githubRepo', 'projectPage']) {
          recorded.forEach((rec, i) => {
            const ours = got[i].paper[key] ?? null;
            if (rec.paper[key]) expect(ours, `${rec.paper.id} ${key}`).toBe(rec.paper[key]);
            else if (ours)
              expect(squash(rec.paper.summary).toLowerCase(), `${rec.paper.id} ${key}`).toContain(
                ours
                  .replace(/^https?:\/\//, '')
                  .replace(/\/$/, '')
                  .toLowerCase(),
              );
          });
        }
        if (day === '2025-06-10')
          expect(got.map((i) => i.paper.githubRepo)).toContain('https://github.com/manycore-research/SpatialLM/');
        // What huggingface_hub's PaperInfo reads is the same from both (test/helpers/hf-client.ts),
        // submitted_at included: the outer publishedAt comes back as recorded (README, JSON API).
        const mine = got.map((i) => paperInfo(i));
        const theirs = recorded.map((i) => paperInfo(i));
        mine.forEach((p, i) => {
          const h = theirs[i];
          expect([p.id, p.upvotes, p.discussion_id, p.comments, p.published_at], h.id!).toEqual([
            h.id,
            h.upvotes,
            h.discussion_id ?? h.id,
            h.comments,
            h.published_at,
          ]);
          expect([p.authors, p.title, p.summary], h.id!).toEqual([h.authors, h.title, h.summary]);
          expect(p.submitted_by?.fullname ?? null, h.id!).toBe(h.submitted_by?.fullname ?? null);
          expect(p.submitted_at, h.id!).toEqual(
            recorded[i].publishedAt
              ? h.submitted_at
              : parseDatetime(recorded[i].paper.submittedOnDailyAt ?? `${day}T00:00:00.000Z`),
          );
        });
        expect(got.map((i) => i.paper.upvotes)).toEqual(recorded.map((i) => i.paper.upvotes));
        // Byte for byte, though the pages and search use the normalised text (arXiv's line breaks undone).
        expect(got.map((i) => i.paper.authors.map((a: any) => a.name))).toEqual(
          recorded.map((i) => i.paper.authors.map((a: any) => a.name)),
        );
        for (const key of ['title', 'summary'] as const) {
          expect(got.map((i) => i.paper[key])).toEqual(recorded.map((i) => i.paper[key]));
          expect(got.map((i) => i[key])).toEqual(recorded.map((i) => i[key] ?? i.paper[key]));
        }
        expect(recorded.some((i) => i.paper.summary !== squash(i.paper.summary))).toBe(true);
        expect(got.map((i) => i.publishedAt)).toEqual(
          recorded.map((i) => i.publishedAt ?? i.paper.submittedOnDailyAt ?? `${day}T00:00:00.000Z`),
        );
        expect(got.map((i) => i.paper.organization?.name ?? null)).toEqual(
          recorded.map((i) => i.paper.organization?.name ?? i.organization?.name ?? null),
        );
        expect(got.map((i) => i.organization?.fullname ?? null)).toEqual(
          recorded.map((i) => i.organization?.fullname ?? null),
        );

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
  },
);
