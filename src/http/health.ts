import { checkReadiness } from '../services/readiness.js';
import { handler, json } from './route.js';

/**
 * GET /healthz — the process is alive and its event loop answers. Never touches the database, so a
 * hung database does not get a healthy process restarted by its supervisor.
 */
export const health = handler({}, async () => json({ ok: true }));

/**
 * GET /readyz — ready to serve: the database answers, the schema is current, the search index is
 * loaded, a job worker is running, mail answers when configured; the last backup's age. 503 with
 * `problems` naming what is wrong (services/readiness.ts).
 */
export const ready = handler({}, async (c) => {
  const r = await checkReadiness(c.app);
  return json(r, r.ready ? 200 : 503);
});
