import type { LogEvent } from 'kysely';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../app.js';
import type { Db } from '../db/open.js';
import type { Mailer } from '../mail/transport.js';
import { opsSnapshot } from '../store/ops-metrics-store.js';
import type { ContentVersion } from './content-version.js';
import { HttpRequestMetrics } from './http-metrics.js';
import { WORKER_STALE_MS } from './readiness.js';
import type { SearchState } from './search.js';

/**
 * The process's Prometheus metrics (App.metrics; served at /metrics in the text format). Counters
 * of what this process did (requests, job attempts, SMTP replies, searches, queries) are counted
 * as it happens; what the site holds (jobs by state, the outbox, imports, backups, workers) is
 * read from the database at each scrape, so any web process reports the whole site.
 *
 * Labels are bounded: a route is the route table's path (`/papers/*`), never the raw URL.
 *
 * @example
 * app.metrics.http.record('GET', '/', 200, 0.0004);
 * const text = await app.metrics.render();
 */
/** Request latency buckets, in seconds: a cached page takes well under a millisecond, a search tens. */
const HTTP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SEARCH_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const QUERY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];
/** Error codes that mean "another connection held the lock too long": SQLite's busy, PostgreSQL's lock waits. */
const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', '55P03', '40P01', '40001']);
const READ_SQL = /^\s*(select|with|pragma)\b/i;

/** What the page cache exposes (http/cache.ts's ResponseCache). */
export interface CacheStatsSource {
  readonly stats: { hits: number; staleHits: number; misses: number; evictions: number; refreshes: number };
  readonly size: number;
  readonly byteSize: number;
}

export interface MetricsSources {
  db: Db;
  clock: Clock;
  contentVersion: ContentVersion;
  search: SearchState;
}

