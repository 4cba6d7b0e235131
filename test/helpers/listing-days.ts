import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

/** The demo set committed with the project: real arXiv listing days (CC0 metadata, see NOTICE). */
const DEMO_LISTINGS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../demo/arxiv-listings');

/**
 * The first `count` listing days of the repository's demo set as plain `YYYY-MM-DD.jsonl` files in a
 * temporary folder (tests read them as text; the import also reads .gz). Needs nothing outside the
 * repository, so tests of the listing importer run on a fresh clone.
 *
 * @example const files = demoListingDays(3); await runImport(db, arxivListingsSource, files);
 */
export function demoListingDays(count: number): string[] {
  const names = fs
    .readdirSync(DEMO_LISTINGS_DIR)
    .filter((f) => f.endsWith('.jsonl.gz'))
    .sort()
    .slice(0, count);
  if (names.length < count) throw new Error(`demo set has ${names.length} days, a test asked for ${count}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-demo-days-'));
  return names.map((n) => {
    const out = path.join(dir, n.replace(/\.gz$/, ''));
    fs.writeFileSync(out, zlib.gunzipSync(fs.readFileSync(path.join(DEMO_LISTINGS_DIR, n))));
    return out;
  });
}
