import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS } from '../../src/http/server.js';
import { enqueueJob } from '../../src/jobs/queue.js';
import { SHUTDOWN_DEADLINE_MS } from '../../src/lib/shutdown.js';
import { getJob } from '../../src/store/job-store.js';
import { buildCliForTests, removeCliBuild } from '../helpers/cli-build.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import {
  childEnv,
  logLines,
  type ServeChild,
  spawnCli,
  startServe,
  stopServe,
  UNANSWERED_NEW,
  type VoteTry,
  voteBurst,
  votingSetup,
} from '../helpers/serve-child.js';

/**
 * Issue #16's graceful life, on the real `paperboy serve` process: SIGTERM in the middle of a vote
 * burst. Every request either gets its answer or finds the port closed (a refused connection,
 * which a client knows was never sent): no connection the server had accepted is reset, so no
 * client is left not knowing whether its vote counted. The database then holds exactly the votes
 * acknowledged, and the process exits 0 well inside SHUTDOWN_DEADLINE_MS, with its last log line
 * written.
 *
 * One reset is inherent to TCP, not to the server: a connection that completed its handshake in
 * the kernel just before the listening socket closed is reset by the kernel, and its client may
 * already have sent its vote on it (http/drain.ts; it met a vote in 6 of 20 runs of this test on a
 * loaded machine, always on SQLite, whose synchronous writes keep the event loop from accepting).
 * The client tells it apart (UNANSWERED_NEW in test/helpers/serve-child.ts: the request was its
 * connection's first, and no byte of an answer came) and counts it as not sent, because it was not:
 * the server exited 0, so it cut no connection it had accepted, and this one it never accepted
 * (test/ops/drain.test.ts shows the kernel resetting such a connection unseen). The voter then
 * retries the vote, as a client should (an upvote is idempotent): the retry is answered on a
 * keep-alive connection the server still holds, or refused. When it is refused, the exact
 * comparison with the database below fails if the reset vote was counted all the same. A reset on
 * a reused connection, an error answer, or any acknowledged vote missing still fails the test.
 */
const VOTERS = 20;
const PAPERS = 200;
/** Votes acknowledged before the signal: the burst is well under way. */
const ACKED_BEFORE_SIGNAL = 300;

let cli: string;
beforeAll(() => {
  cli = buildCliForTests();
});
afterAll(() => removeCliBuild(cli));

describe.each(TEST_DIALECTS)('SIGTERM during a vote burst on %s', (dialect) => {
  let db: TestDb;
  let serve: ServeChild | undefined;
  afterEach(async () => {
    await stopServe(serve);
    await db?.drop();
  });

  it('answers or refuses every request, loses no acknowledged vote, exits 0', { timeout: 120_000 }, async () => {
    db = await createTestDb(dialect);
    const { tokens, arxivIds, paperIds, userIds } = await votingSetup(db, VOTERS, PAPERS);
    // SQLite's default runs the job worker in the same process: it is stopped too.
    serve = await startServe(cli, childEnv(db));
    const proc = serve;
    let acked = 0;
    let signalledAt = 0;
    const burst = voteBurst(serve.base, tokens, arxivIds, (t: VoteTry) => {
      if (t.outcome === 'acked') acked++;
      if (acked >= ACKED_BEFORE_SIGNAL && !signalledAt) {
        signalledAt = performance.now();
        proc.child.kill('SIGTERM');
      }
    });
    const tries = await burst;
    const exit = await serve.exited;
    const stoppedIn = performance.now() - signalledAt;

    expect(signalledAt, 'the signal was sent mid-burst').toBeGreaterThan(0);
    const failed = tries.filter((t) => !['acked', 'refused', UNANSWERED_NEW].includes(t.outcome));
    expect(failed, 'no reset of an accepted connection, no error answer').toEqual([]);
    // Every voter ended on a refused connection, not by running out of papers.
    expect(tries.filter((t) => t.outcome === 'refused').length).toBe(VOTERS);
    // A connection reset in the listening socket's queue: only once the stop began, and the same
    // voter's retry of that vote was answered or refused (the database is compared below).
    const unsent = tries.filter((u) => u.outcome === UNANSWERED_NEW);
    // Said in the log, so how often the inherent window is met stays visible (in CI's output too).
    if (unsent.length) console.info(`${dialect}: ${unsent.length} vote(s) reset in the listening socket's queue`);
    for (const t of unsent) {
      const story = JSON.stringify({ signalledAt, voter: tries.filter((u) => u.voter === t.voter).slice(-4) });
      expect(t.end, `reset only once the stop began: ${story}`).toBeGreaterThan(signalledAt);
      const next = tries.find((u) => u.voter === t.voter && u.start >= t.end);
      expect(next?.paper, `retried: ${story}`).toBe(t.paper);
      expect(['acked', 'refused'], `retried: ${story}`).toContain(next?.outcome);
    }
    // Requests already on open connections when the signal came were answered, as closing.
    const drained = tries.filter((t) => t.closing);
    expect(drained.length).toBeGreaterThan(0);
    expect(drained.every((t) => t.outcome === 'acked' && t.end > signalledAt)).toBe(true);

    expect(exit, serve.output()).toEqual({ code: 0, signal: null });
    expect(stoppedIn).toBeLessThan(SHUTDOWN_DEADLINE_MS);
    // The logs were flushed: the last line says it stopped cleanly.
    expect(logLines(serve.output()).at(-1)?.msg).toBe('stopped');

    // Exactly the acknowledged votes are in the database, and the counters agree.
    const ackedKeys = new Set(
      tries.filter((t) => t.outcome === 'acked').map((t) => `${userIds[t.voter]}:${paperIds[t.paper]}`),
    );
    const votes = await db.kysely.selectFrom('votes').select(['user_id', 'paper_id']).execute();
    expect(new Set(votes.map((v) => `${v.user_id}:${v.paper_id}`))).toEqual(ackedKeys);
    const papers = await db.kysely.selectFrom('papers').select(['id', 'upvotes']).execute();
    const perPaper = new Map<number, number>();
    for (const v of votes) perPaper.set(v.paper_id, (perPaper.get(v.paper_id) ?? 0) + 1);
    for (const p of papers) expect(p.upvotes, `paper ${p.id}`).toBe(perPaper.get(p.id) ?? 0);
  });
});

