import { afterEach, describe, expect, it } from 'vitest';
import { FetchError, PoliteHttp, retryAfterMs } from '../../src/ingest/polite-http.js';
import { type ReplayServer, startReplayServer } from '../helpers/replay-server.js';

describe('PoliteHttp over a real local server', () => {
  let server: ReplayServer | null = null;
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  afterEach(async () => {
    sleeps.length = 0;
    await server?.close();
    server = null;
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('10')).toBe(10_000);
    expect(retryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(30_000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });

  it('waits what 503 and 429 ask, capped, then returns the answer', async () => {
    server = await startReplayServer((_p, n) =>
      n === 1
        ? { status: 503, headers: { 'retry-after': '10' }, body: 'busy' }
        : n === 2
          ? { status: 429, headers: { 'retry-after': '99999' }, body: 'slow down' }
          : { status: 200, body: 'ok' },
    );
    const http = new PoliteHttp({ delayMs: 0, sleep, maxRetryWaitMs: 60_000 });
    const res = await http.get(`${server!.url}/x`);
    expect(res).toMatchObject({ status: 200, body: 'ok' });
    expect(sleeps).toEqual([10_000, 60_000]);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after the retries with an error naming the URL', async () => {
    server = await startReplayServer(() => ({ status: 503, body: 'down' }));
    const http = new PoliteHttp({ delayMs: 0, sleep, maxRetries: 2, retryBaseWaitMs: 100 });
    await expect(http.get(`${server!.url}/y`)).rejects.toThrow(FetchError);
    await expect(
      new PoliteHttp({ delayMs: 0, sleep, maxRetries: 1, retryBaseWaitMs: 100 }).get(`${server!.url}/z`),
    ).rejects.toThrow(new RegExp(`GET ${server!.url}/z: HTTP 503 still after 2 attempts`));
    // No Retry-After: the wait doubles from the base.
    expect(sleeps.slice(0, 2)).toEqual([100, 200]);
  });

  it('pauses between requests (the polite delay), and returns 4xx bodies to the caller', async () => {
    server = await startReplayServer(() => ({ status: 400, body: 'bad id' }));
    // A long delay with a recording sleep: the pause is asked for, and nothing really waits.
    const http = new PoliteHttp({ delayMs: 5000, sleep });
    expect((await http.get(`${server!.url}/a`)).status).toBe(400);
    await http.get(`${server!.url}/b`);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(3000);
    expect(sleeps[0]).toBeLessThanOrEqual(5000);
  });
});
