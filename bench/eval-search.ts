import path from 'node:path';
import { LsaEmbedder } from '../src/search/embedder.js';
import { type EngineMode, embedInto, HYBRID_SEMANTIC_WEIGHT, SearchEngine } from '../src/search/engine.js';
import { KeywordIndex } from '../src/search/keyword-index.js';
import { parseQuery } from '../src/search/query.js';
import { VectorIndex } from '../src/search/vector-index.js';
import { loadCacm } from './cacm.js';
import { averagePrecision, ndcgAt, recallAt } from './ir-metrics.js';

/**
 * `npm run eval:search`: ranking quality of every search mode on the CACM test collection
 * (nDCG@10, MAP, recall@100 over the 52 judged queries). The engine is the one the site runs,
 * trained on CACM's own 3,204 documents; no setting is tuned to single queries.
 */
const DATA = path.resolve(process.env.PAPERBOY_SHARED_DATA ?? '../shared/data', 'ir-cacm');
/** Results per query scored: MAP over 1,000 as trec_eval does by default. */
const RANK_DEPTH = 1000;

const cacm = loadCacm(DATA);
let t = performance.now();
const keyword = KeywordIndex.build(cacm.docs);
const keywordMs = performance.now() - t;
t = performance.now();
const embedder = LsaEmbedder.train(cacm.docs);
const vectors = new VectorIndex(embedder.dimensions);
const engine = new SearchEngine(keyword, { embedder, vectors });
embedInto(engine.semantic!, cacm.docs);
const semanticMs = performance.now() - t;

async function evaluate(mode: EngineMode, semanticWeight?: number, fold?: 0 | 1) {
  let n = 0;
  let ndcg = 0;
  let map = 0;
  let recall = 0;
  for (const q of cacm.queries) {
    const rel = cacm.qrels.get(q.id);
    if (!rel) continue;
    if (fold !== undefined && q.id % 2 !== fold) continue;
    const r = await engine.search(parseQuery(q.text), mode, RANK_DEPTH, {}, { semanticWeight });
    const ranked = r.hits.map((h) => h.paperId);
    n++;
    ndcg += ndcgAt(ranked, rel, 10);
    map += averagePrecision(ranked, rel);
    recall += recallAt(ranked, rel, 100);
  }
  return { queries: n, ndcg10: ndcg / n, map: map / n, recall100: recall / n };
}

const f = (x: number) => x.toFixed(3);
console.log(
  `CACM: ${cacm.docs.length} documents, ${cacm.qrels.size} judged queries; keyword index ${keywordMs.toFixed(0)} ms, LSA ${embedder.dimensions}d + vectors ${semanticMs.toFixed(0)} ms\n`,
);
console.log('| mode | nDCG@10 | MAP | recall@100 |');
console.log('|---|---|---|---|');
for (const mode of ['keyword', 'semantic', 'hybrid'] as EngineMode[]) {
  const m = await evaluate(mode);
  console.log(
    `| ${mode}${mode === 'hybrid' ? ` (default, semantic weight ${HYBRID_SEMANTIC_WEIGHT})` : ''} | ${f(m.ndcg10)} | ${f(m.map)} | ${f(m.recall100)} |`,
  );
}
console.log('\nHybrid sensitivity to the semantic weight (the whole query set; how the default was chosen):\n');
console.log('| semantic weight | nDCG@10 | MAP | recall@100 |');
console.log('|---|---|---|---|');
const WEIGHTS = [0, 0.25, 0.5, 1, 2];
for (const w of WEIGHTS) {
  const m = await evaluate('hybrid', w);
  console.log(`| ${w} | ${f(m.ndcg10)} | ${f(m.map)} | ${f(m.recall100)} |`);
}
// Two-fold cross-validation: the weight picked on one half of the queries, measured on the other,
// so the hybrid figure is not flattered by choosing its weight on the very queries it is scored on.
console.log('\nTwo-fold cross-validation of the weight (odd / even query ids):\n');
console.log('| weight picked on | picked | hybrid nDCG@10 on the other half | keyword nDCG@10 on it |');
console.log('|---|---|---|---|');
for (const [train, test] of [
  [1, 0],
  [0, 1],
] as Array<[0 | 1, 0 | 1]>) {
  const scored: Array<{ w: number; ndcg: number }> = [];
  for (const w of WEIGHTS) scored.push({ w, ndcg: (await evaluate('hybrid', w, train)).ndcg10 });
  const best = scored.sort((a, b) => b.ndcg - a.ndcg)[0];
  console.log(
    `| ${train ? 'odd' : 'even'} ids | ${best.w} | ${f((await evaluate('hybrid', best.w, test)).ndcg10)} | ${f((await evaluate('keyword', undefined, test)).ndcg10)} |`,
  );
}
