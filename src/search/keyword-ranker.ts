import type { KeywordQuery, KeywordResult } from './keyword-index.js';

/**
 * What the search engine asks of a keyword backend. Two answer it: the in-process index
 * (KeywordIndex: BM25F, pruned top-k, answers at once) and PostgreSQL's full-text search
 * (src/store/pg-fulltext-store.ts: ts_rank_cd over a GIN index, answers with a promise). The
 * engine's modes, fusion and feedback are written once against this seam.
 *
 * @example
 * const ranker: KeywordRanker = KeywordIndex.build(docs);
 * const r = await ranker.search({ terms: new Map([['graph', 1]]) }, 10); // { hits, total, totalIsEstimate }
 */
export interface KeywordRanker {
  /** The k best papers for `q`, best first. Scores compare within one answer only. */
  search(q: KeywordQuery, k: number): KeywordResult | Promise<KeywordResult>;
  /** Papers passing the filters, required and excluded words of `q`, newest first (queries with no words). */
  browse(q: KeywordQuery, k: number): KeywordResult | Promise<KeywordResult>;
  /**
   * A test for candidates found elsewhere (the vector index): does the paper pass the filters,
   * required and excluded words of `q`? `candidates` lists the papers that will be asked about, for
   * a backend that answers them all in one round trip; one that answers in memory need not call it.
   */
  acceptor(
    q: KeywordQuery,
    candidates: () => number[],
  ): ((paperId: number) => boolean) | Promise<(paperId: number) => boolean>;
  /**
   * True when `search`, `browse` and `acceptor` already require every phrase's words in order, so
   * the caller need not check the papers' text (the in-process index only requires the words).
   */
  readonly checksPhrases: boolean;
}
