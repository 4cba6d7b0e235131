import { abstractText, collapseWhitespace, nonEmpty } from '../../lib/text.js';
import { createXmlParser, type XmlNode, xmlText } from '../../lib/xml.js';
import { parseArxivId } from '../../model/arxiv-id.js';
import { extractLinks } from '../../model/links.js';
import { checkPaperRecord, emptyRecord, looksWithdrawn, type PaperRecord } from '../../model/paper.js';

/**
 * OAI-PMH responses (arXiv's `/oai2`, metadataPrefix `arXiv`) → records and the resumption token.
 *
 * @example
 * const page = parseOaiResponse(xml);
 * if (page.error?.code === 'noRecordsMatch') …; // nothing in the window: not a failure
 * page.records.map(oaiRecordToPaper);         // deleted records have metadata null
 */

export interface OaiHeader {
  identifier: string;
  datestamp: string;
  sets: string[];
  deleted: boolean;
}

export interface ArxivAuthor {
  keyname: string;
  forenames: string | null;
  suffix: string | null;
  affiliations: string[];
}

/** The `arXiv` metadata format: one record per paper, dates of the first and latest version. */
export interface ArxivMetadata {
  id: string;
  created: string | null;
  updated: string | null;
  authors: ArxivAuthor[];
  title: string;
  categories: string[];
  comments: string | null;
  journalRef: string | null;
  doi: string | null;
  license: string | null;
  abstract: string;
}

export interface OaiRecord {
  header: OaiHeader;
  /** Null for a deleted record; an Error when the metadata cannot be read (reported, not fatal). */
  metadata: ArxivMetadata | Error | null;
}

export interface ResumptionToken {
  /** Null or empty on the last page of a list. */
  value: string | null;
  completeListSize: number | null;
  cursor: number | null;
}

export interface OaiPage {
  responseDate: string | null;
  error: { code: string; message: string } | null;
  records: OaiRecord[];
  /** ListIdentifiers pages carry bare headers. */
  headers: OaiHeader[];
  resumptionToken: ResumptionToken | null;
}

export class OaiError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'OaiError';
  }
}

const parser = createXmlParser(['record', 'header', 'setSpec', 'author', 'affiliation', 'error']);

type Node = XmlNode;

/** An element with no text (only attributes or children) reads as empty, not as absent. */
const text = (v: unknown) => xmlText(v, '');

function clean(v: unknown): string | null {
  const t = text(v);
  return t === null ? null : nonEmpty(collapseWhitespace(t));
}

function readHeader(h: Node): OaiHeader {
  return {
    identifier: clean(h.identifier) ?? '',
    datestamp: clean(h.datestamp) ?? '',
    sets: ((h.setSpec as unknown[]) ?? []).map(clean).filter((s): s is string => !!s),
    deleted: text(h['@_status']) === 'deleted',
  };
}

function readMetadata(m: Node | undefined): ArxivMetadata | Error {
  const a = m?.arXiv as Node | undefined;
  if (!a || typeof a !== 'object') return new Error('metadata is not in the arXiv format');
  const id = clean(a.id);
  if (!id) return new Error('metadata has no id');
  const title = clean(a.title);
  if (!title) return new Error(`${id}: metadata has no title`);
  const authors = (((a.authors as Node | undefined)?.author as Node[]) ?? []).map((x) => ({
    keyname: clean(x.keyname) ?? '',
    forenames: clean(x.forenames),
    suffix: clean(x.suffix),
    affiliations: ((x.affiliation as unknown[]) ?? []).map(clean).filter((s): s is string => !!s),
  }));
  return {
    id,
    created: clean(a.created),
    updated: clean(a.updated),
    authors: authors.filter((x) => x.keyname || x.forenames),
    title,
    categories: (clean(a.categories) ?? '').split(' ').filter(Boolean),
    comments: clean(a.comments),
    journalRef: clean(a['journal-ref']),
    doi: clean(a.doi),
    license: clean(a.license),
    abstract: abstractText(text(a.abstract) ?? ''),
  };
}

/** Parse one OAI-PMH response body (any verb); throws OaiError when it is not OAI-PMH XML. */
export function parseOaiResponse(xml: string): OaiPage {
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (err) {
    throw new OaiError(`OAI-PMH: response is not XML (${(err as Error).message})`, null);
  }
  const root = doc['OAI-PMH'] as Node | undefined;
  if (!root || typeof root !== 'object') {
    throw new OaiError(`OAI-PMH: response is not an OAI-PMH document: ${xml.slice(0, 120).replace(/\s+/g, ' ')}`, null);
  }
  const errors = (root.error as unknown[]) ?? [];
  const first = errors[0];
  const error =
    first !== undefined ? { code: text((first as Node)['@_code']) ?? 'unknown', message: clean(first) ?? '' } : null;
  const list = (root.ListRecords ?? root.ListIdentifiers ?? root.GetRecord) as Node | undefined;
  const body: Node = list && typeof list === 'object' ? list : {};
  const records = ((body.record as Node[]) ?? []).map((r) => {
    const header = readHeader(((r.header as Node[]) ?? [])[0] ?? {});
    return { header, metadata: header.deleted ? null : readMetadata(r.metadata as Node | undefined) };
  });
  const rt = body.resumptionToken;
  const resumptionToken =
    rt === undefined
      ? null
      : {
          value: clean(rt),
          completeListSize:
            rt && typeof rt === 'object' && (rt as Node)['@_completeListSize'] !== undefined
              ? Number(text((rt as Node)['@_completeListSize']))
              : null,
          cursor:
            rt && typeof rt === 'object' && (rt as Node)['@_cursor'] !== undefined
              ? Number(text((rt as Node)['@_cursor']))
              : null,
        };
  return {
    responseDate: clean(root.responseDate),
    error,
    records,
    headers: ((body.header as Node[]) ?? []).map(readHeader),
    resumptionToken,
  };
}

function toIso(date: string | null): string | null {
  if (!date) return null;
  const t = Date.parse(date);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** "Forenames Keyname Suffix", the way a card shows a name. */
function authorName(a: ArxivAuthor): string {
  return collapseWhitespace([a.forenames, a.keyname, a.suffix].filter(Boolean).join(' '));
}

/**
 * arXiv metadata → PaperRecord. The arXiv format names no version numbers: `created` is the first
 * version's date and `updated` the latest's; the datestamp says when arXiv last changed the record.
 */
export function oaiRecordToPaper(meta: ArxivMetadata, datestamp: string | null): PaperRecord {
  const id = parseArxivId(meta.id);
  if (!id) throw new Error(`not an arXiv id: ${JSON.stringify(meta.id).slice(0, 60)}`);
  const links = extractLinks(meta.abstract, meta.comments);
  const created = toIso(meta.created);
  return checkPaperRecord({
    ...emptyRecord(id.id),
    title: meta.title,
    abstract: meta.abstract,
    authors: meta.authors.map(authorName).filter(Boolean),
    categories: meta.categories,
    comment: meta.comments,
    journalRef: meta.journalRef,
    doi: meta.doi,
    license: meta.license,
    publishedAt: created,
    updatedAt: toIso(meta.updated) ?? created,
    withdrawn: looksWithdrawn(meta.comments),
    githubRepo: links.githubRepo,
    projectPage: links.projectPage,
    observedAt: toIso(datestamp),
  });
}

/** `oai:arXiv.org:hep-th/9504118` → `hep-th/9504118`. */
export function arxivIdFromOaiIdentifier(identifier: string): string | null {
  const m = /^oai:arXiv\.org:(.+)$/i.exec(identifier);
  return m ? (parseArxivId(m[1])?.id ?? null) : null;
}
