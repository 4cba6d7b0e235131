import { abstractText, collapseWhitespace, nonEmpty } from '../../lib/text.js';
import { createXmlParser, type XmlNode, xmlText } from '../../lib/xml.js';
import { parseArxivId } from '../../model/arxiv-id.js';
import { extractLinks } from '../../model/links.js';
import { checkPaperRecord, emptyRecord, looksWithdrawn, type PaperRecord } from '../../model/paper.js';

/**
 * arXiv API (`/api/query`) Atom responses → entries → PaperRecords. Both the current feed and the
 * 2016 one (namespace declared on each element) read the same once prefixes are dropped.
 *
 * @example
 * const feed = parseAtomFeed(xml);       // throws ArxivApiError for an error feed (e.g. id_list=abc)
 * feed.entries.map(atomEntryToRecord);   // PaperRecords with version, dates, DOI, journal-ref
 */

export interface AtomAuthor {
  name: string;
  affiliations: string[];
}

export interface AtomLink {
  href: string;
  rel: string | null;
  type: string | null;
  title: string | null;
}

export interface AtomEntry {
  arxivId: string;
  version: number | null;
  title: string;
  abstract: string;
  authors: AtomAuthor[];
  /** Primary first, then the rest in feed order. */
  categories: string[];
  primaryCategory: string | null;
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  /** First version's date (ISO). */
  published: string | null;
  /** This version's date (ISO). */
  updated: string | null;
  links: AtomLink[];
}

interface AtomFeed {
  /** opensearch:totalResults — all matches, not just this page. */
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  entries: AtomEntry[];
}

/** arXiv reports a bad query as a feed whose single entry's id points into /api/errors. */
export class ArxivApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'ArxivApiError';
  }
}

const parser = createXmlParser(['entry', 'author', 'link', 'category', 'affiliation']);

type Node = XmlNode;

const text = (v: unknown) => xmlText(v);

function attr(v: unknown, name: string): string | null {
  if (!v || typeof v !== 'object') return null;
  return text((v as Node)[`@_${name}`]);
}

function int(v: unknown, fallback: number): number {
  const n = Number(text(v));
  return Number.isFinite(n) ? n : fallback;
}

