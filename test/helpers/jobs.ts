import { type Db, openDb } from '../../src/db/open.js';
import type { TestDb } from './db.js';

export { silentLog, testApp } from './app.js';

/** A second, independent connection (pool) to the same test database: another "process". */
export function secondHandle(db: TestDb): Db {
  return openDb(db.target, { schema: db.schema });
}

export async function waitFor(
  cond: () => Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
  everyMs = 20,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}
