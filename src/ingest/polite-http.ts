/**
 * A small HTTP GET client for services that ask to be harvested gently (arXiv's API and OAI-PMH):
 * a fixed pause between requests, `503`/`429` with `Retry-After` honoured (the wait capped), and a
 * few retries after a dropped connection. fetch, the pause and the clock are injectable so tests
 * run it against a real local server without sleeping.
 */

/** Retries of one request (503/429 or a dropped connection) before giving up. */
const HTTP_MAX_RETRIES = 5;
/** Longest Retry-After we obey; a server asking for more gets this much and another try. */
const HTTP_MAX_RETRY_WAIT_MS = 120_000;
/** Wait after a dropped connection or a 503 without Retry-After, doubled on each retry. */
const HTTP_RETRY_BASE_WAIT_MS = 5_000;
/** One request's time limit, so a hung server cannot stall a harvest forever. */
const HTTP_TIMEOUT_MS = 60_000;
const USER_AGENT = 'paperboy (+https://github.com/paperboy; self-hosted Daily Papers)';

export type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PoliteHttpOptions {
  /** Pause between the start of one request and the next (ms). */
  delayMs: number;
  fetch?: typeof fetch;
  sleep?: Sleep;
  maxRetries?: number;
  maxRetryWaitMs?: number;
  retryBaseWaitMs?: number;
  timeoutMs?: number;
  /** Called before each wait, so a CLI can say why it pauses. */
  onWait?: (ms: number, reason: string) => void;
}

interface HttpResponseOf<B> {
  url: string;
  status: number;
  headers: Headers;
  body: B;
}
type HttpResponse = HttpResponseOf<string>;

/** A response body up to `maxBytes`, or null (and the rest unread) when it is longer. */
async function readCapped(res: Response, maxBytes: number): Promise<Buffer | null> {
  const declared = Number(res.headers.get('content-length'));
  if (res.body === null) return Buffer.alloc(0);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body.cancel();
    return null;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      await res.body.cancel().catch(() => {});
      return null;
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/**
 * An upstream fetch that failed for good (retries spent, or a status not worth retrying): the
 * ingest client's own error, not an `AppError`, because it is about a source we called, not a
 * request someone made of us. `status` is null when no response came at all.
 */
export class FetchError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

/** Retry-After is either delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

export class PoliteHttp {
  private lastRequestAt = 0;
  private readonly fetch: typeof fetch;
  private readonly sleep: Sleep;

  constructor(private readonly opts: PoliteHttpOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch;
    this.sleep = opts.sleep ?? realSleep;
  }

  private async pause(): Promise<void> {
    const wait = this.lastRequestAt + this.opts.delayMs - Date.now();
    if (this.lastRequestAt > 0 && wait > 0) await this.sleep(wait);
    this.lastRequestAt = Date.now();
  }

  /** GET a URL; the body of any final status is returned (callers decide what a 400 means). */
  async get(url: string): Promise<HttpResponse> {
    return this.request(url, (res) => res.text());
  }

  /**
   * GET a URL's bytes (an image), reading at most `maxBytes`: a longer body (or a Content-Length
   * over the cap) is not read to its end and comes back as `tooLarge` with no bytes.
   */
  async getBytes(url: string, maxBytes: number): Promise<HttpResponse & { bytes: Buffer | null; tooLarge: boolean }> {
    const r = await this.request(url, (res) => readCapped(res, maxBytes));
    return { ...r, body: '', bytes: r.body, tooLarge: r.body === null };
  }

  private async request<B>(url: string, read: (res: Response) => Promise<B>): Promise<HttpResponseOf<B>> {
    const maxRetries = this.opts.maxRetries ?? HTTP_MAX_RETRIES;
    const cap = this.opts.maxRetryWaitMs ?? HTTP_MAX_RETRY_WAIT_MS;
    const base = this.opts.retryBaseWaitMs ?? HTTP_RETRY_BASE_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      await this.pause();
      let res: Response;
      let body: B;
      try {
        res = await this.fetch(url, {
          headers: { 'user-agent': USER_AGENT },
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? HTTP_TIMEOUT_MS),
        });
        body = await read(res);
      } catch (err) {
        const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
        if (attempt >= maxRetries) {
          throw new FetchError(`GET ${url} failed after ${attempt + 1} attempts: ${cause}`, url, null);
        }
        const wait = Math.min(cap, base * 2 ** attempt);
        this.opts.onWait?.(wait, `connection failed (${cause})`);
        await this.sleep(wait);
        continue;
      }
      if (res.status === 503 || res.status === 429) {
        if (attempt >= maxRetries) {
          throw new FetchError(`GET ${url}: HTTP ${res.status} still after ${attempt + 1} attempts`, url, res.status);
        }
        const asked = retryAfterMs(res.headers.get('retry-after'));
        const wait = Math.min(cap, asked ?? base * 2 ** attempt);
        this.opts.onWait?.(wait, `HTTP ${res.status}, Retry-After ${res.headers.get('retry-after') ?? 'absent'}`);
        await this.sleep(wait);
        continue;
      }
      return { url, status: res.status, headers: res.headers, body };
    }
  }
}
