import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IndexDoc } from '../src/search/segment.js';
import { tokenize } from '../src/search/tokenize.js';

/**
 * The corpora bench:search measures: the real arXiv papers of ../shared/data, and papers
 * generated with Zipfian word frequencies over the real vocabulary.
 */

/** Zipf exponent of generated text: ≈1 for English word frequencies. */
export const ZIPF_S = 1.0;
/** Vocabulary of the generated corpus: the real words plus synthetic ones (Heaps' law: a larger corpus has more distinct words). */
export const GENERATED_VOCABULARY = 300_000;
const TITLE_WORDS = [6, 14];
const ABSTRACT_WORDS = [100, 200];
const SHARED = path.resolve(process.env.PAPERBOY_SHARED_DATA ?? '../shared/data');

/** Deterministic PRNG (mulberry32) so every run asks the same queries of the same corpus. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function loadRealPapers(): IndexDoc[] {
  let dir = path.join(os.tmpdir(), 'paperboy-bench-listings');
  if (!fs.existsSync(path.join(dir, 'dd'))) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('tar', [
      '--zstd',
      '-xf',
      path.join(SHARED, 'arxiv-listings/daily-arXiv-ai-enhanced_data-branch_410days.tar.zst'),
      '-C',
      dir,
    ]);
  }
  dir = path.join(dir, 'dd');
  const byId = new Map<
    string,
    { title: string; summary: string; authors: string[]; categories: string[]; day: string }
  >();
  for (const f of fs.readdirSync(dir).sort()) {
    const day = f.slice(0, 10);
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line);
        if (!byId.has(r.id))
          byId.set(r.id, {
            title: r.title ?? '',
            summary: r.summary ?? '',
            authors: r.authors ?? [],
            categories: r.categories ?? [],
            day,
          });
      } catch {
        /* a broken line is skipped: the benchmark measures speed, not import */
      }
    }
  }
  let id = 0;
  return [...byId.values()].map((r) => ({
    paperId: ++id,
    title: r.title,
    abstract: r.summary,
    authors: r.authors,
    categories: r.categories,
    org: null,
    publishedAt: r.day,
    hasCode: false,
  }));
}

/** Words of the real corpus by frequency (surface forms, so generated text tokenises like real text). */
export function realVocabulary(docs: IndexDoc[]): string[] {
  const counts = new Map<string, number>();
  for (const d of docs)
    for (const w of `${d.title} ${d.abstract}`.toLowerCase().match(/\p{L}[\p{L}\p{N}]*/gu) ?? [])
      counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([w]) => tokenize(w).length === 1)
    .sort((a, b) => b[1] - a[1])
    .map(([w]) => w);
}

export function* generatePapers(n: number, real: string[]): Generator<IndexDoc> {
  const r = rng(1);
  const vocab = real.slice(0, GENERATED_VOCABULARY);
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'qu', 'ph', 'tr'];
  while (vocab.length < GENERATED_VOCABULARY) {
    let w = '';
    for (let i = 0, m = 3 + (vocab.length % 3); i < m; i++) w += syllables[Math.floor(r() * syllables.length)];
    vocab.push(`${w}${vocab.length}`);
  }
  const cdf = new Float64Array(vocab.length);
  let acc = 0;
  for (let i = 0; i < vocab.length; i++) cdf[i] = acc += 1 / (i + 1) ** ZIPF_S;
  const word = () => {
    const x = r() * acc;
    let lo = 0;
    let hi = vocab.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo];
  };
  const words = (range: number[]) => {
    const m = range[0] + Math.floor(r() * (range[1] - range[0]));
    const out: string[] = [];
    for (let i = 0; i < m; i++) out.push(word());
    return out.join(' ');
  };
  const cats = ['cs.CL', 'cs.CV', 'cs.LG', 'cs.AI', 'stat.ML', 'math.OC', 'physics.optics', 'q-bio.NC'];
  for (let i = 1; i <= n; i++) {
    yield {
      paperId: i,
      title: words(TITLE_WORDS),
      abstract: words(ABSTRACT_WORDS),
      authors: [`Author ${Math.floor(r() * 200_000)}`, `Author ${Math.floor(r() * 200_000)}`],
      categories: [cats[Math.floor(r() * cats.length)]],
      org: null,
      publishedAt: `2025-${String(1 + (i % 12)).padStart(2, '0')}-01`,
      hasCode: r() < 0.2,
    };
  }
}
