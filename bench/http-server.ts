import { assertSchemaCurrent, openApp } from '../src/app.js';
import { buildServer } from '../src/http/server.js';
import { warmSearch } from '../src/services/search.js';
import { startServerReport } from './server-report.js';

/**
 * The server the HTTP benchmark measures, in its own process (as `paperboy serve` runs it, without
 * request logging). PAGE_CACHE=off measures the plain render, the baseline.
 */
const app = await openApp();
await assertSchemaCurrent(app.db);
// Build the search indexes first (the semantic one is trained on first use and its vectors kept in
// the database, so only the first run on a new database pays for it): measured requests then never
// share the CPU with an index build.
// WARM_SEARCH=off: for runs that never search (the metrics mode measures `/`), minutes saved.
if (process.env.WARM_SEARCH !== 'off') {
  const t0 = Date.now();
  await warmSearch(app, { semantic: true });
  process.stderr.write(`bench:http search warm in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}
const server = await buildServer(app, { pageCache: process.env.PAGE_CACHE !== 'off' });
// BENCH_REPORT_MS: a line of where the time went every so often (bench:mixed reads them).
if (process.env.BENCH_REPORT_MS) startServerReport(app, server, Number(process.env.BENCH_REPORT_MS));
// PORT is the site's configured port; the benchmark asks for any free one.
await server.listen({ port: Number(process.env.BENCH_PORT ?? 0), host: '127.0.0.1' });
const addr = server.server.address();
console.log(`ready ${typeof addr === 'object' && addr ? addr.port : ''}`);
process.on('SIGTERM', async () => {
  await server.close();
  await app.close();
  process.exit(0);
});
