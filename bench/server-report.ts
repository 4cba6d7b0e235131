import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { App } from '../src/app.js';

/**
 * Where a benchmark server's time goes, window by window (BENCH_REPORT_MS): every window prints one
 * `report {json}` line on stdout with the event loop's delay (perf_hooks, 1 ms resolution), the
 * process's CPU time, the page cache's counters and, per route-table row and status, the number of
 * responses and their server-side latency (Fastify's elapsedTime: from the request's arrival at
 * the handler to the response, so time queued in the kernel before the event loop got to it is
 * not in it; the event loop's delay says how much that was), and the statements that took the most
 * time. bench:mixed reads these lines.
 */
const LOOP_RESOLUTION_MS = 1;
/** Statements are told apart by this many leading characters of their SQL. */
const QUERY_KEY_CHARS = 160;
/** The statements with the most time in a window, reported. */
const QUERIES_REPORTED = 12;

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

const round = (x: number) => Math.round(x * 100) / 100;

export function startServerReport(app: App, server: FastifyInstance, everyMs: number): void {
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  let times = new Map<string, number[]>();
  let cpu = process.cpuUsage();
  let at = performance.now();
  const cache0 = { ...server.responseCache.stats };
  let cache = { ...cache0 };
  const changes = app.contentVersion.changes;
  let changed = { ...changes };
  // Statements by their first words: how many, their total time, and how many failed (busy).
  let queries = new Map<string, { n: number; ms: number; failed: number }>();
  const observe = app.db.events.onQuery;
  app.db.events.onQuery = (e) => {
    observe?.(e);
    // The column list says little and is long: what follows FROM tells statements apart.
    const key = e.query.sql.replace(/^select .*? from /s, 'select … from ').slice(0, QUERY_KEY_CHARS);
    const q = queries.get(key) ?? { n: 0, ms: 0, failed: 0 };
    queries.set(key, q);
    q.n++;
    q.ms += e.queryDurationMillis;
    if (e.level === 'error') q.failed++;
  };
  server.addHook('onResponse', (req, reply, done) => {
    const route = (req.routeOptions.config as { tablePath?: string } | undefined)?.tablePath ?? 'unmatched';
    const key = `${req.method} ${route} ${reply.statusCode}`;
    const xs = times.get(key);
    if (xs) xs.push(reply.elapsedTime);
    else times.set(key, [reply.elapsedTime]);
    done();
  });
  const timer = setInterval(() => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    const routes: Record<string, { n: number; p50: number; p99: number; max: number }> = {};
    for (const [k, xs] of times) {
      xs.sort((a, b) => a - b);
      routes[k] = { n: xs.length, p50: round(pct(xs, 50)), p99: round(pct(xs, 99)), max: round(xs[xs.length - 1]) };
    }
    const s = server.responseCache.stats;
    const report = {
      t: Date.now(),
      ms: round(now - at),
      cpuMs: round((used.user + used.system) / 1000),
      loop: {
        p50: round(loop.percentile(50) / 1e6),
        p99: round(loop.percentile(99) / 1e6),
        max: round(loop.max / 1e6),
      },
      cache: Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v - cache[k as keyof typeof s]])),
      changes: Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v - changed[k as keyof typeof changes]])),
      queries: Object.fromEntries(
        [...queries]
          .sort((a, b) => b[1].ms - a[1].ms)
          .slice(0, QUERIES_REPORTED)
          .map(([k, q]) => [k, { n: q.n, ms: round(q.ms), failed: q.failed }]),
      ),
      rssMb: Math.round(process.memoryUsage.rss() / 1e6),
      routes,
    };
    process.stdout.write(`report ${JSON.stringify(report)}\n`);
    loop.reset();
    times = new Map();
    queries = new Map();
    cpu = process.cpuUsage();
    at = now;
    cache = { ...s };
    changed = { ...changes };
  }, everyMs);
  timer.unref();
}
