import { createHash } from 'node:crypto';

/**
 * A paper as an ingestion source describes it, normalised. Null means "this source does not say":
 * merging keeps what the store already knows for such fields.
 */
export interface PaperRecord {
  arxivId: string;
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
  withdrawn: boolean | null;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  aiSummary: string | null;
  aiKeywords: string[] | null;
  importedUpvotes: number | null;
  organizationName: string | null;
  /**
   * When the source saw this metadata (a listing day, an API's updated date). Sources without
   * versions (daily listings) repeat a paper on later days; the later sighting wins, so importing
   * the same days in any order, or twice, ends in the same state.
   */
  observedAt: string | null;
}

/** The merged, stored form of a paper's metadata (what the content hash covers). */
export interface PaperState {
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
  withdrawn: boolean;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  aiSummary: string | null;
  aiKeywords: string[] | null;
  importedUpvotes: number;
  organizationName: string | null;
  /** Latest observedAt merged so far; not part of the content hash (see paperHash). */
  asOf: string | null;
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

/** The metadata a tie between two same-day records is decided on (any total order works). */
function tieKey(p: { title: string; abstract: string; authors: string[]; categories: string[]; comment: string | null }): string {
  return JSON.stringify([p.title, p.abstract, p.authors, p.categories, p.comment]);
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
    (tie && tieKey(rec) < tieKey(stored));
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

/** Comments such as "This paper has been withdrawn by the author" mark a withdrawn paper. */
export function looksWithdrawn(comment: string | null): boolean {
  return !!comment && /\b(has been|is) withdrawn\b|^withdrawn\b/i.test(comment);
}
