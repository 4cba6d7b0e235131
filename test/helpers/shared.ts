import fs from 'node:fs';
import path from 'node:path';

/**
 * The read-only real data beside the project (../shared/data). PAPERBOY_SHARED_DATA points
 * elsewhere when a clone lives away from it (.ci/run sets it for clones in a temporary folder).
 */
export const SHARED_DATA = path.resolve(process.env.PAPERBOY_SHARED_DATA || '../shared/data');

export function sharedPath(...parts: string[]): string {
  const p = path.join(SHARED_DATA, ...parts);
  if (!fs.existsSync(p))
    throw new Error(`test data missing: ${p} (set PAPERBOY_SHARED_DATA to the shared/data folder)`);
  return p;
}

/**
 * Why a test needing shared data cannot run, or null when the data is there: for
 * `describe.skipIf(...)`, whose title then says why it was skipped.
 */
export function sharedDataMissing(...parts: string[]): string | null {
  const p = path.join(SHARED_DATA, ...parts);
  return fs.existsSync(p) ? null : `test data missing: ${p} (set PAPERBOY_SHARED_DATA to the shared/data folder)`;
}

/** A describe title that says, in the test report, why it was skipped. */
export function titleOrSkipped(title: string, missing: string | null): string {
  return missing ? `${title} (skipped: ${missing})` : title;
}
