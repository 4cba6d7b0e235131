import { createHash } from 'node:crypto';
import { boundedList, boundedOptional, boundedText, webUrl } from '../lib/text.js';

/** The metadata fields a source's record and the stored state share, with the same types. */
interface PaperMetadata {
  version: number | null;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  license: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  aiSummary: string | null;
  aiKeywords: string[] | null;
  organizationName: string | null;
}

/**
 * A paper as an ingestion source describes it, normalised. Null means "this source does not say":
 * merging keeps what the store already knows for such fields.
 */
export interface PaperRecord extends PaperMetadata {
  arxivId: string;
  withdrawn: boolean | null;
  importedUpvotes: number | null;
  /**
   * When the source saw this metadata (a listing day, an API's updated date). Sources without
   * versions (daily listings) repeat a paper on later days; the later sighting wins, so importing
   * the same days in any order, or twice, ends in the same state.
   */
  observedAt: string | null;
}

/** The merged, stored form of a paper's metadata (what the content hash covers). */
export interface PaperState extends PaperMetadata {
  withdrawn: boolean;
  importedUpvotes: number;
  /** Latest observedAt merged so far; not part of the content hash (see paperHash). */
  asOf: string | null;
}

/**
 * The largest field an import stores, in characters (entries for lists). Generous for real
 * metadata — arXiv caps abstracts at 1,920 characters, the longest author lists (large physics
 * collaborations) hold about 5,000 names, arXiv's category field carries MSC/ACM class lists of
 * several hundred characters and a collaboration's author string may pass 500 — and small enough that one broken record cannot make
 * every cached page that shows it megabytes large (issue #15: a 2 MB abstract took a process to
 * 11.6 GB). A record over a limit is refused with the field's name, not cut.
 */
export const PAPER_FIELD_LIMITS = {
  title: 2_000,
  abstract: 20_000,
  author: 2_000,
  authors: 10_000,
  category: 1_000,
  categories: 100,
  comment: 5_000,
  journalRef: 2_000,
  doi: 500,
  license: 500,
  url: 2_048,
  aiSummary: 10_000,
  aiKeyword: 200,
  aiKeywords: 100,
  organizationName: 200,
} as const;

/**
 * Every import source's record passes here before it is written: control characters (NUL …)
 * stripped from every text, each field within PAPER_FIELD_LIMITS (else a FieldError naming it,
 * which the source reports as the record's reject with its place), and links that are not http(s)
 * dropped.
 *
 * @example
 * checkPaperRecord({ ...emptyRecord('2501.00001'), title: 'A\u0000B' }).title  // 'AB'
 * checkPaperRecord({ ...rec, abstract: 'x'.repeat(2e6) })  // throws: abstract is 2,000,000 characters; …
 */
export function checkPaperRecord(r: PaperRecord): PaperRecord {
  const L = PAPER_FIELD_LIMITS;
  return {
    ...r,
    title: boundedText(r.title, 'title', L.title),
    abstract: boundedText(r.abstract, 'abstract', L.abstract),
    authors: boundedList(r.authors, 'authors', L.authors, L.author),
    categories: boundedList(r.categories, 'categories', L.categories, L.category),
    comment: boundedOptional(r.comment, 'comment', L.comment),
    journalRef: boundedOptional(r.journalRef, 'journalRef', L.journalRef),
    doi: boundedOptional(r.doi, 'doi', L.doi),
    license: boundedOptional(r.license, 'license', L.license),
    githubRepo: webUrl(r.githubRepo, L.url),
    projectPage: webUrl(r.projectPage, L.url),
    aiSummary: boundedOptional(r.aiSummary, 'aiSummary', L.aiSummary),
    aiKeywords: r.aiKeywords === null ? null : boundedList(r.aiKeywords, 'aiKeywords', L.aiKeywords, L.aiKeyword),
    organizationName: boundedOptional(r.organizationName, 'organizationName', L.organizationName),
  };
}

export function emptyRecord(arxivId: string): PaperRecord {
  return {
    arxivId,
    version: null,
    title: '',
    abstract: '',
    authors: [],
    categories: [],
    comment: null,
    journalRef: null,
    doi: null,
    license: null,
    publishedAt: null,
    updatedAt: null,
    withdrawn: null,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    aiSummary: null,
    aiKeywords: null,
    importedUpvotes: null,
    organizationName: null,
    observedAt: null,
  };
}

function earliest(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a <= b ? a : b;
}

function latest(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a >= b ? a : b;
}

type TieFields = { title: string; abstract: string; authors: string[]; categories: string[]; comment: string | null };

