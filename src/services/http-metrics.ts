import type { Counter, Metric, Registry } from 'prom-client';

type Label = 'method' | 'route' | 'status';

/** One label set: its requests and their latencies. */
interface Series {
  labels: Record<Label, string>;
  /** Observations per bucket (not cumulative), one slot per bound. */
  perBucket: number[];
  sum: number;
  count: number;
}

/**
 * HTTP requests answered, by method, route-table entry and status, and their latency histogram.
 * Counted here rather than by prom-client's Counter.inc and Histogram.observe: those validate the
 * labels, build a hash string and a closure on every call (1.7 µs a request, the largest cost a
 * cached page paid that the commit before issue #12 did not). At a scrape the counts become the
 * same two metrics with the same text: the counter is copied into a prom-client Counter, and the
 * histogram is a registry metric printing what prom-client's Histogram prints (http-metrics.test.ts
 * compares the two).
 *
 * @example
 * const m = new HttpRequestMetrics(registry, counter, 'paperboy_http_request_duration_seconds', 'help', [0.1, 1]);
 * m.record('GET', '/', 200, 0.0004);
 */
export class HttpRequestMetrics {
  private readonly series = new Map<string, Series>();

  constructor(
    registry: Registry,
    private readonly requests: Counter<Label>,
    private readonly name: string,
    private readonly help: string,
    private readonly bounds: readonly number[],
  ) {
    // The registry asks a metric for its name and, at each scrape, for its values (get()).
    registry.registerMetric(this.asMetric() as unknown as Metric);
  }

  record(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let s = this.series.get(key);
    if (!s) {
      s = { labels: { method, route, status: String(status) }, perBucket: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    let i = 0;
    while (i < this.bounds.length && seconds > this.bounds[i]) i++;
    if (i < this.bounds.length) s.perBucket[i]++;
    s.sum += seconds;
    s.count++;
  }

  /** Copy the request counts into the Counter (before the registry prints it). */
  copyCounts(): void {
    for (const s of this.series.values()) {
      this.requests.remove(s.labels);
      this.requests.inc(s.labels, s.count);
    }
  }

  /** What prom-client's Histogram.get() gives the registry: buckets (cumulative), +Inf, sum, count. */
  private values() {
    const out: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
    for (const s of this.series.values()) {
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += s.perBucket[i];
        out.push({ labels: { le, ...s.labels }, value: acc, metricName: `${this.name}_bucket` });
      });
      out.push({ labels: { le: '+Inf', ...s.labels }, value: s.count, metricName: `${this.name}_bucket` });
      out.push({ labels: { ...s.labels }, value: s.sum, metricName: `${this.name}_sum` });
      out.push({ labels: { ...s.labels }, value: s.count, metricName: `${this.name}_count` });
    }
    return out;
  }

  private asMetric() {
    return {
      name: this.name,
      help: this.help,
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({
        name: this.name,
        help: this.help,
        type: 'histogram',
        values: this.values(),
        aggregator: 'sum',
      }),
    };
  }
}
