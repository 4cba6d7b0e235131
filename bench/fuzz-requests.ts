import type { InjectOptions } from 'fastify';
import { openApiDocument } from '../src/http/api/openapi.js';
import type { Route } from '../src/http/route.js';
import { routes } from '../src/http/routes.js';
import { fastifyPaths } from '../src/http/server.js';
import { seededRandom } from '../src/lib/seeded-random.js';

/**
 * Generated and hostile requests for every route of the route table and every parameter the
 * OpenAPI document names: valid values mixed with repeated parameters, wrong types, NUL, huge
 * values, malformed percent-encodings and JSON, junk headers, and with or without a session, a
 * CSRF token or an API token. Used by `npm run fuzz` (bench/fuzz.ts) and the suite's short run
 * (test/http/fuzz.test.ts). A response of 500 or more is a bug.
 */

/** What the fuzzer may use to get past the front door: known ids and credentials of the fuzzed site. */
export interface FuzzWorld {
  arxivIds: string[];
  usernames: string[];
  orgs: string[];
  commentIds: number[];
  /** Cookie header and CSRF token of signed-in browsers (a user, an admin). */
  sessions: Array<{ cookie: string; csrf: string }>;
  /** API tokens (read and write). */
  tokens: string[];
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '%00',
  '%E0%A4%A',
  '%',
  '%%',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  '\u3000',
  '\n\r',
  '\ud800',
  '🙂'.repeat(50),
  '-1',
  '0',
  '1e309',
  '99999999999999999999',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  '2025-13-45',
  '2025-W99',
  'javascript:alert(1)',
  '//evil.example',
  '/%09/evil.example',
];

type Rng = () => number;

/** Percent-encode; a lone surrogate (which encodeURIComponent refuses) becomes the bytes of one, invalid UTF-8. */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
}
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

function huge(r: Rng): string {
  return pick(r, ['x', 'é', '%', '<', '\u0000']).repeat(Math.floor(r() * 20_000) + 1000);
}

/** A value for a parameter: plausible most of the time, hostile often. */
function value(r: Rng, name: string, w: FuzzWorld): string {
  const roll = r();
  if (roll < 0.15) return pick(r, HOSTILE_STRINGS);
  if (roll < 0.18) return huge(r);
  const plausible: Record<string, () => string> = {
    q: () => pick(r, ['transformer', '"sparse attention"', 'speedup:>2', 'author:lovelace', 'a AND', '(', '*']),
    page: () => String(Math.floor(r() * 5)),
    p: () => String(Math.floor(r() * 5)),
    limit: () => String(Math.floor(r() * 150)),
    date: () => pick(r, ['2025-06-11', '2025-06-12', '2026-01-01']),
    day: () => pick(r, ['2025-06-11', '2025-06-12']),
    week: () => pick(r, ['2025-W24', '2025-W01']),
    month: () => pick(r, ['2025-06', '2024-12']),
    mode: () => pick(r, ['hybrid', 'keyword', 'semantic', 'other']),
    sort: () => pick(r, ['publishedAt', 'trending', 'upvotes']),
    category: () => pick(r, ['cs.CL', 'cs.LG', 'math']),
    arxivId: () => pick(r, w.arxivIds),
    id: () => pick(r, w.arxivIds),
    paper: () => pick(r, w.arxivIds),
    username: () => pick(r, w.usernames),
    login: () => pick(r, w.usernames),
    name: () => pick(r, w.orgs),
    cid: () => String(pick(r, w.commentIds)),
    comment: () => 'A **comment** with [a link](https://example.org).',
    email: () => pick(r, ['ada@example.org', 'new@example.org', 'not-an-address']),
    up: () => pick(r, ['0', '1']),
    saved: () => pick(r, ['0', '1']),
    reason: () => pick(r, ['spam', 'abuse', 'whatever']),
    role: () => pick(r, ['user', 'curator', 'admin', 'root']),
    scope: () => pick(r, ['read', 'write', 'all']),
    format: () => pick(r, ['bibtex', 'json']),
  };
  return (plausible[name] ?? (() => pick(r, ['1', 'abc', '2501.00001'])))();
}

/** Parameter names the OpenAPI document declares, by path. */
function openApiParams(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const doc = openApiDocument('http://fuzz.test') as { paths: Record<string, Record<string, unknown>> };
  for (const [p, methods] of Object.entries(doc.paths)) {
    const names = new Set<string>();
    for (const m of Object.values(methods)) {
      for (const prm of (m as { parameters?: Array<{ name: string }> }).parameters ?? []) names.add(prm.name);
    }
    out.set(p.replace(/\{(\w+)\}/g, ':$1'), [...names]);
  }
  return out;
}

