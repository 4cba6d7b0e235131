import pino from 'pino';
import { type App, type ArxivLookup, buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import type { Db } from '../../src/db/open.js';
import type { Mailer } from '../../src/mail/transport.js';

export const TEST_SECRET = 'test-secret-key-0123456789abcdef0123456789';
/** The cheapest scrypt cost the config allows: tests hash many passwords on two shared cores. */
const TEST_ENV = {
  PASSWORD_SCRYPT_LOG_N: '10',
  SECRET_KEY: TEST_SECRET,
  BASE_URL: 'https://papers.example.org',
  // Tests fetch no pictures unless they point FIGURE_SOURCE at a local server.
  FIGURE_SOURCE: 'off',
};
export const silentLog = pino({ level: 'silent' });

export interface TestApp extends App {
  /** Move the clock forward. */
  advance(ms: number): void;
}

interface TestAppOptions {
  /** The clock's starting point (default: the real time); `advance` moves it. */
  now?: Date | (() => Date);
  mailer?: Mailer | null;
  /** Default: none (tests never reach arXiv). */
  arxivLookup?: ArxivLookup | null;
}

/**
 * An App over a test database with config from `env` (SMTP_URL, BASE_URL …) and a clock tests move.
 * The test owns the database: `close` leaves it open for the test to drop.
 */
export function testApp(db: Db, env: Record<string, string> = {}, opts: TestAppOptions = {}): TestApp {
  let offset = 0;
  const base = opts.now;
  const now =
    typeof base === 'function'
      ? () => new Date(base().getTime() + offset)
      : base
        ? () => new Date(base.getTime() + offset)
        : () => new Date(Date.now() + offset);
  const app = buildApp({
    config: loadConfig({ ...TEST_ENV, ...env }),
    db,
    clock: { now },
    log: silentLog,
    mailer: opts.mailer,
    arxivLookup: opts.arxivLookup ?? null,
  });
  return Object.assign(app, {
    advance: (ms: number) => {
      offset += ms;
    },
    close: async () => app.mailer?.close(),
  });
}
