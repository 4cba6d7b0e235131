import fs from 'node:fs';
import path from 'node:path';
import { ARXIV_SANITY_TFIDF, TfidfVectorizer } from '../src/recs/tfidf.js';
import { categoryPriorMethod, centroidMethod, randomMethod, svmMethod } from './recs-baselines.js';
import { loadRecsData, unpackSharedData } from './recs-data.js';
import { paperboyMethod } from './recs-paperboy.js';
import { buildEpisodes, evaluate, type RecsMethod } from './recs-protocol.js';

/**
 * `npm run eval:recs -- [--hf-daily DIR] [--listings DIR] [--json]`: issue #17's evaluation from
 * real choices. Hugging Face submitters' picks are replayed day by day against the arXiv listings
 * (protocol in bench/recs-protocol.ts); every method is scored in the same run on the same days.
 * Without folders, the shared data's two tarballs are unpacked to a temporary folder.
 */
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (!v || v.startsWith('--')) {
    console.error(`${name} needs a value`);
    process.exit(2);
  }
  return v;
}
const json = process.argv.includes('--json');
/** `--only a,b`: run only these methods (for working on one; the report runs them all). */
const only = arg('--only')?.split(',');
const log = (s: string) => {
  if (!json) console.log(s);
  else process.stderr.write(`${s}\n`);
};
/** Seed of the random baseline and of the category prior's tie order. */
const SEED = 17;

let listingsDir = arg('--listings');
let hfDir = arg('--hf-daily');
let tmp: string | null = null;
if (!listingsDir || !hfDir) {
  const shared = path.resolve(process.env.PAPERBOY_SHARED_DATA ?? '../shared/data');
  const u = unpackSharedData(shared);
  tmp = u.tmp;
  listingsDir ??= u.listings;
  hfDir ??= u.hfDaily;
}
try {
  let t = performance.now();
  const data = loadRecsData(listingsDir, hfDir);
  for (const s of data.skipped.slice(0, 20)) log(`skipped ${s}`);
  if (data.skipped.length > 20) log(`… and ${data.skipped.length - 20} more skipped`);
  const { readers, episodes } = buildEpisodes(
    data.picks,
    data.papers.map((p) => p.firstListed),
  );
  const avgCandidates = episodes.reduce((s, e) => s + e.candidates.length, 0) / Math.max(1, episodes.length);
  log(
    `${data.papers.length} papers, ${data.picks.length} picks in the listings; ${readers} readers, ${episodes.length} days, ${avgCandidates.toFixed(0)} candidates a day (${((performance.now() - t) / 1000).toFixed(1)} s)`,
  );
  t = performance.now();
  const texts = data.papers.map((p) => `${p.title}. ${p.abstract}`);
  const vectorizer = TfidfVectorizer.fit(texts, ARXIV_SANITY_TFIDF);
  const rows = texts.map((x) => vectorizer.transform(x));
  log(`TF-IDF: ${vectorizer.features} features (${((performance.now() - t) / 1000).toFixed(1)} s)`);

  const timings = new Map<string, number>();
  const timed = (m: RecsMethod): RecsMethod => ({
    name: m.name,
    rank(e) {
      const s = performance.now();
      const r = m.rank(e);
      timings.set(m.name, (timings.get(m.name) ?? 0) + performance.now() - s);
      return r;
    },
  });
  const methods: RecsMethod[] = [
    randomMethod(SEED),
    categoryPriorMethod(
      data.papers.map((p) => p.categories),
      SEED,
    ),
    centroidMethod(rows, vectorizer.features),
    svmMethod(rows, vectorizer.features),
    paperboyMethod(data.papers, rows, vectorizer.features),
    paperboyMethod(data.papers, rows, vectorizer.features, 'no-freshness'),
  ]
    .filter((m) => !only || only.includes(m.name))
    .map(timed);
  const result = evaluate(readers, episodes, methods, (i) => {
    if (!json && (i + 1) % 10 === 0) process.stderr.write(`\r${i + 1}/${episodes.length} days`);
  });
  if (!json) process.stderr.write('\n');
  if (json) console.log(JSON.stringify(result));
  else {
    console.log(`\n${result.readers} readers, ${result.days} days\n`);
    console.log('| method | recall@50 | nDCG@50 | ms a day |');
    console.log('|---|---|---|---|');
    for (const [name, m] of Object.entries(result.methods))
      console.log(
        `| ${name} | ${m.recall_at_50.toFixed(3)} | ${m.ndcg_at_50.toFixed(3)} | ${((timings.get(name) ?? 0) / Math.max(1, result.days)).toFixed(1)} |`,
      );
  }
} finally {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
