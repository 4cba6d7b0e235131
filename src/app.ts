import pino, { type Logger } from 'pino';
import { type Config, loadConfig } from './config/config.js';
import { migrateToLatest, pendingMigrations } from './db/migrate.js';
import { type Db, openDb } from './db/open.js';
import { fetchPaperById, INTERACTIVE_LOOKUP } from './ingest/atom/client.js';
import { createMailer, type Mailer } from './mail/transport.js';
import type { PaperRecord } from './model/paper.js';
import { ContentVersion } from './services/content-version.js';
import { Metrics } from './services/metrics.js';
import { HealthState } from './services/readiness.js';
import { RecsCandidateCache } from './services/recs-candidates.js';
import { SearchState } from './services/search.js';

/**
 * Everything a request, a job or a CLI verb works with, built once per process and passed down:
 * no module-level state anywhere else. Tests build their own (test/helpers/app.ts) with a fixed
 * clock, a test database and their own SMTP server.
 *
 * @example
 * const app = await openApp({ migrate: true });
 * await setVote(app, actor, paperId, true);
 */
export interface App {
  config: Readonly<Config>;
  db: Db;
  /** One pooled SMTP transport per process; null when SMTP_URL is unset (mail is off). */
  mailer: Mailer | null;
  clock: Clock;
  /** The search engine of this process, built on first use (services/search.ts). */
  search: SearchState;
  /** What cached pages are valid against (services/content-version.ts). */
  contentVersion: ContentVersion;
  /** One paper's metadata from arXiv, for submissions of papers not yet here; null when offline. */
  arxivLookup: ArxivLookup | null;
  log: Logger;
  /** What /readyz remembers between calls (services/readiness.ts). */
  health: HealthState;
  /** This process's Prometheus registry and metrics (services/metrics.ts), served at /metrics. */
  metrics: Metrics;
  /** "For you" candidates as TF-IDF rows, shared by every reader (services/recs-candidates.ts). */
  recsCandidates: RecsCandidateCache;
  close(): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export type ArxivLookup = (arxivId: string) => Promise<PaperRecord | null>;

const systemClock: Clock = { now: () => new Date() };

interface AppParts {
  config: Readonly<Config>;
  db: Db;
  /** Default: a pooled transport from config.smtpUrl, or null. */
  mailer?: Mailer | null;
  clock?: Clock;
  /** Default: arXiv's API when config.arxivLookup is on, else null. */
  arxivLookup?: ArxivLookup | null;
  log?: Logger;
}

/**
 * arXiv's API as a look-up for someone waiting (a submission): fails in seconds when arXiv cannot
 * be reached (INTERACTIVE_LOOKUP), so the person hears what to do instead of waiting minutes.
 * `baseUrl` is for tests (a local server, a closed port).
 */
export function interactiveArxivLookup(baseUrl?: string): ArxivLookup {
  return (id) => fetchPaperById(id, { ...INTERACTIVE_LOOKUP, ...(baseUrl ? { baseUrl } : {}) });
}

/**
 * Assemble an App from its parts; what is not given comes from the configuration.
 *
 * The log writes each line to stdout as it is logged (pino's sync destination). Its default, an
 * asynchronous buffer, loses or reorders the last lines of a stopping process: its flush(cb)
 * calls back before a write in flight has finished, and exit then writes the rest around it
 * (test/ops/shutdown.test.ts saw 'job done' after 'stopped'). A line per request costs one
 * write(2), a few microseconds.
 */
export function buildApp(parts: AppParts): App {
  const { config, db } = parts;
  const log = parts.log ?? pino({ level: config.logLevel }, pino.destination({ dest: 1, sync: true }));
  const clock = parts.clock ?? systemClock;
  const search = new SearchState();
  const contentVersion = new ContentVersion(db);
  const metrics = new Metrics({ db, clock, contentVersion, search });
  db.events.onQuery = (e) => metrics.observeQuery(e);
  db.events.onBusyWait = () => metrics.dbBusyWaits.inc();
  const plainMailer = parts.mailer !== undefined ? parts.mailer : createMailer(config);
  const mailer = plainMailer ? metrics.instrumentMailer(plainMailer) : null;
  const app: App = {
    config,
    db,
    mailer,
    clock,
    search,
    contentVersion,
    arxivLookup:
      parts.arxivLookup !== undefined ? parts.arxivLookup : config.arxivLookup ? interactiveArxivLookup() : null,
    log,
    health: new HealthState(),
    metrics,
    recsCandidates: new RecsCandidateCache(),
    async close() {
      mailer?.close();
      await db.close();
    },
  };
  return app;
}

/** Open the configured database; with `migrate`, bring the schema up to date first. */
export async function openApp(opts: { migrate?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<App> {
  const config = loadConfig(opts.env);
  const db = openDb(config.database);
  if (opts.migrate) await migrateToLatest(db);
  return buildApp({ config, db });
}

/** The server refuses to run on a stale schema: old code on a new schema, or the reverse, corrupts data. */
export async function assertSchemaCurrent(db: Db): Promise<void> {
  const pending = await pendingMigrations(db);
  if (pending.length > 0) {
    throw new Error(
      `db: ${pending.length} migration(s) pending (${pending.join(', ')}). Fix: run \`paperboy migrate\`.`,
    );
  }
}
