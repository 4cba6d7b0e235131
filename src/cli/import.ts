import type { Command } from 'commander';
import { openApp } from '../app.js';
import { useImportSettings } from '../db/open.js';
import { IMPORT_BATCH_SIZE, type ImportSource, type ImportSummary, runImport } from '../ingest/import-runner.js';
import { importSources } from '../ingest/sources.js';
import { createProgress } from '../lib/progress.js';
import { recordedImport } from '../services/import-runs.js';

/** Rejects printed one by one before the rest are only counted, so a bad file cannot flood the terminal. */
const MAX_REJECTS_PRINTED = 50;

function printSummary(s: ImportSummary, json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ ...s, rejects: s.rejects }, null, 2));
    return;
  }
  console.log(
    `read ${s.read}, inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, rejected ${s.rejected}`,
  );
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Import papers from files: arxiv-listings | kaggle | atom | hf-daily (gzip and zstd read directly).')
    .argument('<format>', `one of: ${Object.keys(importSources).join(', ')}`)
    .argument('<files...>', 'files to import')
    .option('--json', 'print the summary as JSON')
    .option('--quiet', 'no progress output')
    .option('--batch-size <n>', `records per transaction (default ${IMPORT_BATCH_SIZE})`)
    .action(async (format: string, files: string[], opts: { json?: boolean; quiet?: boolean; batchSize?: string }) => {
      const batchSize = opts.batchSize === undefined ? IMPORT_BATCH_SIZE : Number(opts.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        console.error(`paperboy import: --batch-size must be a whole number of at least 1 (got "${opts.batchSize}").`);
        process.exitCode = 2;
        return;
      }
      const source = (importSources as Record<string, ImportSource<unknown>>)[format];
      if (!source) {
        console.error(
          `paperboy import: unknown format "${format}". Use one of: ${Object.keys(importSources).join(', ')}.`,
        );
        process.exitCode = 2;
        return;
      }
      const app = await openApp({ migrate: true });
      await useImportSettings(app.db);
      const progress = createProgress(`import ${format}`, files.length, { quiet: opts.quiet || opts.json });
      let printed = 0;
      try {
        const summary = await recordedImport(app, format, 'cli', () =>
          runImport(app.db, source, files, {
            batchSize,
            readInWorker: true,
            onProgress: (done, s) => progress.update(done, `read ${s.read} rejected ${s.rejected}`),
            onReject: (r) => {
              if (opts.json) return;
              if (printed++ < MAX_REJECTS_PRINTED) console.error(`rejected ${r.file}:${r.line}: ${r.reason}`);
              else if (printed === MAX_REJECTS_PRINTED + 1)
                console.error('… further rejects are counted in the summary');
            },
          }),
        );
        progress.stop();
        printSummary(summary, !!opts.json);
        if (summary.rejected > 0) process.exitCode = 1;
      } finally {
        progress.stop();
        await app.close();
      }
    });
}
