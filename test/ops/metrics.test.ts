import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import type { ImportSummary } from '../../src/ingest/import-runner.js';
import { enqueueJob } from '../../src/jobs/queue.js';
import { recordedImport } from '../../src/services/import-runs.js';
import { searchPapers } from '../../src/services/search.js';
import { setVote } from '../../src/services/votes.js';
import { claimNextJob, markJobFailed } from '../../src/store/job-store.js';
import { type TestApp, testApp } from '../helpers/app.js';
import { makePapers, makeUser } from '../helpers/community.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { startTestSmtp } from '../helpers/smtp.js';

const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample line `name{labels} value`, labels given in any order; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

/** Every metric name a PromQL expression reads, histogram series folded to their family. */
function metricNames(expr: string): string[] {
  const names = expr.match(/\b(?:paperboy|process|nodejs)_[a-z0-9_]+/g) ?? [];
  return [...new Set(names.map((n) => n.replace(/_(bucket|count|sum)$/, '')))];
}

describe.each(TEST_DIALECTS)('/metrics on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let server: FastifyInstance;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    app = testApp(db, { METRICS_TOKEN: TOKEN });
    server = await buildServer(app);
  });
  afterEach(async () => {
    await server?.close();
    await app?.close();
    await db?.drop();
  });

  const scrape = async () => {
    const res = await server.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.body;
  };

  it('answers only the bearer of METRICS_TOKEN, and is off (404) without one', async () => {
    expect((await server.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = await server.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    expect(wrong.statusCode).toBe(401);
    const off = await buildServer(testApp(db));
    const res = await off.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('METRICS_TOKEN');
    await off.close();
  });

  it('counts requests by route-table entry and status, never by raw URL, and the page cache', async () => {
    await makePapers(db, ['2501.00001', '2501.00002']);
    for (let i = 0; i < 3; i++) expect((await server.inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
    await server.inject({ method: 'GET', url: '/papers/2501.00001' });
    await server.inject({ method: 'GET', url: '/papers/2501.99999' });
    await server.inject({ method: 'GET', url: '/no/such/page' });
    const text = await scrape();
    expect(sample(text, 'paperboy_http_requests_total', { method: 'GET', route: '/', status: '200' })).toBe(3);
    expect(sample(text, 'paperboy_http_requests_total', { route: '/papers/*', status: '200' })).toBe(1);
    expect(sample(text, 'paperboy_http_requests_total', { route: '/papers/*', status: '404' })).toBe(1);
    expect(sample(text, 'paperboy_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
    expect(text).not.toContain('2501.00001');
    expect(text).not.toContain('/no/such/page');
    expect(
      sample(text, 'paperboy_http_request_duration_seconds_count', { route: '/', method: 'GET', status: '200' }),
    ).toBe(3);
    // The first anonymous `/` rendered, the next two came from the cache.
    expect(sample(text, 'paperboy_page_cache_requests_total', { result: 'miss' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'paperboy_page_cache_requests_total', { result: 'hit' })).toBe(2);
    expect(sample(text, 'paperboy_page_cache_entries')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'paperboy_page_cache_bytes')).toBeGreaterThan(1000);
  });

  it('reports invalidations, searches by mode, database queries and process metrics', async () => {
    const [paper] = await makePapers(db, ['2501.00003']);
    const ada = await makeUser(app, 'ada');
    await setVote(app, ada, paper, true);
    await searchPapers(app, { q: 'anything', mode: 'keyword', limit: 5, offset: 0 });
    const text = await scrape();
    expect(sample(text, 'paperboy_page_cache_invalidations_total', { kind: 'paper' })).toBe(1);
    expect(sample(text, 'paperboy_search_duration_seconds_count', { mode: 'keyword' })).toBe(1);
    expect(sample(text, 'paperboy_search_index_loaded')).toBe(1);
    expect(sample(text, 'paperboy_db_query_duration_seconds_count', { kind: 'write' })).toBeGreaterThan(0);
    expect(sample(text, 'paperboy_db_query_duration_seconds_count', { kind: 'read' })).toBeGreaterThan(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    if (dialect === 'postgres')
      expect(sample(text, 'paperboy_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
  });

  it('reports the job queue by type and state, dead letters and the oldest due job', async () => {
    const now = app.clock.now();
    const old = new Date(now.getTime() - 120_000);
    await enqueueJob(db, 'prune-jobs', { keepDays: 14 }, { runAt: old, now: old });
    await enqueueJob(db, 'prune-jobs', { keepDays: 15 }, { runAt: new Date(now.getTime() + 3_600_000), now });
    const dead = await enqueueJob(
      db,
      'import-file',
      { format: 'kaggle', files: ['/nonexistent'] },
      { maxAttempts: 1, runAt: old, now: old },
    );
    const claimed = await claimNextJob(db, {
      workerId: 'w',
      now: now.toISOString(),
      leaseUntil: new Date(now.getTime() + 60_000).toISOString(),
      types: ['import-file'],
    });
    expect(claimed?.id).toBe(dead.id);
    await markJobFailed(db, dead.id, 'w', { error: 'boom', now: now.toISOString(), retryAt: null });
    const text = await scrape();
    expect(sample(text, 'paperboy_jobs', { type: 'prune-jobs', state: 'queued' })).toBe(2);
    expect(sample(text, 'paperboy_jobs', { type: 'import-file', state: 'dead' })).toBe(1);
    expect(sample(text, 'paperboy_jobs_dead_letters')).toBe(1);
    // The future job does not count as waiting; the one due two minutes ago does.
    const age = sample(text, 'paperboy_job_oldest_queued_age_seconds', { type: 'prune-jobs' })!;
    expect(age).toBeGreaterThanOrEqual(119);
    expect(age).toBeLessThan(200);
  });

  it('sums import and harvest records by source and outcome from every run', async () => {
    const summary = (read: number, rejected: number): ImportSummary => ({
      read,
      inserted: read - rejected,
      updated: 0,
      unchanged: 0,
      rejected,
      rejects: Array.from({ length: rejected }, (_, i) => ({ file: 'a.json', line: i + 1, reason: 'no id' })),
      files: 1,
    });
    await recordedImport(app, 'kaggle', 'cli', async () => summary(10, 2));
    await recordedImport(app, 'kaggle', 'job', async () => summary(5, 1));
    await expect(
      recordedImport(app, 'oai', 'job', async () => {
        throw new Error('arXiv said 503');
      }),
    ).rejects.toThrow('503');
    const text = await scrape();
    expect(sample(text, 'paperboy_import_records_total', { source: 'kaggle', outcome: 'read' })).toBe(15);
    expect(sample(text, 'paperboy_import_records_total', { source: 'kaggle', outcome: 'rejected' })).toBe(3);
    expect(sample(text, 'paperboy_import_records_total', { source: 'kaggle', outcome: 'inserted' })).toBe(12);
    const runs = await db.kysely.selectFrom('import_runs').selectAll().orderBy('id').execute();
    expect(runs.map((r) => r.status)).toEqual(['done', 'done', 'failed']);
    expect(JSON.parse(runs[0].rejects!)).toEqual([
      { place: 'a.json:1', reason: 'no id' },
      { place: 'a.json:2', reason: 'no id' },
    ]);
    expect(runs[2].error).toContain('503');
  });

  it('has every metric the Grafana dashboard plots', async () => {
    const dashboard = JSON.parse(fs.readFileSync('docs/grafana-dashboard.json', 'utf8')) as {
      panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
    };
    const text = await scrape();
    const families = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    const plotted = dashboard.panels.flatMap((p) =>
      (p.targets ?? []).flatMap((t) => metricNames(t.expr).map((name) => ({ panel: p.title, name }))),
    );
    expect(plotted.length).toBeGreaterThan(25);
    const missing = plotted.filter((p) => !families.has(p.name));
    expect(missing).toEqual([]);
  });
});

describe('SMTP reply classes', () => {
  it('counts a real SMTP server’s 2xx replies and a refused connection', async () => {
    const db = await createTestDb('sqlite');
    const smtp = await startTestSmtp();
    try {
      const app = testApp(db, { SMTP_URL: smtp.smtpUrl });
      await app.mailer!.send({ to: 'a@example.org', subject: 'hello', text: 'hi' });
      await smtp.close();
      const refused = testApp(db, { SMTP_URL: smtp.smtpUrl });
      await expect(refused.mailer!.send({ to: 'a@example.org', subject: 'again', text: 'hi' })).rejects.toThrow();
      const ok = await app.metrics.render();
      expect(sample(ok, 'paperboy_smtp_responses_total', { class: '2xx' })).toBe(1);
      const bad = await refused.metrics.render();
      expect(sample(bad, 'paperboy_smtp_responses_total', { class: 'connection' })).toBe(1);
      await app.close();
      await refused.close();
    } finally {
      await db.drop();
    }
  });
});
