import { parseArxivId } from '../../model/arxiv-id.js';
import type { PaperRecord } from '../../model/paper.js';
import { PoliteHttp, type PoliteHttpOptions } from '../polite-http.js';
import { type AtomEntry, atomEntryToRecord, parseAtomFeed } from './parse.js';

/** arXiv's API endpoint. */
const ARXIV_API_URL = 'https://export.arxiv.org/api/query';
/** arXiv's terms of use ask for no more than one request every 3 seconds. */
const ARXIV_API_DELAY_MS = 3000;
/** Results per request when paging a search; arXiv allows up to 2000, smaller pages fail less. */
const ARXIV_API_PAGE_SIZE = 100;
/** Ids per lookup request: a long id_list makes a URL some proxies refuse. */
const ARXIV_API_IDS_PER_REQUEST = 100;

interface ArxivClientOptions extends Partial<PoliteHttpOptions> {
  /** Endpoint (tests point it at a local replay server). */
  baseUrl?: string;
}

interface SearchOptions {
  /** Index of the first result (0-based). */
  start?: number;
  /** How many results to fetch in all, over as many pages as needed (capped by totalResults). */
  maxResults?: number;
  pageSize?: number;
  sortBy?: 'relevance' | 'lastUpdatedDate' | 'submittedDate';
  sortOrder?: 'ascending' | 'descending';
}

interface SearchResult {
  totalResults: number;
  entries: AtomEntry[];
}

/**
 * The arXiv API (`/api/query`): id lookups and searches, paged, one request every 3 s.
 *
 * @example
 * const arxiv = new ArxivClient();
 * const [entry] = await arxiv.lookupIds(['2104.12255']);
 * const { totalResults, entries } = await arxiv.search('ti:transformer', { maxResults: 300 });
 */
export class ArxivClient {
  private readonly http: PoliteHttp;
  private readonly baseUrl: string;

  constructor(opts: ArxivClientOptions = {}) {
    this.baseUrl = opts.baseUrl ?? ARXIV_API_URL;
    this.http = new PoliteHttp({ ...opts, delayMs: opts.delayMs ?? ARXIV_API_DELAY_MS });
  }

  /** One request; the parameters and their order are what arXiv's own clients send. */
  private async query(p: {
    searchQuery: string;
    idList: string[];
    start: number;
    maxResults: number;
    sortBy: string;
    sortOrder: string;
  }) {
    const qs = new URLSearchParams({
      search_query: p.searchQuery,
      id_list: p.idList.join(','),
      sortBy: p.sortBy,
      sortOrder: p.sortOrder,
      start: String(p.start),
      max_results: String(p.maxResults),
    });
    const res = await this.http.get(`${this.baseUrl}?${qs}`);
    return parseAtomFeed(res.body, res.status);
  }

  /**
   * Look up papers by id (any version). Ids arXiv does not know are simply absent from the result;
   * a malformed id makes arXiv answer 400, thrown as ArxivApiError ("incorrect id format for abc").
   */
  async lookupIds(ids: string[]): Promise<AtomEntry[]> {
    const out: AtomEntry[] = [];
    for (let i = 0; i < ids.length; i += ARXIV_API_IDS_PER_REQUEST) {
      const chunk = ids.slice(i, i + ARXIV_API_IDS_PER_REQUEST).map((s) => s.trim());
      const feed = await this.query({
        searchQuery: '',
        idList: chunk,
        start: 0,
        maxResults: ARXIV_API_IDS_PER_REQUEST,
        sortBy: 'relevance',
        sortOrder: 'descending',
      });
      out.push(...feed.entries);
    }
    return out;
  }

  /** Search (arXiv query syntax), paging until maxResults or the end of the results. */
  async search(query: string, opts: SearchOptions = {}): Promise<SearchResult> {
    const start = opts.start ?? 0;
    const want = opts.maxResults ?? ARXIV_API_PAGE_SIZE;
    const pageSize = Math.min(opts.pageSize ?? ARXIV_API_PAGE_SIZE, want);
    const entries: AtomEntry[] = [];
    let totalResults = 0;
    while (entries.length < want) {
      const feed = await this.query({
        searchQuery: query,
        idList: [],
        start: start + entries.length,
        maxResults: Math.min(pageSize, want - entries.length),
        sortBy: opts.sortBy ?? 'relevance',
        sortOrder: opts.sortOrder ?? 'descending',
      });
      totalResults = feed.totalResults;
      entries.push(...feed.entries);
      // An empty page ends the results: arXiv sometimes answers past-the-end or overloaded with none.
      if (feed.entries.length === 0 || start + entries.length >= totalResults) break;
    }
    return { totalResults, entries };
  }
}

/**
 * Fetch one paper's current metadata from arXiv when the site has network (e.g. a user submits
 * an id we have not imported). Null when the input is not an arXiv id or arXiv does not know it.
 *
 * @example
 * const rec = await fetchPaperById('arXiv:2104.12255'); // PaperRecord, ready for upsertPapers
 */
/**
 * Options for a look-up someone is waiting for (a submission of a paper not yet here): one retry,
 * short waits and a short time limit, so a site with no network answers in seconds, not after a
 * harvest's patient retries (PoliteHttp's defaults: 6 attempts, minutes). The pause between requests
 * to arXiv (ARXIV_API_DELAY_MS) still holds within the client.
 */
export const INTERACTIVE_LOOKUP: Readonly<Partial<PoliteHttpOptions>> = {
  /** One retry: a blip is forgiven, an unreachable arXiv is reported. */
  maxRetries: 1,
  /** Before the retry after a failed connection (ms). */
  retryBaseWaitMs: 500,
  /** The longest a 503's Retry-After may hold the person waiting (ms). */
  maxRetryWaitMs: 2_000,
  /** One request's limit (ms): arXiv answers an id look-up in well under a second when it is up. */
  timeoutMs: 5_000,
};

export async function fetchPaperById(input: string, opts: ArxivClientOptions = {}): Promise<PaperRecord | null> {
  const id = parseArxivId(input);
  if (!id) return null;
  const entries = await new ArxivClient(opts).lookupIds([id.version ? `${id.id}v${id.version}` : id.id]);
  const entry = entries.find((e) => e.arxivId === id.id);
  return entry ? atomEntryToRecord(entry) : null;
}