export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  /** Requests answered and their latency, counted per request (services/http-metrics.ts). */
  readonly http: HttpRequestMetrics;
  readonly jobAttempts: Counter<'type' | 'outcome'>;
  readonly smtpResponses: Counter<'class'>;
  readonly searchDuration: Histogram<'mode'>;
  readonly dbQueryDuration: Histogram<'kind'>;
  readonly dbBusy: Counter<'code'>;
  readonly dbBusyWaits: Counter;
  private readonly cacheRequests: Counter<'result'>;
  private readonly cacheEvictions: Counter;
  private readonly cacheRefreshes: Counter;
  private readonly cacheInvalidations: Counter<'kind'>;
  private readonly cacheBytes: Gauge;
  private readonly cacheEntries: Gauge;
  private readonly jobs: Gauge<'type' | 'state'>;
  private readonly deadLetters: Gauge;
  private readonly oldestQueued: Gauge<'type'>;
  private readonly outbox: Gauge<'status'>;
  private readonly importRecords: Counter<'source' | 'outcome'>;
  private readonly backupLast: Gauge;
  private readonly backupAge: Gauge;
  private readonly workers: Gauge;
  private readonly heartbeatAge: Gauge;
  private readonly searchLoaded: Gauge;
  private readonly searchAge: Gauge;
  private readonly pool: Gauge<'state'>;
  private readonly scrapeErrors: Counter;
  private cache: CacheStatsSource | null = null;
  private processMetrics = false;

  constructor(private readonly src: MetricsSources) {
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'paperboy_http_requests_total',
      help: 'HTTP requests answered, by route-table entry (not raw URL), method and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.http = new HttpRequestMetrics(
      this.registry,
      this.httpRequests,
      'paperboy_http_request_duration_seconds',
      'Time from request to response, by route-table entry, method and status',
      HTTP_BUCKETS,
    );
    this.cacheRequests = new Counter({
      name: 'paperboy_page_cache_requests_total',
      help: 'Anonymous requests of cacheable routes: hit (fresh), stale (served while refreshing), miss (rendered)',
      labelNames: ['result'],
      registers,
    });
    this.cacheEvictions = new Counter({
      name: 'paperboy_page_cache_evictions_total',
      help: 'Entries dropped to stay under the byte limit',
      registers,
    });
    this.cacheRefreshes = new Counter({
      name: 'paperboy_page_cache_refreshes_total',
      help: 'Background renders of stale entries',
      registers,
    });
    this.cacheInvalidations = new Counter({
      name: 'paperboy_page_cache_invalidations_total',
      help: 'Changes that made cached pages stale: one paper, everything, or a change seen from another process',
      labelNames: ['kind'],
      registers,
    });
    this.cacheBytes = new Gauge({ name: 'paperboy_page_cache_bytes', help: 'Bytes held by the page cache', registers });
    this.cacheEntries = new Gauge({
      name: 'paperboy_page_cache_entries',
      help: 'Responses held by the page cache',
      registers,
    });
    this.jobs = new Gauge({
      name: 'paperboy_jobs',
      help: 'Jobs in the queue by type and state (queued, running, done, failed = waiting to retry, dead)',
      labelNames: ['type', 'state'],
      registers,
    });
    this.deadLetters = new Gauge({
      name: 'paperboy_jobs_dead_letters',
      help: 'Jobs that used all their attempts and wait for a person (paperboy jobs retry, or the admin console)',
      registers,
    });
    this.oldestQueued = new Gauge({
      name: 'paperboy_job_oldest_queued_age_seconds',
      help: 'Age of the oldest due job not yet claimed, by type (0 when none waits)',
      labelNames: ['type'],
      registers,
    });
    this.jobAttempts = new Counter({
      name: 'paperboy_job_attempts_total',
      help: 'Job attempts finished by this process: done, retry (failed, will run again) or dead',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.outbox = new Gauge({
      name: 'paperboy_digest_outbox',
      help: 'Digest mails by outbox status (pending, sending, sent, empty, failed, cancelled)',
      labelNames: ['status'],
      registers,
    });
    this.smtpResponses = new Counter({
      name: 'paperboy_smtp_responses_total',
      help: 'SMTP replies to sends from this process by class: 2xx, 4xx (temporary), 5xx (permanent), connection (no reply)',
      labelNames: ['class'],
      registers,
    });
    this.importRecords = new Counter({
      name: 'paperboy_import_records_total',
      help: 'Records of imports and harvests (every process, from import_runs) by source and outcome',
      labelNames: ['source', 'outcome'],
      registers,
    });
    this.searchDuration = new Histogram({
      name: 'paperboy_search_duration_seconds',
      help: 'Search time by mode (keyword, semantic, hybrid)',
      labelNames: ['mode'],
      buckets: SEARCH_BUCKETS,
      registers,
    });
    this.dbQueryDuration = new Histogram({
      name: 'paperboy_db_query_duration_seconds',
      help: 'Database statement time by kind (read, write); on SQLite, writes include waiting for the write lock',
      labelNames: ['kind'],
      buckets: QUERY_BUCKETS,
      registers,
    });
    this.dbBusy = new Counter({
      name: 'paperboy_db_busy_errors_total',
      help: 'Statements that failed waiting for a lock (SQLITE_BUSY after busy_timeout; PostgreSQL lock, deadlock, serialization errors)',
      labelNames: ['code'],
      registers,
    });
    this.dbBusyWaits = new Counter({
      name: 'paperboy_db_busy_waits_total',
      help: "SQLite: pauses of a statement for another connection's write lock (each retried asynchronously)",
      registers,
    });
    this.pool = new Gauge({
      name: 'paperboy_db_pool_connections',
      help: 'PostgreSQL pool connections: total, idle, and callers waiting for one (absent on SQLite)',
      labelNames: ['state'],
      registers,
    });
    this.backupLast = new Gauge({
      name: 'paperboy_backup_last_success_timestamp_seconds',
      help: 'When the last good backup finished (Unix time; 0 when none)',
      registers,
    });
    this.backupAge = new Gauge({
      name: 'paperboy_backup_age_seconds',
      help: 'Age of the last good backup (-1 when none)',
      registers,
    });
    this.workers = new Gauge({
      name: 'paperboy_workers',
      help: 'Job workers whose heartbeat is recent',
      registers,
    });
    this.heartbeatAge = new Gauge({
      name: 'paperboy_worker_heartbeat_age_seconds',
      help: 'Age of the most recent worker heartbeat (-1 when no worker ever beat)',
      registers,
    });
    this.searchLoaded = new Gauge({
      name: 'paperboy_search_index_loaded',
      help: '1 when this process holds a built search index',
      registers,
    });
    this.searchAge = new Gauge({
      name: 'paperboy_search_index_age_seconds',
      help: "Age of this process's search index (-1 when not built)",
      registers,
    });
    this.scrapeErrors = new Counter({
      name: 'paperboy_metrics_scrape_errors_total',
      help: 'Scrapes whose database part failed (the rest is still reported)',
      registers,
    });
  }

  /** The page cache this process's server uses (buildServer calls it). */
  attachCache(cache: CacheStatsSource): void {
    this.cache = cache;
  }

  /** Count a query's time and lock failures (the Db's query hook). */
  observeQuery(e: LogEvent): void {
    if (e.level === 'error') {
      const err = e.error as { code?: string; name?: string } | undefined;
      const code = err?.name === 'DatabaseBusyError' ? 'SQLITE_BUSY' : err?.code;
      if (code && BUSY_CODES.has(code)) this.dbBusy.inc({ code });
    }
    this.dbQueryDuration.observe({ kind: READ_SQL.test(e.query.sql) ? 'read' : 'write' }, e.queryDurationMillis / 1000);
  }

  /** Count SMTP replies of a mailer's sends by class. */
  instrumentMailer(mailer: Mailer): Mailer {
    const counter = this.smtpResponses;
    // Methods are called on the original (it may be a class instance, whose methods a spread would lose).
    return {
      from: mailer.from,
      verify: mailer.verify ? () => mailer.verify!() : undefined,
      close: () => mailer.close(),
      async send(mail) {
        try {
          const sent = await mailer.send(mail);
          counter.inc({ class: /^\d/.test(sent.response) ? `${sent.response[0]}xx` : '2xx' });
          return sent;
        } catch (err) {
          const code = (err as { responseCode?: number }).responseCode;
          counter.inc({ class: typeof code === 'number' ? `${String(code)[0]}xx` : 'connection' });
          throw err;
        }
      },
    };
  }

  private setCounter<L extends string>(c: Counter<L>, value: number, labels?: Partial<Record<L, string>>): void {
    // Totals kept elsewhere (the cache's own counters, the database) are copied in at each scrape.
    if (labels) {
      c.remove(labels);
      c.inc(labels, value);
    } else {
      c.reset();
      c.inc(value);
    }
  }

  private async fromDatabase(now: Date): Promise<void> {
    const snap = await opsSnapshot(this.src.db, now.toISOString());
    this.jobs.reset();
    let dead = 0;
    for (const j of snap.jobs) {
      this.jobs.set({ type: j.type, state: j.state }, j.n);
      if (j.state === 'dead') dead += j.n;
    }
    this.deadLetters.set(dead);
    this.oldestQueued.reset();
    for (const j of snap.jobs) this.oldestQueued.set({ type: j.type }, 0);
    for (const o of snap.oldestDue)
      this.oldestQueued.set({ type: o.type }, Math.max(0, (now.getTime() - Date.parse(o.runAt)) / 1000));
    this.outbox.reset();
    for (const o of snap.outbox) this.outbox.set({ status: o.status }, o.n);
    for (const i of snap.imports)
      for (const outcome of ['read', 'inserted', 'updated', 'unchanged', 'rejected'] as const)
        this.setCounter(this.importRecords, i[outcome], { source: i.source, outcome });
    if (snap.lastBackupAt) {
      const at = Date.parse(snap.lastBackupAt);
      this.backupLast.set(at / 1000);
      this.backupAge.set(Math.max(0, (now.getTime() - at) / 1000));
    } else {
      this.backupLast.set(0);
      this.backupAge.set(-1);
    }
    const ages = snap.heartbeats.map((b) => (now.getTime() - Date.parse(b)) / 1000);
    this.heartbeatAge.set(ages.length > 0 ? Math.max(0, Math.min(...ages)) : -1);
    // The same limit as /readyz: three missed heartbeats.
    this.workers.set(ages.filter((a) => a * 1000 <= WORKER_STALE_MS).length);
  }

  /** The metrics in Prometheus's text format. */
  async render(): Promise<string> {
    if (!this.processMetrics) {
      // Started on the first scrape, not per App: tests build many Apps that are never scraped.
      collectDefaultMetrics({ register: this.registry });
      this.processMetrics = true;
    }
    const now = this.src.clock.now();
    this.http.copyCounts();
    const c = this.cache;
    if (c) {
      this.setCounter(this.cacheRequests, c.stats.hits, { result: 'hit' });
      this.setCounter(this.cacheRequests, c.stats.staleHits, { result: 'stale' });
      this.setCounter(this.cacheRequests, c.stats.misses, { result: 'miss' });
      this.setCounter(this.cacheEvictions, c.stats.evictions);
      this.setCounter(this.cacheRefreshes, c.stats.refreshes);
      this.cacheBytes.set(c.byteSize);
      this.cacheEntries.set(c.size);
    }
    const changes = this.src.contentVersion.changes;
    for (const kind of ['paper', 'everything', 'remote'] as const)
      this.setCounter(this.cacheInvalidations, changes[kind], { kind });
    const pool = this.src.db.poolStats();
    if (pool) for (const [state, n] of Object.entries(pool)) this.pool.set({ state }, n);
    const loadedAt = this.src.search.loadedAt;
    this.searchLoaded.set(loadedAt ? 1 : 0);
    this.searchAge.set(loadedAt ? (now.getTime() - loadedAt.getTime()) / 1000 : -1);
    try {
      await this.fromDatabase(now);
    } catch {
      this.scrapeErrors.inc();
    }
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
