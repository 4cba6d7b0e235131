import { type ChildProcess, spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEND_CONCURRENCY } from '../../src/services/digests.js';
import { importSubscribersCsv } from '../../src/services/subscriptions.js';
import { outboxRowsFor } from '../../src/store/digest-store.js';
import { addReaderSignal } from '../../src/store/reader-signal-store.js';
import { insertUser } from '../../src/store/user-store.js';
import { TEST_SECRET, testApp } from '../helpers/app.js';
import { buildCliForTests, removeCliBuild } from '../helpers/cli-build.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { seedPapers } from '../helpers/digest-fixtures.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';

/**
 * The exactly-once acceptance test: real CLI processes sending through a real SMTP server are
 * SIGKILLed at random points (mid-enqueue, mid-send) and restarted; afterwards every subscriber
 * has exactly one digest for the period. Then two senders run at once on the next period.
 * SQLite gets the full 2,000 subscribers and 20 kills; PostgreSQL a smaller run, to stay bounded.
 */
const SIZES = { sqlite: { subscribers: 2000, kills: 20 }, postgres: { subscribers: 300, kills: 6 } } as const;
/**
 * A dead sender's digests are free for the next one after this. Short, so the loop stays quick, but
 * not shorter than a starved process may stall on a loaded two-core machine.
 */
const LEASE_SECONDS = '3';
const DAY = '2026-06-16';
/** A kill by messages comes after 1 to this many accepted messages. */
const MAX_MESSAGES_BEFORE_KILL = 60;
/** A kill by time comes this long after start at most (start-up, enqueue and claiming included). */
const MAX_MS_BEFORE_KILL = 2500;
/** The sink's delay per message while kills remain: 10 in flight × this keeps a sender busy past MAX_MS_BEFORE_KILL. */
const SLOW_SINK_MS = 100;
const NEXT_DAY = '2026-06-17';

let cli: string;
beforeAll(() => {
  cli = buildCliForTests();
});
afterAll(() => removeCliBuild(cli));

function csv(n: number): string {
  // One paper each: the day's other papers are left for the "For you" sections.
  const lines = ['email,frequency,topics,count'];
  for (let i = 0; i < n; i++) lines.push(`reader${i}@example.org,daily,,1`);
  return `${lines.join('\n')}\n`;
}

/** Every this-many-th subscriber has a verified account following cs.LG: a "For you" section. */
const ACCOUNT_EVERY = 10;

/** The accounts (no password: they only need to exist and be verified) and their follow. */
async function addAccounts(db: TestDb, n: number): Promise<number> {
  let made = 0;
  for (let i = 0; i < n; i += ACCOUNT_EVERY) {
    const u = await insertUser(db, {
      username: `reader${i}`,
      email: `reader${i}@example.org`,
      passwordHash: null,
      emailVerified: true,
      createdAt: '2026-06-01T00:00:00.000Z',
    });
    await addReaderSignal(db, u.id, 'follow_category', 'cs.LG', 'cs.LG', '2026-06-01T00:00:00.000Z');
    made++;
  }
  return made;
}

