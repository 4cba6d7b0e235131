import fs from 'node:fs';
import path from 'node:path';
import { extractFacts } from '../src/facts/extract.js';
import type { ResultFact } from '../src/facts/fact.js';
import { baselineFacts, type Labelled, type Score, scoreFacts } from './facts-score.js';

/**
 * `npm run eval:facts`: the result-fact extractor scored on results-facts/dev.jsonl (110 labelled
 * abstracts, shared data, never committed) beside the plain regular-expression baseline, in the
 * same run. `--errors` lists what was missed and what was found wrongly, to judge the rules on
 * the whole set (never to tune to single abstracts).
 */
const FILE = path.resolve(process.env.PAPERBOY_SHARED_DATA ?? '../shared/data', 'results-facts', 'dev.jsonl');
if (!fs.existsSync(FILE)) {
  console.log(`eval:facts skipped: ${FILE} is missing (set PAPERBOY_SHARED_DATA to the shared/data folder)`);
  process.exit(0);
}
const rows = fs
  .readFileSync(FILE, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Labelled & { abstract: string; title: string });

const t0 = performance.now();
const ours = rows.map((r) => extractFacts(r.abstract));
const ms = performance.now() - t0;
const base = rows.map((r) => baselineFacts(r.abstract));

const f = (x: number) => x.toFixed(3);
const line = (name: string, s: Score) =>
  `| ${name} | ${f(s.found.p)} | ${f(s.found.r)} | ${f(s.found.f1)} | ${f(s.typed.p)} | ${f(s.typed.r)} | ${f(s.typed.f1)} | ${s.factFreeEmpty}/${s.factFree} = ${f(s.factFreeEmpty / s.factFree)} | ${s.predicted} |`;
const so = scoreFacts(rows, (i) => ours[i]);
const sb = scoreFacts(rows, (i) => base[i]);
console.log(
  `results-facts dev: ${rows.length} abstracts, ${so.labelled} labelled facts, ${so.factFree} fact-free; extractor ${ms.toFixed(0)} ms\n`,
);
console.log(
  '| extractor | found P | found R | found F1 | typed P | typed R | typed F1 | fact-free left empty | predicted |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
console.log(line('rules (src/facts)', so));
console.log(line('regex baseline (number + x, ×, % or points)', sb));

const bad = ours.flatMap((facts, i) => facts.filter((p) => p.span.length === 0 || !rows[i].abstract.includes(p.span)));
if (bad.length > 0) console.log(`\n${bad.length} spans are not substrings of their abstract`);

if (process.argv.includes('--errors')) {
  const key = (x: ResultFact) => `${x.value}${x.value_max !== null ? `-${x.value_max}` : ''} ${x.unit} ${x.kind}`;
  rows.forEach((r, i) => {
    const miss = r.facts.filter(
      (g) => !ours[i].some((p) => scoreFacts([{ id: '', facts: [g] }], () => [p]).found.tp === 1),
    );
    const wrong = ours[i].filter(
      (p) => !r.facts.some((g) => scoreFacts([{ id: '', facts: [g] }], () => [p]).found.tp === 1),
    );
    const mistyped = ours[i].filter((p) =>
      r.facts.some(
        (g) =>
          scoreFacts([{ id: '', facts: [g] }], () => [p]).found.tp === 1 &&
          scoreFacts([{ id: '', facts: [g] }], () => [p]).typed.tp === 0,
      ),
    );
    for (const g of miss) console.log(`MISS  ${r.id}  ${key(g)}  «${g.span}»`);
    for (const p of wrong) console.log(`WRONG ${r.id}  ${key(p)}  «${p.span}»`);
    for (const p of mistyped) console.log(`KIND  ${r.id}  ${key(p)}  «${p.span}»`);
  });
}
