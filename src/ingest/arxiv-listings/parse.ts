import { z } from 'zod';
import { abstractText, collapseWhitespace, nonEmpty } from '../../lib/text.js';
import { parseArxivId } from '../../model/arxiv-id.js';
import { extractLinks } from '../../model/links.js';
import { checkPaperRecord, emptyRecord, looksWithdrawn, type PaperRecord } from '../../model/paper.js';

/** One line of the daily arXiv listing JSONL (dw-dengwei/daily-arXiv-ai-enhanced format). */
const ListingLine = z.object({
  id: z.string(),
  categories: z.array(z.string()).default([]),
  authors: z.array(z.string()).default([]),
  title: z.string().min(1, 'title is empty'),
  comment: z.string().nullish(),
  summary: z.string().default(''),
});

export interface ListingRecord {
  paper: PaperRecord;
  day: string;
}

const DAY_IN_NAME = /(\d{4}-\d{2}-\d{2})\.jsonl(?:\.(?:gz|zst))?$/;

export function listingDayFromFile(file: string): string | null {
  return DAY_IN_NAME.exec(file)?.[1] ?? null;
}

/**
 * The listing has no dates of its own. A new-style id names its month (2503.xxxxx → March 2025):
 * if the listing day falls in that month or the next, the paper was new that day; otherwise the
 * listing is a replacement or cross-list of an older paper, and the month's first day is the best
 * we know until a richer source (Kaggle, the API) tells the exact date.
 */
function estimatePublished(arxivId: string, day: string): string {
  const m = /^(\d{2})(\d{2})\./.exec(arxivId);
  if (!m) return `${day}T00:00:00.000Z`;
  const idMonth = (2000 + Number(m[1])) * 12 + Number(m[2]) - 1;
  const dayMonth = Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;
  if (dayMonth - idMonth <= 1 && dayMonth >= idMonth) return `${day}T00:00:00.000Z`;
  return `20${m[1]}-${m[2]}-01T00:00:00.000Z`;
}

export function parseListingLine(obj: unknown, day: string): ListingRecord {
  const r = ListingLine.safeParse(obj);
  if (!r.success)
    throw new Error(
      `invalid listing record: ${r.error.issues.map((i) => `${i.path.join('.') || 'record'} ${i.message}`).join('; ')}`,
    );
  const v = r.data;
  const id = parseArxivId(v.id);
  if (!id) throw new Error(`not an arXiv id: ${JSON.stringify(v.id).slice(0, 60)}`);
  const comment = nonEmpty(v.comment);
  const abstract = abstractText(v.summary);
  const links = extractLinks(abstract, comment);
  const paper: PaperRecord = checkPaperRecord({
    ...emptyRecord(id.id),
    version: id.version,
    title: collapseWhitespace(v.title),
    abstract,
    authors: v.authors.map(collapseWhitespace).filter(Boolean),
    categories: v.categories,
    comment: comment ? collapseWhitespace(comment) : null,
    publishedAt: estimatePublished(id.id, day),
    withdrawn: looksWithdrawn(comment),
    githubRepo: links.githubRepo,
    projectPage: links.projectPage,
    observedAt: day,
  });
  return { paper, day };
}
