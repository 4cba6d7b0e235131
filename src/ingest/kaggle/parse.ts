import { z } from 'zod';
import { abstractText, collapseWhitespace, nonEmpty } from '../../lib/text.js';
import { parseArxivId } from '../../model/arxiv-id.js';
import { extractLinks } from '../../model/links.js';
import { checkPaperRecord, emptyRecord, looksWithdrawn, type PaperRecord } from '../../model/paper.js';

/** One line of Kaggle's arxiv-metadata-oai-snapshot.json. */
const KaggleLine = z.object({
  id: z.string(),
  submitter: z.string().nullish(),
  authors: z.string().nullish(),
  title: z.string().min(1, 'title is empty'),
  comments: z.string().nullish(),
  'journal-ref': z.string().nullish(),
  doi: z.string().nullish(),
  categories: z.string().default(''),
  license: z.string().nullish(),
  abstract: z.string().default(''),
  versions: z.array(z.object({ version: z.string(), created: z.string() })).default([]),
  update_date: z.string().nullish(),
  authors_parsed: z.array(z.array(z.string())).nullish(),
});

function toIso(date: string): string | null {
  const t = Date.parse(date);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** authors_parsed is [last, first, suffix]; "first last suffix" is how a card shows a name. */
function authorName(parts: string[]): string {
  const [last = '', first = '', suffix = ''] = parts;
  return collapseWhitespace([first, last, suffix].filter(Boolean).join(' '));
}

export function parseKaggleLine(obj: unknown): PaperRecord {
  const r = KaggleLine.safeParse(obj);
  if (!r.success)
    throw new Error(
      `invalid Kaggle record: ${r.error.issues.map((i) => `${i.path.join('.') || 'record'} ${i.message}`).join('; ')}`,
    );
  const v = r.data;
  const id = parseArxivId(v.id);
  if (!id) throw new Error(`not an arXiv id: ${JSON.stringify(v.id).slice(0, 60)}`);
  const versions = v.versions
    .map((x) => ({ n: Number(x.version.replace(/^v/, '')), at: toIso(x.created) }))
    .filter((x) => Number.isFinite(x.n))
    .sort((a, b) => a.n - b.n);
  const authors =
    v.authors_parsed && v.authors_parsed.length > 0
      ? v.authors_parsed.map(authorName).filter(Boolean)
      : (v.authors ?? '')
          .split(/,\s*|\s+and\s+/)
          .map(collapseWhitespace)
          .filter(Boolean);
  const comment = nonEmpty(v.comments);
  const abstract = abstractText(v.abstract);
  const links = extractLinks(abstract, comment);
  const last = versions[versions.length - 1];
  return checkPaperRecord({
    ...emptyRecord(id.id),
    version: last?.n ?? id.version,
    title: collapseWhitespace(v.title),
    abstract,
    authors,
    categories: v.categories.split(/\s+/).filter(Boolean),
    comment: comment ? collapseWhitespace(comment) : null,
    journalRef: nonEmpty(v['journal-ref']),
    doi: nonEmpty(v.doi),
    license: nonEmpty(v.license),
    publishedAt: versions[0]?.at ?? (v.update_date ? toIso(v.update_date) : null),
    updatedAt: last?.at ?? (v.update_date ? toIso(v.update_date) : null),
    withdrawn: looksWithdrawn(comment),
    githubRepo: links.githubRepo,
    projectPage: links.projectPage,
    observedAt: last?.at ?? null,
  });
}
