/**
 * `npm run bench:import`: import speed and peak memory (issue #2's acceptance).
 *  (a) the real corpus: the 410 arXiv listing days (74,728 papers) into a fresh database, then the
 *      same files again (all unchanged) — on SQLite and on PostgreSQL;
 *  (b) a generated Kaggle-format file of 1,000,000 papers (gzip), streamed into a fresh SQLite db.
 * Each import runs the built CLI in a child process under /usr/bin/time -v, so the peak RSS is the
 * importer's own. `--baseline DIR` also runs DIR/bin/paperboy.js (e.g. a build of `main`) in the
 * same run, so before/after share the machine's load.
 *
 * Flags: --baseline DIR, --kaggle-papers N (default 1e6; 0 skips), --no-postgres, --runs N.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { generateKaggle, readSamples } from './kaggle-gen.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const CORPUS = path.resolve(
  process.env.PAPERBOY_SHARED_DATA ?? path.join(ROOT, '../shared/data'),
  'arxiv-listings/daily-arXiv-ai-enhanced_data-branch_410days.tar.zst',
);
const PG_URL = process.env.PAPERBOY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Papers in the generated Kaggle file (issue #2: one million). */
const DEFAULT_KAGGLE_PAPERS = 1_000_000;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Run {
  label: string;
  seconds: number;
  /** User + system CPU time of the importer: steadier than wall time on a shared machine. */
  cpuSeconds: number | null;
  maxRssMb: number | null;
  summary: { read: number; inserted: number; updated: number; unchanged: number; rejected: number };
}

/** One CLI import in a child process, timed, with its peak RSS. */
function runImport(bin: string, label: string, env: Record<string, string>, format: string, files: string[]): Run {
  const hasTime = fs.existsSync('/usr/bin/time');
  const cmd = hasTime ? '/usr/bin/time' : process.execPath;
  const args = [...(hasTime ? ['-v', process.execPath] : []), bin, 'import', format, ...files, '--json', '--quiet'];
  const started = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const json = r.stdout.slice(r.stdout.indexOf('{'));
  let summary: Run['summary'];
  try {
    summary = JSON.parse(json);
  } catch {
    throw new Error(`bench: ${label} failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  }
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const cpuSeconds = user && sys ? Number(user[1]) + Number(sys[1]) : null;
  return { label, seconds, cpuSeconds, maxRssMb: rss ? Number(rss[1]) / 1024 : null, summary };
}

async function freshPgSchema(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const schema = `bench_${crypto.randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`create schema ${schema}`);
  await c.end();
  return {
    env: { DATABASE_URL: PG_URL, PGOPTIONS: `-c search_path=${schema}` },
    async drop() {
      const d = new pg.Client({ connectionString: PG_URL });
      await d.connect();
      await d.query(`drop schema if exists ${schema} cascade`);
      await d.end();
    },
  };
}

function row(r: Run): string {
  const s = r.summary;
  const rate = Math.round(s.read / r.seconds);
  const rss = r.maxRssMb === null ? 'n/a' : `${Math.round(r.maxRssMb)} MB`;
  const cpu = r.cpuSeconds === null ? 'n/a' : `${r.cpuSeconds.toFixed(1)} s`;
  return `| ${r.label} | ${s.read.toLocaleString('en')} | ${s.inserted} / ${s.updated} / ${s.unchanged} / ${s.rejected} | ${r.seconds.toFixed(1)} s | ${cpu} | ${rate.toLocaleString('en')} | ${rss} |`;
}

async function main() {
  const baseline = arg('--baseline');
  const kagglePapers = Number(arg('--kaggle-papers') ?? DEFAULT_KAGGLE_PAPERS);
  const withPg = !process.argv.includes('--no-postgres');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-bench-import-'));
  const results: Run[] = [];
  try {
    spawnSync('tar', ['--zstd', '-xf', CORPUS, '-C', tmp], { stdio: 'inherit' });
    const dd = path.join(tmp, 'dd');
    const files = fs
      .readdirSync(dd)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .map((f) => path.join(dd, f));
    console.error(`bench: ${files.length} listing files unpacked in ${tmp}`);
    const builds: Array<[string, string]> = [];
    if (baseline) builds.push(['baseline', path.resolve(baseline, 'bin/paperboy.js')]);
    builds.push(['this build', path.join(ROOT, 'bin/paperboy.js')]);
    for (const [name, bin] of builds) {
      const dbFile = path.join(tmp, `${name.replace(/\W/g, '')}.db`);
      const env = { DATABASE_URL: dbFile };
      for (const pass of ['first', 'again']) {
        const r = runImport(bin, `${name}, SQLite, real corpus, ${pass}`, env, 'arxiv-listings', files);
        console.error(row(r));
        results.push(r);
      }
      fs.rmSync(dbFile, { force: true });
      if (withPg) {
        const pgdb = await freshPgSchema();
        try {
          for (const pass of ['first', 'again']) {
            const r = runImport(bin, `${name}, PostgreSQL, real corpus, ${pass}`, pgdb.env, 'arxiv-listings', files);
            console.error(row(r));
            results.push(r);
          }
        } finally {
          await pgdb.drop();
        }
      }
    }
    if (kagglePapers > 0) {
      const kfile = path.join(tmp, 'kaggle.jsonl.gz');
      const t0 = Date.now();
      await generateKaggle(kfile, kagglePapers, readSamples(files, 20_000));
      console.error(
        `bench: generated ${kagglePapers} Kaggle lines (${(fs.statSync(kfile).size / 1e6).toFixed(0)} MB gzip) in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
      for (const [name, bin] of builds) {
        const dbFile = path.join(tmp, 'kaggle.db');
        const r = runImport(
          bin,
          `${name}, SQLite, Kaggle ${kagglePapers.toLocaleString('en')} generated`,
          { DATABASE_URL: dbFile },
          'kaggle',
          [kfile],
        );
        console.error(row(r));
        results.push(r);
        for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(
    `\nmachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    '\n| run | records read | inserted / updated / unchanged / rejected | wall time | CPU time (user+sys) | records/s (wall) | peak RSS |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results) console.log(row(r));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
