import { handler, raw } from './route.js';

/**
 * GET /metrics — Prometheus's text format (services/metrics.ts), for `Authorization: Bearer
 * METRICS_TOKEN` only (the route's `monitor` access); docs/grafana-dashboard.json plots it.
 */
export const metrics = handler({}, async (c) => raw(await c.app.metrics.render(), c.app.metrics.contentType));
