/**
 * `npm run bench:digest`: 100,000 subscribers with mixed preferences, digests sent to a local SMTP
 * sink (a real smtp-server in a child process). Reports digests per second, SMTP send latency and the
 * sender's peak memory. Target (issue #6): all 100,000 in under 5 minutes on this machine.
 *
 * Baseline, in the same run: the naive sender — one new SMTP connection per message, one message at
 * a time, no outbox — on the first BASELINE_SUBSCRIBERS, so the ratio holds on a noisy machine.
 *
 * Flags: --subscribers N (default 100000), --baseline N (default 2000; 0 skips), --database URL
 * (default: a fresh SQLite file in a temporary folder; a postgres:// URL uses a fresh schema).
 *
 * `--for-you`: every subscriber also has a verified account (same address) with signals, so every
 * digest carries a "For you" section (issue #17). The papers are then real (the shared arXiv
 * listings, PAPERBOY_SHARED_DATA, default ../shared/data): the day's 300 listed papers plus
 * FOR_YOU_UNLISTED more published that day (the candidates a reader's section is chosen from: a
 * day of arXiv), and FOR_YOU_HISTORY older papers the readers saved, FOR_YOU_SAVES each, from one
 * stretch of the listings (a reader's field); one reader in FOR_YOU_FOLLOW_EVERY follows a category.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { type App, buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openDb } from '../src/db/open.js';
import { buildDigest } from '../src/mail/digest.js';
import { createMailer, type Mailer } from '../src/mail/transport.js';
import { rankCandidates, selectForSubscriber } from '../src/model/digest-select.js';
import { emptyRecord, type PaperRecord } from '../src/model/paper.js';
import { sendDigests } from '../src/services/digests.js';
import { importSubscribersCsv, subscriberLinks } from '../src/services/subscriptions.js';
import { upsertDailyEntries } from '../src/store/daily-store.js';
import { digestCandidates } from '../src/store/digest-paper-store.js';
import { upsertPapers } from '../src/store/paper-store.js';
import { subscribersPage } from '../src/store/subscriber-store.js';
import { loadRecsData, unpackSharedData } from './recs-data.js';

const DEFAULT_SUBSCRIBERS = 100_000;
const DEFAULT_BASELINE = 2_000;
/** Papers that entered the list the day before the digest (a busy Daily Papers day is ~50–300). */
const PAPERS = 300;
const DAY = '2026-06-16';
const PREV_DAY = '2026-06-15';
/** How often the sender's memory is sampled, ms. */
const RSS_SAMPLE_MS = 100;
const TARGET_SECONDS = 300;
const FOR_YOU_UNLISTED = 1_100;
const FOR_YOU_HISTORY = 20_000;
const FOR_YOU_SAVES = 10;
/** The stretch of the older papers one reader's saves are drawn from. */
const FOR_YOU_FIELD = 400;
const FOR_YOU_FOLLOW_EVERY = 4;
const INSERT_ROWS = 500;

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run benchmarks the same data. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATEGORIES = [
  'cs.CL',
  'cs.CV',
  'cs.LG',
  'cs.AI',
  'cs.RO',
  'cs.IR',
  'cs.SD',
  'stat.ML',
  'eess.AS',
  'cs.CR',
  'cs.HC',
  'cs.DC',
];
const ORGS = [
  'google',
  'meta',
  'microsoft',
  'nvidia',
  'openai',
  'deepseek-ai',
  'alibaba',
  'tencent',
  'mit',
  'stanford',
  'cmu',
  'eth',
];
const WORDS = [
  'diffusion',
  'transformer',
  'agents',
  'reasoning',
  'retrieval',
  'vision',
  'speech',
  'robotics',
  'alignment',
  'benchmark',
  'sparse',
  'multimodal',
  'quantization',
  'video',
  'graph',
  'reinforcement',
];

function syntheticPapers(r: () => number): PaperRecord[] {
  return Array.from({ length: PAPERS }, (_, i) => {
    const w = () => WORDS[Math.floor(r() * WORDS.length)];
    const title = `${w()[0].toUpperCase()}${w().slice(1)} ${w()} for ${w()} and ${w()}: a study ${i}`;
    return {
      ...emptyRecord(`2606.${String(10000 + i)}`),
      title,
      abstract: `We present ${title.toLowerCase()}. `.repeat(6),
      authors: Array.from({ length: 1 + Math.floor(r() * 12) }, (_, k) => `Author ${k}`),
      categories: [CATEGORIES[Math.floor(r() * CATEGORIES.length)], CATEGORIES[Math.floor(r() * CATEGORIES.length)]],
      publishedAt: `${PREV_DAY}T00:00:00.000Z`,
      importedUpvotes: Math.floor(200 * r() ** 3),
      organizationName: r() < 0.5 ? ORGS[Math.floor(r() * ORGS.length)] : null,
      observedAt: `${PREV_DAY}T00:00:00.000Z`,
    };
  });
}

