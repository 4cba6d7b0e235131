import pino from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { type Db, openDb } from '../../src/db/open.js';
import type { App } from '../../src/services/app.js';
import type { TestDb } from './db.js';

export const silentLog = pino({ level: 'silent' });

/** An App over a test database (the config only matters for what the code under test reads). */
export function testApp(db: Db): App {
  return {
    config: loadConfig({ DATABASE_URL: ':memory:', BASE_URL: 'http://localhost:3000' }),
    db,
    close: () => db.close(),
  };
}

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
