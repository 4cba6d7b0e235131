import fs from 'node:fs';
import { z } from 'zod';
import { runImport } from '../../ingest/import-runner.js';
import { importSources } from '../../ingest/sources.js';
import { recordedImport } from '../../services/import-runs.js';
import { defineJob } from '../job.js';

/**
 * Import files with one of `paperboy import`'s formats, as a job (e.g. files dropped by a cron
 * download). Idempotent: upserts make a re-run after a crash finish the work without duplicates.
 * Rejected records are part of the result, not a failure: retrying would reject them again.
 */
export const importFileJob = defineJob({
  type: 'import-file',
  payload: z.object({
    format: z.string().refine((f) => f in importSources, {
      message: `format must be one of: ${Object.keys(importSources).join(', ')}`,
    }),
    files: z.array(z.string().min(1)).min(1),
  }),
  async run({ app, log }, { format, files }) {
    // A missing file may still be arriving (a download in progress): fail, and the retry may find it.
    const missing = files.filter((f) => !fs.existsSync(f));
    if (missing.length > 0) throw new Error(`import-file: no such file: ${missing.join(', ')}`);
    const summary = await recordedImport(app, format, 'job', () =>
      runImport(app.db, importSources[format], files, { readInWorker: true }),
    );
    const { rejects, ...counts } = summary;
    log.info({ format, ...counts }, 'import-file finished');
    return { ...counts, rejects: rejects.slice(0, 20) };
  },
});
