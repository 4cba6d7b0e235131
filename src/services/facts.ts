import type { App } from '../app.js';
import { extractFacts } from '../facts/extract.js';
import { FACTS_EXTRACTOR_VERSION } from '../facts/fact.js';
import {
  markOutdatedFacts,
  type PaperAbstract,
  paperAbstracts,
  papersNeedingFacts,
  replacePaperFacts,
} from '../store/fact-store.js';

/** Papers read, extracted and written per transaction: big enough to amortise, small enough to stay short. */
const FACTS_BATCH_PAPERS = 1000;

export interface FactsRun {
  papers: number;
  facts: number;
  /** Papers with at least one fact. */
  withFacts: number;
  ms: number;
}

/**
 * Extract the result facts of papers whose abstract is new or changed (and of papers an older
 * extractor wrote), batch by batch. The import only marks them (papers.facts_version = NULL), so
 * importing stays as fast as before; this runs in the extract-facts job, every few minutes.
 * Idempotent: a second run finds nothing to do.
 *
 * @example
 * const r = await extractPendingFacts(app); // { papers: 120, facts: 96, withFacts: 51, ms: 40 }
 */
export async function extractPendingFacts(
  app: App,
  opts: { onProgress?: (r: FactsRun) => void } = {},
): Promise<FactsRun> {
  await markOutdatedFacts(app.db, FACTS_EXTRACTOR_VERSION);
  return run(app, (after) => papersNeedingFacts(app.db, after, FACTS_BATCH_PAPERS), opts.onProgress);
}

/** `paperboy facts rebuild`: extract every paper's facts again (after a rule change, or to measure). */
export async function rebuildFacts(app: App, opts: { onProgress?: (r: FactsRun) => void } = {}): Promise<FactsRun> {
  return run(app, (after) => paperAbstracts(app.db, after, FACTS_BATCH_PAPERS), opts.onProgress);
}

async function run(
  app: App,
  next: (afterId: number) => Promise<PaperAbstract[]>,
  onProgress?: (r: FactsRun) => void,
): Promise<FactsRun> {
  const started = performance.now();
  const r: FactsRun = { papers: 0, facts: 0, withFacts: 0, ms: 0 };
  let after = 0;
  for (;;) {
    const rows = await next(after);
    if (rows.length === 0) break;
    const batch = rows.map((p) => ({ paperId: p.id, facts: extractFacts(p.abstract) }));
    r.facts += await replacePaperFacts(app.db, FACTS_EXTRACTOR_VERSION, batch);
    r.papers += rows.length;
    r.withFacts += batch.filter((b) => b.facts.length > 0).length;
    after = rows[rows.length - 1].id;
    r.ms = performance.now() - started;
    onProgress?.(r);
  }
  r.ms = performance.now() - started;
  // Cards and paper pages show the facts: cached pages go stale once per run, not per batch.
  if (r.papers > 0) app.contentVersion.everythingChanged();
  return r;
}
