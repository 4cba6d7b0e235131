import type { PaperFilters } from '../store/paper-search-store.js';
import { naiveKeywordSearch } from '../store/paper-search-store.js';
import type { App } from './app.js';

/**
 * The one search interface that the pages, the API, the CLI and the digests call.
 * (The search engine replaces the body; the signature stays.)
 */
export type SearchMode = 'keyword' | 'semantic' | 'hybrid';
export type SearchFilters = PaperFilters;

export interface SearchRequest {
  q: string;
  mode?: SearchMode;
  filters?: SearchFilters;
  limit: number;
  offset: number;
}

export interface SearchHit {
  paperId: number;
  score: number;
  /** HTML-escaped snippets with matches wrapped in <mark>…</mark>, when the engine has them. */
  highlights?: { title?: string; abstract?: string };
}

export interface SearchResult {
  hits: SearchHit[];
  total: number;
  /** Notes for the reader, e.g. how a malformed query was understood. */
  notes: string[];
  mode: SearchMode;
}

/** Words of a query: the stand-in engine ignores operators and punctuation. */
function plainWords(q: string): string[] {
  return q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 20);
}

export async function searchPapers(app: App, req: SearchRequest): Promise<SearchResult> {
  const words = plainWords(req.q);
  const { ids, total } = await naiveKeywordSearch(app.db, words, req.filters ?? {}, req.limit, req.offset);
  return { hits: ids.map((paperId, i) => ({ paperId, score: ids.length - i })), total, notes: [], mode: 'keyword' };
}

/** Papers like this one; empty until the semantic index exists. */
export async function similarPapers(_app: App, _paperId: number, _limit: number): Promise<SearchHit[]> {
  return [];
}
