import type { App } from '../app.js';
import type { ImportSummary } from '../ingest/import-runner.js';
import { finishImportRun, startImportRun } from '../store/import-run-store.js';

/** Rejects kept per run for the admin console (the CLI prints them all; the log has the rest). */
const REJECTS_KEPT_PER_RUN = 50;

/**
 * Run an import or harvest and record it in import_runs: started, then its counts and first
 * rejects (with their file and line) or why it failed. What the admin console lists and the
 * `paperboy_import_records_total` metric sums, whichever process ran it.
 *
 * @example
 * const summary = await recordedImport(app, 'kaggle', 'cli', () => runImport(app.db, source, files));
 */
export async function recordedImport<S extends ImportSummary>(
  app: App,
  source: string,
  via: 'cli' | 'job',
  run: () => Promise<S>,
): Promise<S> {
  const id = await startImportRun(app.db, { source, via, now: app.clock.now().toISOString() });
  try {
    const s = await run();
    await finishImportRun(app.db, id, {
      now: app.clock.now().toISOString(),
      read: s.read,
      inserted: s.inserted,
      updated: s.updated,
      unchanged: s.unchanged,
      rejected: s.rejected,
      rejects: JSON.stringify(
        s.rejects.slice(0, REJECTS_KEPT_PER_RUN).map((r) => ({ place: `${r.file}:${r.line}`, reason: r.reason })),
      ),
      error: null,
    });
    return s;
  } catch (err) {
    await finishImportRun(app.db, id, {
      now: app.clock.now().toISOString(),
      read: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      rejects: null,
      error: (err as Error).message,
    }).catch(() => undefined);
    throw err;
  }
}
