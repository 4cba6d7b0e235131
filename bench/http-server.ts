import { buildServer } from '../src/http/server.js';
import { assertSchemaCurrent, openApp } from '../src/services/app.js';

/**
 * The server the HTTP benchmark measures, in its own process (as `paperboy serve` runs it, without
 * request logging). PAGE_CACHE=off measures the plain render, the baseline.
 */
const app = await openApp();
await assertSchemaCurrent(app.db);
const server = await buildServer(app, { logger: false, pageCache: process.env.PAGE_CACHE !== 'off' });
// PORT is the site's configured port; the benchmark asks for any free one.
await server.listen({ port: Number(process.env.BENCH_PORT ?? 0), host: '127.0.0.1' });
const addr = server.server.address();
console.log(`ready ${typeof addr === 'object' && addr ? addr.port : ''}`);
process.on('SIGTERM', async () => {
  await server.close();
  await app.close();
  process.exit(0);
});