function fillPath(r: Rng, path: string, w: FuzzWorld): string {
  return path
    .replace('*', () => (r() < 0.7 ? pick(r, w.arxivIds) : enc(pick(r, HOSTILE_STRINGS)) || 'x'))
    .replace(/:(\w+)/g, (_, name: string) => {
      if (name === 'archive') return pick(r, ['hep-th', 'math', '%00']);
      if (name === 'num') return pick(r, ['9504118', '0601001', 'x']);
      if (name === 'file') return pick(r, ['acme.xml', 'acme.atom', 'x.json', '%00.xml']);
      const v = value(r, name, w);
      // Sometimes raw (malformed escapes reach the router as they are), mostly encoded.
      return r() < 0.1 ? v.replace(/[/?#\s]/g, '') || 'x' : enc(v) || 'x';
    });
}

function queryString(r: Rng, names: string[], w: FuzzWorld): string {
  const parts: string[] = [];
  for (const n of names) {
    if (r() < 0.4) continue;
    const times = r() < 0.1 ? 2 : 1; // a repeated parameter
    for (let i = 0; i < times; i++) {
      const v = value(r, n, w);
      parts.push(`${n}=${r() < 0.05 ? v : enc(v)}`);
    }
  }
  if (r() < 0.2) parts.push(`junk${Math.floor(r() * 1000)}=${enc(pick(r, HOSTILE_STRINGS))}`);
  if (r() < 0.05) parts.push('a[]=1&a[b]=2&=&&');
  return parts.length ? `?${parts.join('&')}` : '';
}

/** A body for a write: form or JSON, right fields or wrong types, sometimes malformed. */
function body(r: Rng, names: string[], w: FuzzWorld, csrf: string | null) {
  const fields: Record<string, unknown> = {};
  for (const n of names) {
    if (r() < 0.2) continue;
    const roll = r();
    fields[n] =
      roll < 0.7
        ? value(r, n, w)
        : pick(r, [5, -1, Number.POSITIVE_INFINITY, true, null, [], ['a', 'b'], { a: 1 }, huge(r)] as unknown[]);
  }
  if (csrf && r() < 0.9) fields._csrf = csrf;
  const kind = r();
  if (kind < 0.5) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) {
      if (Array.isArray(v)) for (const x of v) form.append(k, String(x));
      else form.append(k, String(v));
    }
    if (r() < 0.1) form.append(pick(r, names.length ? names : ['x']), 'again'); // a duplicated field
    return { 'content-type': 'application/x-www-form-urlencoded', payload: form.toString() };
  }
  if (kind < 0.85) return { 'content-type': 'application/json', payload: JSON.stringify(fields) };
  return {
    'content-type': pick(r, ['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml']),
    payload: pick(r, ['{"a":', '\u0000\u0000', 'a=%ZZ', '--x\r\n\r\n--x--', '<a/>', huge(r)]),
  };
}

function shapeKeys(route: Route, part: 'query' | 'body'): string[] {
  const s = route.handler[part];
  return s ? Object.keys(s.shape) : [];
}

/**
 * Whether an answer is a fault. Any 5xx is, except /readyz's 503: "not ready" is that route's
 * contract (the fuzz world runs no job worker), an answer rather than a failure.
 */
export function isFault(route: string, status: number): boolean {
  return status >= 500 && !(route === 'GET /readyz' && status === 503);
}

/**
 * `count` requests, deterministic for a seed, cycling over every route so each is hit about
 * equally often.
 *
 * @example
 * for (const req of fuzzRequests(world, 5000, 1)) await server.inject(req);
 */
export function* fuzzRequests(w: FuzzWorld, count: number, seed: number): Generator<InjectOptions & { route: string }> {
  const r = seededRandom(seed);
  const api = openApiParams();
  const targets = routes.flatMap((route) => fastifyPaths(route.path).map((path) => ({ route, path })));
  for (let i = 0; i < count; i++) {
    const { route, path } = targets[i % targets.length];
    const declared = [...shapeKeys(route, 'query'), ...(api.get(route.path) ?? [])];
    const url = fillPath(r, path, w) + queryString(r, declared, w);
    const headers: Record<string, string> = {};
    const session = r() < 0.5 ? pick(r, w.sessions) : null;
    if (session) headers.cookie = session.cookie;
    else if (r() < 0.05) headers.cookie = 'pb_session=junk; pb_pre=%ZZ';
    if (r() < 0.3)
      headers.authorization = r() < 0.7 ? `Bearer ${pick(r, w.tokens)}` : pick(r, ['Bearer', 'Bearer x', 'Basic abc']);
    if (r() < 0.3) headers.accept = pick(r, ['application/json', 'text/html', '*/*', 'text/markdown']);
    if (r() < 0.2) headers.referer = pick(r, ['http://[::1', 'http://localhost/papers', '%%', 'javascript:alert(1)']);
    if (r() < 0.1) headers.origin = pick(r, ['https://evil.example', 'null', 'http://localhost']);
    if (r() < 0.1) headers['x-forwarded-for'] = pick(r, ['1.2.3.4', 'junk, 5.6.7.8', '']);
    if (route.method === 'GET') {
      yield { method: 'GET', url, headers, route: `${route.method} ${route.path}` };
    } else {
      const b = body(r, shapeKeys(route, 'body'), w, session?.csrf ?? null);
      headers['content-type'] = b['content-type'];
      yield { method: route.method, url, headers, payload: b.payload, route: `${route.method} ${route.path}` };
    }
  }
}
