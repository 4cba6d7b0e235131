import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/open.js';
import { arxivListingsSource } from '../ingest/arxiv-listings/source.js';
import { type ImportSummary, runImport } from '../ingest/import-runner.js';
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

/** On an empty database, load the demo papers so a new site shows real papers at once, offline. */
export async function loadDemoIfEmpty(db: Db): Promise<ImportSummary | null> {
  if ((await countPapers(db)) > 0) return null;
  const files = demoFiles();
  if (files.length === 0) return null;
  return runImport(db, arxivListingsSource, files);
}
