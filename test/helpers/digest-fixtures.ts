import type { Db } from '../../src/db/open.js';
import { emptyRecord, type PaperRecord } from '../../src/model/paper.js';
import { upsertDailyEntries } from '../../src/store/daily-store.js';
import { upsertPapers } from '../../src/store/paper-store.js';

/** Small, deterministic papers for digest tests: each entered the list on `day`. */
interface FixturePaper {
  arxivId: string;
  title: string;
  categories: string[];
  upvotes: number;
  day: string;
  org?: string;
  abstract?: string;
  authors?: number;
  /** Featured on Daily Papers that day (else only published then). */
  featured?: boolean;
}

export async function seedPapers(db: Db, papers: FixturePaper[]): Promise<Map<string, number>> {
  const records: PaperRecord[] = papers.map((p) => ({
    ...emptyRecord(p.arxivId),
    title: p.title,
    abstract: p.abstract ?? `We study ${p.title.toLowerCase()}. Results are strong.`,
    authors: Array.from({ length: p.authors ?? 3 }, (_, i) => `Author ${i + 1}`),
    categories: p.categories,
    publishedAt: `${p.day}T00:00:00.000Z`,
    importedUpvotes: p.upvotes,
    organizationName: p.org ?? null,
    observedAt: `${p.day}T00:00:00.000Z`,
  }));
  const { ids } = await upsertPapers(db, records);
  const out = new Map(papers.map((p, i) => [p.arxivId, ids[i]]));
  await upsertDailyEntries(
    db,
    papers
      .map((p, i) => ({ p, i }))
      .filter(({ p }) => p.featured)
      .map(({ p, i }) => ({
        paperId: ids[i],
        day: p.day,
        position: i,
        submittedBy: null,
        submitterFullname: null,
        submittedAt: null,
        source: 'test',
        organizationId: null,
      })),
  );
  return out;
}
