import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from '../app.js';
import { arxivListingsSource } from '../ingest/arxiv-listings/source.js';
import { type ImportSummary, runImport } from '../ingest/import-runner.js';
import { renderMarkdown } from '../lib/markdown.js';
import { seededRandom } from '../lib/seeded-random.js';
import { DEMO_SEED, planDemoCommunity } from '../model/demo-community.js';
import { demoCandidates, demoLoaded, insertDemoCommunity, removeDemoCommunity } from '../store/demo-store.js';
import { countPapers } from '../store/paper-store.js';

/** The demo set shipped in the package (see NOTICE): src/ in tests, dist/src/ in the built binary. */
function demoFiles(): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = ['../../demo/arxiv-listings', '../../../demo/arxiv-listings'].map((p) => path.resolve(here, p));
  const dir = candidates.find((d) => fs.existsSync(d));
  if (!dir) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.jsonl(\.gz|\.zst)?$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

export interface DemoLoad {
  papers: ImportSummary;
  community: { users: number; organisations: number; entries: number; votes: number; comments: number };
}

/**
 * On an empty database, load the demo: the real arXiv papers of the demo set, then a demo community
 * generated from a fixed seed (model/demo-community.ts), so a new site is a Daily Papers site at
 * once, offline. Returns null when the database already holds papers (nothing is touched).
 */
export async function loadDemoIfEmpty(app: App): Promise<DemoLoad | null> {
  if ((await countPapers(app.db)) > 0) return null;
  const files = demoFiles();
  if (files.length === 0) return null;
  const papers = await runImport(app.db, arxivListingsSource, files);
  const community = await addDemoCommunity(app);
  return { papers, community };
}

/**
 * Generate the demo community over the papers' listing days (votes, comments, featured lists,
 * organisations). Refused while one is already there: it would not be the seed's community.
 */
export async function addDemoCommunity(app: App): Promise<DemoLoad['community']> {
  if (await demoLoaded(app.db)) throw new Error('demo: the demo community is already loaded');
  const plan = planDemoCommunity(await demoCandidates(app.db), seededRandom(DEMO_SEED));
  const written = await insertDemoCommunity(app.db, plan, renderMarkdown);
  app.contentVersion.everythingChanged();
  return written;
}

/** `paperboy demo remove`: the demo community goes; papers and everything real stay. */
export async function removeDemo(app: App): Promise<{ users: number; organisations: number; entries: number }> {
  const r = await removeDemoCommunity(app.db);
  app.contentVersion.everythingChanged();
  return { users: r.users, organisations: r.organisations, entries: r.entries };
}
