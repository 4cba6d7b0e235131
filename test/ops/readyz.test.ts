import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/open.js';
import { buildServer } from '../../src/http/server.js';
import { startWorker, type Worker } from '../../src/jobs/queue.js';
import { WORKER_STALE_MS } from '../../src/services/readiness.js';
import { searchPapers } from '../../src/services/search.js';
import { silentLog, type TestApp, testApp } from '../helpers/app.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { startTestSmtp } from '../helpers/smtp.js';

interface ReadyBody {
  ready: boolean;
  problems: string[];
  checks: Record<string, { status: string; detail: string; [k: string]: unknown }>;
}

describe.each(TEST_DIALECTS)('/healthz and /readyz on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let server: FastifyInstance;
  let worker: Worker | null = null;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    app = testApp(db);
    server = await buildServer(app);
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
    await server?.close();
    await app?.close();
    await db?.drop();
  });

  const startTestWorker = () =>
    startWorker(app, { schedule: [], pollIntervalMs: 20, log: silentLog, now: () => app.clock.now() });

  async function readyz(): Promise<{ status: number; body: ReadyBody }> {
    const res = await server.inject({ method: 'GET', url: '/readyz' });
    expect(res.headers['cache-control']).toContain('no-store');
    return { status: res.statusCode, body: res.json() as ReadyBody };
  }

  it('is ready with a current schema and a running worker, and not ready once the worker stops', async () => {
    worker = startTestWorker();
    await worker.idle();
    const up = await readyz();
    expect(up.body.problems).toEqual([]);
    expect(up.status).toBe(200);
    expect(up.body.checks.database.status).toBe('ok');
    expect(up.body.checks.migrations.status).toBe('ok');
    expect(up.body.checks.worker).toMatchObject({ status: 'ok', workers: 1 });
    expect(up.body.checks.mail.detail).toMatch(/off/);

    await worker.stop();
    worker = null;
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body.ready).toBe(false);
    expect(down.body.checks.worker.status).toBe('fail');
    expect(down.body.problems.join('\n')).toMatch(/^worker: no job worker is running/m);
    // Liveness does not care: the process itself is fine.
    const live = await server.inject({ method: 'GET', url: '/healthz' });
    expect(live.statusCode).toBe(200);
  });

  // A PostgreSQL server that is down (nothing listens on port 1); SQLite is a file in the process.
  it.runIf(dialect === 'postgres')('stays alive (/healthz 200) with the database down, /readyz says so', async () => {
    const gone = openDb({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/test' });
    const goneApp = testApp(gone);
    const goneServer = await buildServer(goneApp);
    try {
      const live = await goneServer.inject({ method: 'GET', url: '/healthz' });
      expect(live.statusCode).toBe(200);
      const ready = await goneServer.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect((ready.json() as ReadyBody).checks.database.status).toBe('fail');
    } finally {
      await goneServer.close();
      await gone.close();
    }
  });

  it('is not ready when a worker stops beating (killed), by the heartbeat age', async () => {
    worker = startTestWorker();
    await worker.idle();
    expect((await readyz()).status).toBe(200);
    // The worker's clock stays; the readiness clock moves past the stale limit: as if it had died.
    const beatAt = (await db.kysely.selectFrom('worker_heartbeats').select('beat_at').executeTakeFirstOrThrow())
      .beat_at;
    await db.kysely
      .updateTable('worker_heartbeats')
      .set({ beat_at: new Date(Date.parse(beatAt) - WORKER_STALE_MS - 1000).toISOString() })
      .execute();
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body.checks.worker.detail).toMatch(/no job worker has reported for \d+ s/);
  });

  it('is not ready while a migration is pending, and says which and how to fix it', async () => {
    worker = startTestWorker();
    await worker.idle();
    const last = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(
      db.kysely,
    );
    const name = last.rows[0].name;
    await sql`delete from kysely_migration where name = ${name}`.execute(db.kysely);
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body.checks.migrations).toMatchObject({ status: 'fail', pending: [name] });
    expect(down.body.checks.migrations.detail).toContain('paperboy migrate');
  });

  it('reports the search index: not loaded, then loaded with its age', async () => {
    worker = startTestWorker();
    await worker.idle();
    expect((await readyz()).body.checks.search).toMatchObject({ status: 'ok', loaded: false });
    await searchPapers(app, { q: 'anything', mode: 'keyword', limit: 5, offset: 0 });
    app.advance(90_000);
    const r = await readyz();
    expect(r.body.checks.search).toMatchObject({ status: 'ok', loaded: true, ageSeconds: 90 });
  });

  it('is not ready when the configured SMTP server does not answer, and ready when it does', async () => {
    worker = startTestWorker();
    await worker.idle();
    const smtp = await startTestSmtp();
    try {
      const good = testApp(db, { SMTP_URL: smtp.smtpUrl });
      const goodServer = await buildServer(good);
      const ok = await goodServer.inject({ method: 'GET', url: '/readyz' });
      expect(ok.json().checks.mail.status).toBe('ok');
      expect(ok.statusCode).toBe(200);
      await goodServer.close();
      await good.close();
    } finally {
      await smtp.close();
    }
    // A port nothing listens on (the server just closed).
    const bad = testApp(db, { SMTP_URL: smtp.smtpUrl });
    const badServer = await buildServer(bad);
    const down = await badServer.inject({ method: 'GET', url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json().checks.mail.detail).toMatch(/SMTP server is unreachable/);
    await badServer.close();
    await bad.close();
  });
});

describe('request ids', () => {
  it('are in the x-request-id header, on the error page and in the JSON log lines', async () => {
    const db = await createTestDb('sqlite');
    const app = testApp(db);
    const lines: string[] = [];
    app.log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const server = await buildServer(app, { requestLog: true });
    try {
      const res = await server.inject({ method: 'GET', url: '/no/such/page' });
      expect(res.statusCode).toBe(404);
      const id = res.headers['x-request-id'] as string;
      expect(id).toMatch(/^[0-9a-f]{16}$/);
      expect(res.body).toContain(`Request id: <code>${id}</code>`);
      // What a reader reports from the error page finds its request in the log.
      const logged = lines.map((l) => JSON.parse(l) as { reqId?: string; res?: { statusCode: number } });
      expect(logged.some((l) => l.reqId === id && l.res?.statusCode === 404)).toBe(true);
      const other = await server.inject({ method: 'GET', url: '/healthz' });
      expect(other.headers['x-request-id']).not.toBe(id);
    } finally {
      await server.close();
      await db.drop();
    }
  });
});
