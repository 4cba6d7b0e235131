import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../src/jobs/queue.js';
import { CLI_ACTOR, createApiToken, createUser } from '../../src/services/accounts.js';
import { importSubscribersCsv } from '../../src/services/subscriptions.js';
import { outboxRowsFor } from '../../src/store/digest-store.js';
import { TEST_SECRET, testApp } from '../helpers/app.js';
import { buildCliForTests, removeCliBuild } from '../helpers/cli-build.js';
import { makePapers, testCtx } from '../helpers/community.js';
import { collectCookies, cookieHeader, csrfFrom } from '../helpers/community-server.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { seedPapers } from '../helpers/digest-fixtures.js';
import { waitFor } from '../helpers/jobs.js';
import { freePort, type ServeChild, spawnCli } from '../helpers/serve-child.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';

/**
 * Issue #7's acceptance: the site as a large install runs it. Two `paperboy serve --web-only` and
 * two `paperboy worker` processes (the real CLI) share one PostgreSQL database.
 *  - `paperboy migrate` from four processes at once (the advisory lock) leaves one schema.
 *  - 200 clients vote through both web processes for 60 s: no errors, and every paper's count
 *    equals the votes acknowledged to the clients.
 *  - Meanwhile both workers send the same digest period at once: each subscriber gets one digest.
 *  - A worker is SIGKILLed while it runs an import job: the other worker finishes the job.
 *  - A vote through one web process shows on the other's cached pages; a session made on one is
 *    valid on the other.
 */
const VOTERS = 200;
const VOTE_SECONDS = 60;
const PAPERS = 20;
const SUBSCRIBERS = 300;
/** A killed worker's job waits this long for another worker (JOB_LEASE_SECONDS). */
const LEASE_SECONDS = 4;
const DIGEST_DAY = '2026-06-16';
/** The digest's send moment: 08:30 UTC, after the imported subscribers' default 08:00. */
const DIGEST_AT = `${DIGEST_DAY}T08:30:00.000Z`;
const DEMO_DIR = path.resolve('demo/arxiv-listings');
const PASSWORD = 'correct horse battery staple';

let cli: string;
beforeAll(() => {
  cli = buildCliForTests();
});
afterAll(() => removeCliBuild(cli));

type Proc = Omit<ServeChild, 'base'>;

const start = (args: string[], env: Record<string, string>): Proc => spawnCli(cli, args, env);

async function stop(p: Proc): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const t = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
  await p.exited;
  clearTimeout(t);
}

