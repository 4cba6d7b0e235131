import { arxivListingsSource } from './arxiv-listings/source.js';
import { atomSource } from './atom/source.js';
import { hfDailySource } from './hf-daily/source.js';
import type { ImportSource } from './import-runner.js';
import { kaggleSource } from './kaggle/source.js';

/** Every file format `paperboy import <format>` reads, by name. */
// biome-ignore lint/suspicious/noExplicitAny: each source has its own record type; the CLI picks one by name
export const importSources: Record<string, ImportSource<any>> = {
  'arxiv-listings': arxivListingsSource,
  kaggle: kaggleSource,
  atom: atomSource,
  'hf-daily': hfDailySource,
};