function compareText(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function compareLists(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareText(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/**
 * Orders two same-day records by their metadata (any total order works; this one is cheap and
 * builds no strings, as it runs for every repeat of a paper on an import).
 */
function compareTie(a: TieFields, b: TieFields): number {
  return (
    compareText(a.title, b.title) ||
    compareText(a.abstract, b.abstract) ||
    compareLists(a.authors, b.authors) ||
    compareLists(a.categories, b.categories) ||
    compareText(a.comment ?? '', b.comment ?? '')
  );
}

/**
 * Merge what a source says into what the store holds.
 * - An older version never overwrites a newer one's metadata (title, abstract, authors …).
 * - A field the source leaves null or empty keeps its stored value, so sources that know less
 *   (a Daily Papers item has no categories) never erase what others told us.
 * - Dates keep the earliest publication and the latest update.
 *
 * @example
 * mergePaper(null, record)            // a new paper: the record's fields
 * mergePaper(stored, sameRecordAgain) // deep-equal to stored: "unchanged"
 */
export function mergePaper(stored: PaperState | null, rec: PaperRecord): PaperState {
  if (!stored) {
    return {
      version: rec.version,
      title: rec.title,
      abstract: rec.abstract,
      authors: rec.authors,
      categories: rec.categories,
      comment: rec.comment,
      journalRef: rec.journalRef,
      doi: rec.doi,
      license: rec.license,
      publishedAt: rec.publishedAt,
      updatedAt: rec.updatedAt,
      withdrawn: rec.withdrawn ?? false,
      githubRepo: rec.githubRepo,
      githubStars: rec.githubStars,
      projectPage: rec.projectPage,
      aiSummary: rec.aiSummary,
      aiKeywords: rec.aiKeywords,
      importedUpvotes: rec.importedUpvotes ?? 0,
      organizationName: rec.organizationName,
      asOf: rec.observedAt,
    };
  }
  const bothVersioned = rec.version !== null && stored.version !== null;
  const sameVersion = !bothVersioned || rec.version === stored.version;
  const observedBoth = !!rec.observedAt && !!stored.asOf;
  // A tie (same version, seen the same day: a listing can carry a paper twice with different
  // categories) is broken by content, so the same records in any order, or imported twice, end in
  // the same state instead of flipping to whichever came last.
  const tie = sameVersion && observedBoth && rec.observedAt === stored.asOf;
  const older =
    (bothVersioned && rec.version! < stored.version!) ||
    (sameVersion && observedBoth && rec.observedAt! < stored.asOf!) ||
    (tie && compareTie(rec, stored) < 0);
  const meta = <T>(incoming: T | null, kept: T): T => (older || incoming === null ? kept : incoming);
  const text = (incoming: string, kept: string) => (older || incoming === '' ? kept : incoming);
  const list = (incoming: string[], kept: string[]) => (older || incoming.length === 0 ? kept : incoming);
  return {
    version: older ? stored.version : (rec.version ?? stored.version),
    title: text(rec.title, stored.title),
    abstract: text(rec.abstract, stored.abstract),
    authors: list(rec.authors, stored.authors),
    categories: list(rec.categories, stored.categories),
    comment: meta(rec.comment, stored.comment),
    journalRef: meta(rec.journalRef, stored.journalRef),
    doi: meta(rec.doi, stored.doi),
    license: meta(rec.license, stored.license),
    publishedAt: earliest(stored.publishedAt, rec.publishedAt),
    updatedAt: latest(stored.updatedAt, rec.updatedAt),
    withdrawn: meta(rec.withdrawn, stored.withdrawn),
    githubRepo: rec.githubRepo ?? stored.githubRepo,
    githubStars: rec.githubStars ?? stored.githubStars,
    projectPage: rec.projectPage ?? stored.projectPage,
    aiSummary: rec.aiSummary ?? stored.aiSummary,
    aiKeywords: rec.aiKeywords ?? stored.aiKeywords,
    importedUpvotes: rec.importedUpvotes ?? stored.importedUpvotes,
    organizationName: rec.organizationName ?? stored.organizationName,
    asOf: latest(stored.asOf, rec.observedAt),
  };
}

/**
 * Stable hash of a paper's merged content; equal hashes mean a re-import changed nothing a reader
 * sees. asOf is left out: a later sighting of identical metadata is not an update.
 */
export function paperHash(state: PaperState): string {
  const { asOf: _asOf, ...content } = state;
  return createHash('sha1').update(JSON.stringify(content)).digest('base64url');
}

function sameList(a: string[] | null, b: string[] | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether two states have the same content (what paperHash covers, asOf aside) — a cheap check
 * that lets an import reuse a known hash instead of serialising and hashing again.
 */
export function sameContent(a: PaperState, b: PaperState): boolean {
  return (
    a.version === b.version &&
    a.title === b.title &&
    a.abstract === b.abstract &&
    sameList(a.authors, b.authors) &&
    sameList(a.categories, b.categories) &&
    a.comment === b.comment &&
    a.journalRef === b.journalRef &&
    a.doi === b.doi &&
    a.license === b.license &&
    a.publishedAt === b.publishedAt &&
    a.updatedAt === b.updatedAt &&
    a.withdrawn === b.withdrawn &&
    a.githubRepo === b.githubRepo &&
    a.githubStars === b.githubStars &&
    a.projectPage === b.projectPage &&
    a.aiSummary === b.aiSummary &&
    sameList(a.aiKeywords, b.aiKeywords) &&
    a.importedUpvotes === b.importedUpvotes &&
    a.organizationName === b.organizationName
  );
}

/** Comments such as "This paper has been withdrawn by the author" mark a withdrawn paper. */
export function looksWithdrawn(comment: string | null): boolean {
  return !!comment && /\b(has been|is) withdrawn\b|^withdrawn\b/i.test(comment);
}