function startSender(
  db: TestDb,
  sink: SmtpSink,
  day: string,
): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>;
} {
  const child = spawn(
    process.execPath,
    [cli, 'digest', 'send', '--date', day, '--lease-seconds', LEASE_SECONDS, '--retry-base-seconds', '0.05', '--json'],
    {
      env: {
        ...process.env,
        ...db.env,
        SMTP_URL: sink.url,
        SECRET_KEY: TEST_SECRET,
        BASE_URL: 'https://papers.example.org',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c) => (stdout += c));
  child.stderr!.on('data', (c) => (stderr += c));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

describe.each(TEST_DIALECTS)(
  'exactly one digest per subscriber despite SIGKILLs and parallel senders (%s)',
  (dialect) => {
    it('survives random kills, then two senders at once', { timeout: 600_000 }, async () => {
      const size = SIZES[dialect];
      const db = await createTestDb(dialect);
      const sink = await startSmtpSink({ headersOnly: true });
      try {
        const app = testApp(db);
        await seedPapers(db, [
          {
            arxivId: '2606.30001',
            title: 'A paper for everyone',
            categories: ['cs.LG'],
            upvotes: 10,
            day: '2026-06-15',
            featured: true,
          },
          {
            arxivId: '2606.30002',
            title: 'Tuesday paper',
            categories: ['cs.LG'],
            upvotes: 10,
            day: DAY,
            featured: true,
          },
          // Published, not featured, fewer upvotes: what the "For you" sections recommend.
          ...['2026-06-15', DAY].flatMap((day, d) =>
            [1, 2, 3].map((k) => ({
              arxivId: `2606.3100${d}${k}`,
              title: `Sparse optimisers for learning, part ${k}`,
              categories: ['cs.LG'],
              upvotes: 0,
              day,
            })),
          ),
        ]);
        expect((await importSubscribersCsv(app, Readable.from([csv(size.subscribers)]))).inserted).toBe(
          size.subscribers,
        );
        const accounts = await addAccounts(db, size.subscribers);

        let kills = 0;
        let lives = 0;
        const killedAt: string[] = [];
        // A kill's duplicate shows up in the NEXT run, which resends the row after the lease.
        const dupsByMode = { delivery: 0, time: 0 };
        let previousKill: 'delivery' | 'time' | null = null;
        const distinct = () => new Set(sink.mails.map((m) => m.headers['message-id'])).size;
        for (let finished = false; !finished; ) {
          lives++;
          const before = sink.mails.length;
          const { child, done } = startSender(db, sink, DAY);
          // Mostly kill after a random number of accepted messages (mid-send); sometimes at a random
          // moment (start-up, enqueue, claiming). Once enough kills happened, let it finish.
          const byMessages = Math.random() < 0.5;
          // Every planned kill must find work left: message targets share out what is unsent, and
          // while kills remain the sink answers slowly enough that a sender outlives a time target
          // (on a fast machine a whole PostgreSQL run took less than the 2.5 s a time target may wait).
          const unsent = size.subscribers - distinct();
          const messageRoom = Math.max(
            1,
            Math.min(MAX_MESSAGES_BEFORE_KILL, Math.floor(unsent / (size.kills - kills + 1))),
          );
          const target = byMessages
            ? 1 + Math.floor(Math.random() * messageRoom)
            : Math.floor(Math.random() * MAX_MS_BEFORE_KILL);
          sink.behaviour.delayMs = kills < size.kills ? SLOW_SINK_MS : 0;
          const started = Date.now();
          let killed = false;
          const killer = setInterval(() => {
            if (kills >= size.kills || killed) return;
            const due = byMessages ? sink.mails.length - before >= target : Date.now() - started >= target;
            if (due && child.exitCode === null && child.signalCode === null) {
              child.kill('SIGKILL');
              killed = true;
              kills++;
              killedAt.push(byMessages ? `after ${sink.mails.length - before} msgs` : `at ${target} ms`);
            }
          }, 2);
          const dupsBefore = sink.mails.length - distinct();
          const r = await done;
          clearInterval(killer);
          if (previousKill) dupsByMode[previousKill] += sink.mails.length - distinct() - dupsBefore;
          previousKill = killed ? (byMessages ? 'delivery' : 'time') : null;
          if (r.signal !== 'SIGKILL') {
            expect(r.code, r.stderr).toBe(0);
            finished = true;
          }
          if (lives > size.kills * 3) throw new Error('sender never finished');
        }
        expect(kills).toBe(size.kills);

        const rows = await outboxRowsFor(db, { periodKey: `daily:${DAY}` }, size.subscribers + 1);
        expect(rows).toHaveLength(size.subscribers);
        expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
        // The account holders' digests carry their section, decided once at enqueue (kills included).
        const personal = rows.filter((r) => r.for_you !== null);
        expect(personal).toHaveLength(accounts);
        for (const r of personal) expect(JSON.parse(r.for_you!).length).toBeGreaterThan(0);
        const ids = new Map<string, Set<string>>();
        for (const m of sink.mails) {
          const s = ids.get(m.to[0]) ?? new Set<string>();
          s.add(m.headers['message-id']);
          ids.set(m.to[0], s);
        }
        expect(ids.size).toBe(size.subscribers);
        for (const r of rows) expect([...(ids.get(r.email) ?? [])]).toEqual([r.message_id]);
        // Residual risk, by design: a kill between the server's "250 OK" and the row's update resends
        // that one message (same Message-ID). At most the messages in flight at each kill.
        const duplicates = sink.mails.length - size.subscribers;
        console.log(
          `[crash ${dialect}] ${size.subscribers} subscribers, ${kills} kills (${killedAt.join(', ')}), ${lives} runs, ${duplicates} duplicate deliveries ` +
            `(${dupsByMode.delivery} after kills timed on a delivery — inside the accept→mark window by construction — ${dupsByMode.time} after kills at random times)`,
        );
        expect(duplicates).toBeLessThanOrEqual(kills * SEND_CONCURRENCY);

        // Two senders at once, no crash: every digest exactly once, not even a duplicate delivery.
        const before = sink.mails.length;
        const a = startSender(db, sink, NEXT_DAY);
        const b = startSender(db, sink, NEXT_DAY);
        const [ra, rb] = await Promise.all([a.done, b.done]);
        expect(ra.code, ra.stderr).toBe(0);
        expect(rb.code, rb.stderr).toBe(0);
        const repA = JSON.parse(ra.stdout);
        const repB = JSON.parse(rb.stdout);
        expect(repA.sent + repB.sent).toBe(size.subscribers);
        expect(repA.lostLeases + repB.lostLeases).toBe(0);
        const second = sink.mails.slice(before);
        const info = `a: sent ${repA.sent}, stolen ${repA.skippedStolen}, lost ${repA.lostLeases}; b: sent ${repB.sent}, stolen ${repB.skippedStolen}, lost ${repB.lostLeases}`;
        expect(second.length, info).toBe(size.subscribers);
        expect(new Set(second.map((m) => m.to[0])).size).toBe(size.subscribers);
        console.log(`[crash ${dialect}] two senders at once: ${repA.sent} + ${repB.sent} sent, 0 duplicates`);
      } finally {
        await sink.close();
        await db.drop();
      }
    });
  },
);