function isoDate(v: unknown): string | null {
  const s = text(v);
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

const ERROR_ID = /\/api\/errors/;

function parseEntry(e: Node, index: number): AtomEntry {
  const rawId = text(e.id) ?? '';
  // Entry ids are abs URLs with the version: http://arxiv.org/abs/2104.12255v1.
  const id = parseArxivId(rawId);
  if (!id) throw new Error(`entry ${index}: not an arXiv id: ${JSON.stringify(rawId).slice(0, 80)}`);
  const primary = attr(e.primary_category, 'term');
  const cats = ((e.category as unknown[]) ?? []).map((c) => attr(c, 'term')).filter((c): c is string => !!c);
  const categories = [...new Set(primary ? [primary, ...cats] : cats)];
  const authors = ((e.author as Node[]) ?? [])
    .map((a) => ({
      name: collapseWhitespace(text(a.name) ?? ''),
      affiliations: ((a.affiliation as unknown[]) ?? []).map((x) => collapseWhitespace(text(x) ?? '')).filter(Boolean),
    }))
    .filter((a) => a.name);
  const links = ((e.link as unknown[]) ?? [])
    .map((l) => ({ href: attr(l, 'href') ?? '', rel: attr(l, 'rel'), type: attr(l, 'type'), title: attr(l, 'title') }))
    .filter((l) => l.href);
  const comment = nonEmpty(text(e.comment));
  return {
    arxivId: id.id,
    version: id.version,
    title: collapseWhitespace(text(e.title) ?? ''),
    abstract: abstractText(text(e.summary) ?? ''),
    authors,
    categories,
    primaryCategory: primary ?? categories[0] ?? null,
    comment: comment ? collapseWhitespace(comment) : null,
    journalRef: nonEmpty(text(e.journal_ref)),
    doi: nonEmpty(text(e.doi)),
    published: isoDate(e.published),
    updated: isoDate(e.updated),
    links,
  };
}

/** The feed's totals and its raw entries, after turning error feeds into ArxivApiError. */
function readFeed(xml: string, status: number | null): { meta: Omit<AtomFeed, 'entries'>; raw: Node[] } {
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (err) {
    throw new ArxivApiError(`arXiv API: response is not XML (${(err as Error).message})`, status);
  }
  const feed = doc.feed as Node | undefined;
  if (!feed || typeof feed !== 'object') {
    const what = status && status !== 200 ? `HTTP ${status}` : 'response';
    throw new ArxivApiError(
      `arXiv API: ${what} is not an Atom feed: ${xml.slice(0, 120).replace(/\s+/g, ' ')}`,
      status,
    );
  }
  const raw = (feed.entry as Node[]) ?? [];
  const error = raw.find((e) => ERROR_ID.test(text(e.id) ?? ''));
  if (error) {
    const msg = collapseWhitespace(text(error.summary) ?? 'unknown error');
    throw new ArxivApiError(`arXiv API error${status ? ` (HTTP ${status})` : ''}: ${msg}`, status);
  }
  if (status !== null && status !== 200) throw new ArxivApiError(`arXiv API: HTTP ${status}`, status);
  return {
    meta: {
      totalResults: int(feed.totalResults, raw.length),
      startIndex: int(feed.startIndex, 0),
      itemsPerPage: int(feed.itemsPerPage, raw.length),
    },
    raw,
  };
}

/**
 * Parse one Atom response body. `status` is the HTTP status when known: a non-200 answer or an
 * error entry becomes an ArxivApiError carrying arXiv's own message ("incorrect id format for abc").
 * A malformed entry throws too; use parseAtomEntries to keep the good ones.
 */
export function parseAtomFeed(xml: string, status: number | null = null): AtomFeed {
  const { meta, raw } = readFeed(xml, status);
  return { ...meta, entries: raw.map((e, i) => parseEntry(e, i + 1)) };
}

/** Like parseAtomFeed, but each entry is parsed alone: a malformed one is an Error in its place. */
export function parseAtomEntries(xml: string, status: number | null = null): Array<AtomEntry | Error> {
  const { raw } = readFeed(xml, status);
  return raw.map((e, i) => {
    try {
      return parseEntry(e, i + 1);
    } catch (err) {
      return err as Error;
    }
  });
}

/** A recorded exchange `{url, status_code, body}` (json-wrapped files) or a raw XML body. */
export function unwrapRecording(content: string): { body: string; status: number | null; url: string | null } {
  const t = content.trimStart();
  if (t.startsWith('{')) {
    const o = JSON.parse(t) as { url?: unknown; status_code?: unknown; body?: unknown };
    if (typeof o.body !== 'string')
      throw new Error('JSON file has no string "body" (expected {url, status_code, body})');
    return {
      body: o.body,
      status: typeof o.status_code === 'number' ? o.status_code : null,
      url: typeof o.url === 'string' ? o.url : null,
    };
  }
  return { body: content, status: null, url: null };
}

export function atomEntryToRecord(e: AtomEntry): PaperRecord {
  const links = extractLinks(e.abstract, e.comment);
  return checkPaperRecord({
    ...emptyRecord(e.arxivId),
    version: e.version,
    title: e.title,
    abstract: e.abstract,
    authors: e.authors.map((a) => a.name),
    categories: e.categories,
    comment: e.comment,
    journalRef: e.journalRef,
    doi: e.doi,
    publishedAt: e.published,
    updatedAt: e.updated,
    withdrawn: looksWithdrawn(e.comment),
    githubRepo: links.githubRepo,
    projectPage: links.projectPage,
    observedAt: e.updated,
  });
}
