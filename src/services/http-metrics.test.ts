import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { HttpRequestMetrics } from './http-metrics.js';

const BOUNDS = [0.0005, 0.001, 0.01, 1];
const LABELS = ['method', 'route', 'status'] as const;

/** The same requests through prom-client's Counter and Histogram, and through HttpRequestMetrics. */
async function both(requests: Array<[string, string, number, number]>) {
  const theirs = new Registry();
  const counter = new Counter({ name: 'reqs_total', help: 'requests', labelNames: LABELS, registers: [theirs] });
  const histogram = new Histogram({
    name: 'latency_seconds',
    help: 'latency',
    labelNames: LABELS,
    buckets: BOUNDS,
    registers: [theirs],
  });
  const ours = new Registry();
  const oursCounter = new Counter({ name: 'reqs_total', help: 'requests', labelNames: LABELS, registers: [ours] });
  const m = new HttpRequestMetrics(ours, oursCounter, 'latency_seconds', 'latency', BOUNDS);
  for (const [method, route, status, seconds] of requests) {
    const labels = { method, route, status: String(status) };
    counter.inc(labels);
    histogram.observe(labels, seconds);
    m.record(method, route, status, seconds);
  }
  m.copyCounts();
  return { theirs: await theirs.metrics(), ours: await ours.metrics(), m, oursCounter };
}

describe('HttpRequestMetrics', () => {
  it("prints what prom-client's Counter and Histogram print for the same requests", async () => {
    const { theirs, ours } = await both([
      ['GET', '/', 200, 0.0002],
      ['GET', '/', 200, 0.0005],
      ['GET', '/', 200, 0.003],
      ['GET', '/papers/*', 404, 2.5],
      ['POST', '/papers/*/vote', 303, 0.02],
      ['GET', 'unmatched', 404, 0.00001],
    ]);
    expect(ours).toBe(theirs);
    expect(ours).toContain('latency_seconds_bucket{le="0.001",method="GET",route="/",status="200"} 2');
    expect(ours).toContain('latency_seconds_bucket{le="+Inf",method="GET",route="/papers/*",status="404"} 1');
    expect(ours).toContain('reqs_total{method="GET",route="/",status="200"} 3');
  });

  it('keeps counting across scrapes', async () => {
    const { m, oursCounter } = await both([['GET', '/', 200, 0.1]]);
    m.record('GET', '/', 200, 0.1);
    m.copyCounts();
    const values = (await oursCounter.get()).values;
    expect(values).toEqual([{ labels: { method: 'GET', route: '/', status: '200' }, value: 2 }]);
  });
});