async function untilServing(base: string, proc: Proc): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (proc.child.exitCode !== null) throw new Error(`web process exited: ${proc.output()}`);
    try {
      if ((await fetch(`${base}/openapi.json`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`web process never served: ${proc.output()}`);
}

describe.runIf(TEST_DIALECTS.includes('postgres'))('two web processes and two workers on one PostgreSQL', () => {
  let db: TestDb;
  let sink: SmtpSink;
  const procs: Proc[] = [];
  afterAll(async () => {
    await Promise.all(procs.map(stop));
    await sink?.close();
    await db?.drop();
  });

  it('keeps exact votes, one digest per subscriber and every job through a SIGKILL', { timeout: 600_000 }, async () => {
    db = await createTestDb('postgres', { migrate: false });
    sink = await startSmtpSink({ headersOnly: true });
    const env = {
      ...db.env,
      SECRET_KEY: TEST_SECRET,
      SMTP_URL: sink.url,
      BASE_URL: 'https://papers.example.org',
      LOG_LEVEL: 'warn',
      JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      // Every client comes from 127.0.0.1: per-IP vote limits would measure the limiter, not the counts.
      RATE_LIMIT_VOTE: '0/0/1m',
      PASSWORD_SCRYPT_LOG_N: '10',
      // No network here: the picture and categories jobs would spend the workers' time retrying arxiv.org.
      FIGURE_SOURCE: 'off',
      ARXIV_LOOKUP: 'off',
    };

    // Four migrators at once: one applies, the others wait on the advisory lock and find nothing to do.
    const migrators = Array.from({ length: 4 }, () => start(['migrate'], env));
    for (const m of migrators) expect((await m.exited).code, m.output()).toBe(0);
    const migrations = await db.kysely
      .selectFrom('kysely_migration' as never)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number((migrations as { n: number }).n)).toBe(
      fs.readdirSync('src/db/migrations').filter((f) => /^\d{4}-.*\.ts$/.test(f)).length,
    );

    // Papers to vote on, voters with API tokens, and a digest day with confirmed subscribers.
    const ctx = testCtx(db);
    const arxivIds = Array.from({ length: PAPERS }, (_, i) => `2606.${String(40000 + i)}`);
    await makePapers(db, arxivIds);
    const tokens: string[] = [];
    for (let i = 0; i < VOTERS; i++) {
      await createUser(ctx, CLI_ACTOR, { username: `voter${i}`, email: `voter${i}@example.org`, password: PASSWORD });
      tokens.push(
        (await createApiToken(ctx, CLI_ACTOR, { name: 'test', scope: 'write', username: `voter${i}` })).token,
      );
    }
    await seedPapers(db, [
      {
        arxivId: '2606.30001',
        title: 'Monday paper',
        categories: ['cs.LG'],
        upvotes: 10,
        day: '2026-06-15',
        featured: true,
      },
    ]);
    const csv = [
      'email,frequency,topics',
      ...Array.from({ length: SUBSCRIBERS }, (_, i) => `reader${i}@example.org,daily,`),
    ].join('\n');
    expect((await importSubscribersCsv(testApp(db), Readable.from([`${csv}\n`]))).inserted).toBe(SUBSCRIBERS);

    const ports = [await freePort(), await freePort()];
    const webs = ports.map((port) => start(['serve', '--web-only'], { ...env, PORT: String(port), HOST: '127.0.0.1' }));
    const workers = [start(['worker'], env), start(['worker'], env)];
    procs.push(...webs, ...workers);
    const bases = ports.map((p) => `http://127.0.0.1:${p}`);
    await Promise.all(bases.map((b, i) => untilServing(b, webs[i])));

    // The voters: each alternates between the two web processes; a user's requests are sequential,
    // so their last acknowledged answer says whether their vote stands.
    const state = tokens.map(() => new Array<boolean>(PAPERS).fill(false));
    const failures: string[] = [];
    let acknowledged = 0;
    const end = Date.now() + VOTE_SECONDS * 1000;
    const voting = Promise.all(
      tokens.map(async (token, u) => {
        for (let n = 0; Date.now() < end; n++) {
          const p = Math.floor(Math.random() * PAPERS);
          const up = Math.random() < 0.5;
          try {
            const r = await fetch(`${bases[(u + n) % 2]}/api/papers/${arxivIds[p]}/upvote`, {
              method: up ? 'POST' : 'DELETE',
              headers: { authorization: `Bearer ${token}` },
            });
            const body = (await r.json()) as { voted?: boolean; error?: string };
            if (r.status === 200) {
              state[u][p] = body.voted === true;
              acknowledged++;
            } else failures.push(`${r.status} ${body.error ?? ''}`);
          } catch (err) {
            failures.push(String(err));
          }
        }
      }),
    );

    // While they vote: the same digest period as two jobs, which the two workers run at once.
    const digestJobs = [
      await enqueueJob(db, 'send-digests', { periods: ['daily'], at: DIGEST_AT }),
      await enqueueJob(db, 'send-digests', { periods: ['daily'], at: DIGEST_AT }),
    ];
    await waitFor(
      async () =>
        (
          await db.kysely
            .selectFrom('jobs')
            .select('state')
            .where(
              'id',
              'in',
              digestJobs.map((j) => j.id),
            )
            .execute()
        ).every((j) => j.state === 'done'),
      'both digest jobs done',
      120_000,
      100,
    );

    // An import job; whichever worker takes it is killed mid-job, and the other finishes it.
    const demoFiles = fs
      .readdirSync(DEMO_DIR)
      .filter((f) => f.endsWith('.jsonl.gz'))
      .map((f) => path.join(DEMO_DIR, f));
    const importJob = await enqueueJob(db, 'import-file', { format: 'arxiv-listings', files: demoFiles });
    let lockedBy = '';
    await waitFor(
      async () => {
        const j = await db.kysely
          .selectFrom('jobs')
          .select(['state', 'locked_by'])
          .where('id', '=', importJob.id)
          .executeTakeFirstOrThrow();
        lockedBy = j.state === 'running' ? (j.locked_by ?? '') : '';
        return lockedBy !== '';
      },
      'the import job running',
      60_000,
      5,
    );
    const victimPid = Number(lockedBy.split(':')[1]);
    const victim = workers.find((w) => w.child.pid === victimPid)!;
    expect(victim, `locked by ${lockedBy}`).toBeDefined();
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    await waitFor(
      async () =>
        (await db.kysely.selectFrom('jobs').select('state').where('id', '=', importJob.id).executeTakeFirstOrThrow())
          .state === 'done',
      'the import job finished by the other worker',
      180_000,
      100,
    );
    const finished = await db.kysely
      .selectFrom('jobs')
      .select(['attempts', 'result', 'last_error'])
      .where('id', '=', importJob.id)
      .executeTakeFirstOrThrow();
    expect(finished.attempts).toBe(2);
    expect(JSON.parse(finished.result ?? '{}')).toMatchObject({ rejected: 0 });

    await voting;

    // Votes: nothing failed, and the stored counts are exactly the acknowledged votes.
    expect(failures.slice(0, 5)).toEqual([]);
    expect(acknowledged).toBeGreaterThan(VOTERS);
    const expected = arxivIds.map((_, p) => state.reduce((n, s) => n + (s[p] ? 1 : 0), 0));
    const rows = await db.kysely
      .selectFrom('papers')
      .select(['arxiv_id', 'upvotes'])
      .where('arxiv_id', 'in', arxivIds)
      .execute();
    const stored = new Map(rows.map((r) => [r.arxiv_id, r.upvotes]));
    expect(arxivIds.map((id) => stored.get(id))).toEqual(expected);
    const voteRows = await db.kysely
      .selectFrom('votes')
      .innerJoin('papers', 'papers.id', 'votes.paper_id')
      .where('papers.arxiv_id', 'in', arxivIds)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(voteRows.n)).toBe(expected.reduce((a, b) => a + b, 0));

    // Digests: every subscriber exactly one, the outbox all sent, the work shared by two jobs.
    const outbox = await outboxRowsFor(db, { periodKey: `daily:${DIGEST_DAY}` }, SUBSCRIBERS + 1);
    expect(outbox).toHaveLength(SUBSCRIBERS);
    expect(outbox.filter((r) => r.status !== 'sent')).toEqual([]);
    const perAddress = new Map<string, Set<string>>();
    for (const m of sink.mails) {
      const ids = perAddress.get(m.to[0]) ?? new Set<string>();
      ids.add(m.headers['message-id']);
      perAddress.set(m.to[0], ids);
    }
    for (const r of outbox) expect([...(perAddress.get(r.email) ?? [])]).toEqual([r.message_id]);
    const results = await db.kysely
      .selectFrom('jobs')
      .select('result')
      .where(
        'id',
        'in',
        digestJobs.map((j) => j.id),
      )
      .execute();
    const sentByJob = results.map(
      (r) => (JSON.parse(r.result ?? '{}') as { daily?: { sent?: number } }).daily?.sent ?? 0,
    );
    expect(sentByJob.reduce((a, b) => a + b, 0)).toBe(SUBSCRIBERS);
    console.log(
      `multi-process: ${acknowledged} votes acknowledged in ${VOTE_SECONDS} s through 2 web processes, 0 failed; digests sent per worker job: ${sentByJob.join(' + ')}; import job finished on attempt 2 after its worker was SIGKILLed`,
    );

    // Caches hold across processes: both web processes show the final count of every paper
    // within a poll of the shared content version.
    for (const base of bases) {
      await waitFor(
        async () => {
          const counts = await Promise.all(
            arxivIds.map(
              async (id) => ((await (await fetch(`${base}/api/papers/${id}`)).json()) as { upvotes: number }).upvotes,
            ),
          );
          return counts.every((c, p) => c === expected[p]);
        },
        `${base} shows the final counts`,
        10_000,
        200,
      );
    }

    // Sessions hold across processes: log in on one, be logged in on the other.
    const jar = new Map<string, string>();
    const form = await fetch(`${bases[0]}/login`);
    collectCookies(jar, form.headers.getSetCookie());
    const login = await fetch(`${bases[0]}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: 'voter7', password: PASSWORD, _csrf: csrfFrom(await form.text()) }),
    });
    expect(login.status).toBe(303);
    collectCookies(jar, login.headers.getSetCookie());
    const settings = await fetch(`${bases[1]}/settings`, { headers: { cookie: cookieHeader(jar) } });
    expect(settings.status).toBe(200);
    expect(await settings.text()).toContain('voter7@example.org');
  });
});