/** Mixed preferences: 55% everything, 20% categories, 10% keywords, 10% organisations, 5% all three; a third set a minimum. */
function subscribersCsv(n: number, r: () => number): string {
  const lines = ['email,frequency,topics,count,min_upvotes,hour,time_zone'];
  const zones = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'Asia/Kolkata'];
  for (let i = 0; i < n; i++) {
    const x = r();
    const topics: string[] = [];
    if (x >= 0.55 && x < 0.75) topics.push(CATEGORIES[Math.floor(r() * CATEGORIES.length)]);
    else if (x < 0.85) topics.push(`keyword:${WORDS[Math.floor(r() * WORDS.length)]}`);
    else if (x < 0.95) topics.push(`org:${ORGS[Math.floor(r() * ORGS.length)]}`);
    else
      topics.push(
        CATEGORIES[Math.floor(r() * CATEGORIES.length)],
        `keyword:${WORDS[Math.floor(r() * WORDS.length)]}`,
        `org:${ORGS[Math.floor(r() * ORGS.length)]}`,
      );
    if (x < 0.55) topics.length = 0;
    const count = [5, 10, 10, 20][Math.floor(r() * 4)];
    const min = r() < 0.33 ? [5, 10, 25][Math.floor(r() * 3)] : 0;
    lines.push(
      `reader${i}@example.org,daily,"${topics.join('; ')}",${count},${min},${Math.floor(r() * 24)},${zones[Math.floor(r() * zones.length)]}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Real titles, abstracts, authors and categories from the shared listings (for --for-you). */
function realCorpus(): Array<{ title: string; abstract: string; authors: string[]; categories: string[] }> {
  const shared = path.resolve(process.env.PAPERBOY_SHARED_DATA ?? '../shared/data');
  const u = unpackSharedData(shared);
  const papers = loadRecsData(u.listings, u.hfDaily).papers;
  fs.rmSync(u.tmp, { recursive: true, force: true });
  return papers;
}

/**
 * --for-you: the older papers, and for every subscriber a verified account (same address) with
 * FOR_YOU_SAVES saved papers. Written in bulk straight to the tables: a benchmark's set-up, not a
 * path of the site (the service would hash 100,000 passwords).
 */
async function personalise(
  db: ReturnType<typeof openDb>,
  corpus: ReturnType<typeof realCorpus>,
  n: number,
  r: () => number,
): Promise<void> {
  const history: PaperRecord[] = [];
  for (let i = 0; i < FOR_YOU_HISTORY; i++) {
    const { title, abstract, authors, categories } = corpus[(PAPERS + FOR_YOU_UNLISTED + i) % corpus.length];
    const day = new Date(Date.parse(`${PREV_DAY}T00:00:00Z`) - (1 + Math.floor(i / 400)) * 86_400_000);
    history.push({
      ...emptyRecord(`2605.${String(10000 + i).padStart(5, '0')}`),
      title,
      abstract,
      authors,
      categories,
      publishedAt: day.toISOString(),
    });
  }
  const historyIds: number[] = [];
  for (let i = 0; i < history.length; i += 5_000)
    historyIds.push(...(await upsertPapers(db, history.slice(i, i + 5_000))).ids);
  const created = `${PREV_DAY}T00:00:00.000Z`;
  for (let start = 0; start < n; start += INSERT_ROWS) {
    const users = await db.kysely
      .insertInto('users')
      .values(
        Array.from({ length: Math.min(INSERT_ROWS, n - start) }, (_, k) => ({
          username: `reader${start + k}`,
          email: `reader${start + k}@example.org`,
          fullname: null,
          password_hash: null,
          role: 'user' as const,
          email_verified: 1,
          banned: 0,
          upvotes_public: 1,
          created_at: created,
        })),
      )
      .returning('id')
      .execute();
    const saves: Array<{ user_id: number; paper_id: number; created_at: string }> = [];
    const follows: Array<{
      user_id: number;
      kind: 'follow_category';
      value: string;
      label: string;
      created_at: string;
    }> = [];
    for (const [k, u] of users.entries()) {
      const field = Math.floor(r() * (historyIds.length - FOR_YOU_FIELD));
      const picked = new Set<number>();
      while (picked.size < FOR_YOU_SAVES) picked.add(historyIds[field + Math.floor(r() * FOR_YOU_FIELD)]);
      for (const paperId of picked) saves.push({ user_id: Number(u.id), paper_id: paperId, created_at: created });
      if ((start + k) % FOR_YOU_FOLLOW_EVERY === 0) {
        const cat = CATEGORIES[Math.floor(r() * CATEGORIES.length)];
        follows.push({ user_id: Number(u.id), kind: 'follow_category', value: cat, label: cat, created_at: created });
      }
    }
    for (let i = 0; i < saves.length; i += INSERT_ROWS)
      await db.kysely
        .insertInto('saved_papers')
        .values(saves.slice(i, i + INSERT_ROWS))
        .execute();
    if (follows.length > 0) await db.kysely.insertInto('reader_signals').values(follows).execute();
  }
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

function timed(mailer: Mailer, latencies: number[]): Mailer {
  return {
    ...mailer,
    async send(m) {
      const t = performance.now();
      const r = await mailer.send(m);
      latencies.push(performance.now() - t);
      return r;
    },
  };
}

async function main(): Promise<void> {
  const n = Number(arg('--subscribers', String(DEFAULT_SUBSCRIBERS)));
  const baselineN = Number(arg('--baseline', String(DEFAULT_BASELINE)));
  const dbUrl = arg('--database', '');
  const forYou = process.argv.includes('--for-you');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-bench-digest-'));
  let schema: string | undefined;
  if (dbUrl.startsWith('postgres')) {
    schema = `bench_digest_${process.pid}`;
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    await c.query(`create schema ${schema}`);
    await c.end();
  }
  const target = dbUrl.startsWith('postgres')
    ? { kind: 'postgres' as const, url: dbUrl }
    : { kind: 'sqlite' as const, file: path.join(dir, 'bench.db') };
  const db = openDb(target, { schema });
  await migrateToLatest(db);

  // Built: dist/bench/digest-sink.js; from source (tsx): the .ts beside this file.
  const built = new URL('./digest-sink.js', import.meta.url);
  const sink = fs.existsSync(built)
    ? fork(built)
    : fork(new URL('./digest-sink.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve) => sink.once('message', (m: { port: number }) => resolve(m.port)));
  const sinkCount = () =>
    new Promise<{ count: number; bytes: number; cpuMs: number }>((resolve) => {
      sink.once('message', (m: { count: number; bytes: number; cpuMs: number }) => resolve(m));
      sink.send('count');
    });
  const config = loadConfig({
    SECRET_KEY: 'bench-secret-0123456789abcdef0123456789',
    BASE_URL: 'https://papers.example.org',
    SMTP_URL: `smtp://127.0.0.1:${port}`,
  });
  const app: App = buildApp({ config, db });

  const r = rng(42);
  const corpus = forYou ? realCorpus() : null;
  const papers = syntheticPapers(r);
  if (corpus) {
    // Real text for the day (the personal sections are chosen by it), and the rest of the day's arXiv.
    papers.forEach((p, i) => {
      const { title, abstract, authors, categories } = corpus[i];
      Object.assign(p, { title, abstract, authors, categories });
    });
    await upsertPapers(
      db,
      Array.from({ length: FOR_YOU_UNLISTED }, (_, i) => {
        const { title, abstract, authors, categories } = corpus[PAPERS + i];
        return {
          ...emptyRecord(`2606.${String(20000 + i)}`),
          title,
          abstract,
          authors,
          categories,
          publishedAt: `${PREV_DAY}T12:00:00.000Z`,
        };
      }),
    );
  }
  const { ids } = await upsertPapers(db, papers);
  await upsertDailyEntries(
    db,
    ids.map((paperId, position) => ({
      paperId,
      day: PREV_DAY,
      position,
      submittedBy: null,
      submitterFullname: null,
      submittedAt: null,
      source: 'bench',
      organizationId: null,
    })),
  );
  let t = performance.now();
  const imported = await importSubscribersCsv(app, Readable.from([subscribersCsv(n, r)]));
  const importSeconds = (performance.now() - t) / 1000;
  if (imported.inserted !== n)
    throw new Error(`bench: imported ${imported.inserted} of ${n}: ${JSON.stringify(imported.rejected.slice(0, 3))}`);
  if (corpus) {
    t = performance.now();
    await personalise(db, corpus, n, r);
    console.error(`bench:digest: ${n} accounts with signals in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }

  // Baseline: the naive sender on the first baselineN subscribers (no pool, one at a time, no outbox).
  let baseline: { seconds: number; rate: number; p50: number; p99: number } | null = null;
  if (baselineN > 0) {
    const latencies: number[] = [];
    const naive = timed(createMailer(config, { pool: false })!, latencies);
    const w = { from: PREV_DAY, to: DAY };
    const ranked = rankCandidates(await digestCandidates(db, w.from, w.to), `${DAY}T00:00:00.000Z`);
    const subs = await subscribersPage(db, { afterId: 0, limit: baselineN });
    t = performance.now();
    for (const s of subs) {
      const papers = selectForSubscriber(ranked, {
        paperCount: s.paper_count,
        categories: JSON.parse(s.categories),
        keywords: JSON.parse(s.keywords),
        organizations: JSON.parse(s.organizations),
        minUpvotes: s.min_upvotes,
      });
      if (papers.length === 0) continue;
      const mail = buildDigest({
        papers,
        period: 'daily',
        day: DAY,
        baseUrl: config.baseUrl,
        ...subscriberLinks(app, s),
      });
      await naive.send({ to: s.email, ...mail });
    }
    const seconds = (performance.now() - t) / 1000;
    naive.close();
    baseline = {
      seconds,
      rate: latencies.length / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  }

  // paperboy: the outbox sender, all n subscribers.
  const sinkBefore = await sinkCount();
  const before = sinkBefore.count;
  const cpuBefore = process.cpuUsage();
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  const latencies: number[] = [];
  const mailer = createMailer(config)!;
  t = performance.now();
  const report = await sendDigests(app, { period: 'daily', date: DAY, mailer: timed(mailer, latencies) });
  const seconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  mailer.close();
  const sinkAfter = await sinkCount();
  const received = sinkAfter.count - before;
  const senderCpuMs = (cpu.user + cpu.system) / 1000 / Math.max(1, report.sent);
  const sinkCpuMs = (sinkAfter.cpuMs - sinkBefore.cpuMs) / Math.max(1, received);
  const mb = (sinkAfter.bytes - sinkBefore.bytes) / 1048576;
  sink.send('stop');
  const processed = report.sent + report.empty;
  const personal = forYou
    ? Number(
        (
          await db.kysely
            .selectFrom('digest_outbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('for_you', 'is not', null)
            .executeTakeFirstOrThrow()
        ).n,
      )
    : 0;

  const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
  console.log(
    `\nbench:digest — ${n} subscribers${forYou ? `, each with an account and ${FOR_YOU_SAVES} saved papers (--for-you)` : ''}, ${PAPERS} papers${forYou ? ` + ${FOR_YOU_UNLISTED} more published that day` : ''}, ${target.kind}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg()[0].toFixed(1)}, node ${process.version}`,
  );
  console.log(`import of ${n} subscribers (CSV): ${fmt(importSeconds)} s`);
  console.log('\n| sender | digests | seconds | digests/s | SMTP send p50 ms | p99 ms | peak RSS MB |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  if (baseline)
    console.log(
      `| naive (new connection per mail, one at a time, no outbox) | ${latencies.length ? '' : ''}${Math.round(baseline.rate * baseline.seconds)} | ${fmt(baseline.seconds)} | ${fmt(baseline.rate)} | ${fmt(baseline.p50, 2)} | ${fmt(baseline.p99, 2)} | - |`,
    );
  console.log(
    `| paperboy outbox (pool of 5, 10 in flight) | ${report.sent} sent + ${report.empty} empty | ${fmt(seconds)} | ${fmt(processed / seconds)} (${fmt(report.sent / seconds)} sent/s) | ${fmt(percentile(latencies, 50), 2)} | ${fmt(percentile(latencies, 99), 2)} | ${fmt(peakRss / 1048576, 0)} |`,
  );
  if (baseline) console.log(`\nspeed-up over the naive sender: ${fmt(report.sent / seconds / baseline.rate, 1)}×`);
  console.log(
    `CPU per digest: sender ${fmt(senderCpuMs, 2)} ms, SMTP sink ${fmt(sinkCpuMs, 2)} ms (${fmt(mb, 0)} MB of mail); on 2 idle cores that bounds the rate near ${fmt(2000 / (senderCpuMs + sinkCpuMs), 0)}/s`,
  );
  if (forYou) console.log(`digests with a "For you" section: ${personal} of ${report.sent} sent`);
  console.log(
    `all ${n} subscribers handled in ${fmt(seconds)} s (target ${TARGET_SECONDS} s): ${seconds < TARGET_SECONDS ? 'met' : 'NOT met'}; the sink received ${received} (sent ${report.sent}, failed ${report.failed})`,
  );
  await db.close();
  if (schema) {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    await c.query(`drop schema ${schema} cascade`);
    await c.end();
  }
  fs.rmSync(dir, { recursive: true, force: true });
  if (received !== report.sent) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