describe.each(TEST_DIALECTS)('SIGTERM while the worker runs a job on %s', (dialect) => {
  let db: TestDb;
  let worker: Omit<ServeChild, 'base'> | undefined;
  afterEach(async () => {
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill('SIGKILL');
      await worker.exited;
    }
    await db?.drop();
  });

  it('finishes the running job, records it done, removes its heartbeat, exits 0', { timeout: 120_000 }, async () => {
    db = await createTestDb(dialect);
    const dir = path.resolve('demo/arxiv-listings');
    const files = fs
      .readdirSync(dir)
      .sort()
      .map((f) => path.join(dir, f));
    const job = await enqueueJob(db, 'import-file', { format: 'arxiv-listings', files });
    worker = spawnCli(cli, ['worker'], childEnv(db));
    for (let i = 0; (await getJob(db, job.id))?.state !== 'running'; i++) {
      if (i > 1200 || worker.child.exitCode !== null) throw new Error(`job never ran: ${worker.output()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    worker.child.kill('SIGTERM');
    const exit = await worker.exited;
    expect(exit, worker.output()).toEqual({ code: 0, signal: null });
    const done = await getJob(db, job.id);
    expect(done?.state).toBe('done');
    expect(done?.attempts).toBe(1);
    const papers = await db.kysely
      .selectFrom('papers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(papers.n)).toBeGreaterThan(0);
    // The signal came while the job ran: it was finished after the stop began, not dropped.
    const lines = logLines(worker.output());
    const stopping = lines.findIndex((l) => l.msg.startsWith('stopping'));
    expect(stopping).toBeGreaterThanOrEqual(0);
    const finished = lines.findIndex((l) => l.msg === 'job done' && l.job === job.id);
    expect(finished, worker.output()).toBeGreaterThan(stopping);
    expect(lines.at(-1)?.msg, worker.output()).toBe('stopped');
    expect(await db.kysely.selectFrom('worker_heartbeats').selectAll().execute()).toEqual([]);
  });
});

describe.runIf(TEST_DIALECTS.includes('sqlite'))('slow clients', () => {
  let db: TestDb;
  let serve: ServeChild | undefined;
  afterAll(async () => {
    await stopServe(serve);
    await db?.drop();
  });

  it('cuts off a client that trickles its headers (slowloris) at HEADERS_TIMEOUT_MS', { timeout: 60_000 }, async () => {
    db = await createTestDb('sqlite');
    serve = await startServe(cli, childEnv(db), ['--web-only']);
    const health = await fetch(`${serve.base}/healthz`);
    expect(health.headers.get('keep-alive')).toBe(`timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`);

    const { port } = new URL(serve.base);
    const socket = net.connect(Number(port), '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const t0 = performance.now();
    let answer = '';
    socket.on('data', (c) => (answer += c));
    socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // A header line every half second keeps the socket busy (no idle timeout) but never ends the headers.
    let n = 0;
    const trickle = setInterval(() => socket.writable && socket.write(`X-Slow-${n++}: 1\r\n`), 500);
    await new Promise((r) => socket.once('close', r));
    clearInterval(trickle);
    const heldMs = performance.now() - t0;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(heldMs).toBeGreaterThan(HEADERS_TIMEOUT_MS - 500);
    // Node checks every CONNECTION_CHECK_INTERVAL_MS (1 s); slack for a loaded machine.
    expect(heldMs).toBeLessThan(HEADERS_TIMEOUT_MS + 5_000);
  });
});
