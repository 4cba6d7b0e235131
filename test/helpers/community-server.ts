import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/http/server.js';
import { type TestApp, testApp } from './app.js';
import type { TestDb } from './db.js';

/** A real server over a test database, with the community's settings from `env`. */
export async function communityServer(
  db: TestDb,
  env: Record<string, string> = {},
): Promise<{ server: FastifyInstance; app: TestApp; ctx: TestApp }> {
  const app = testApp(db, env);
  const server = await buildServer(app);
  return { server, app, ctx: app };
}

/** Cookies from Set-Cookie headers, merged into a jar (name → value). */
export function collectCookies(jar: Map<string, string>, setCookie: string | string[] | undefined): void {
  for (const c of [setCookie ?? []].flat()) {
    const [pair] = c.split(';');
    const i = pair.indexOf('=');
    jar.set(pair.slice(0, i), pair.slice(i + 1));
  }
}

export function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF field in page');
  return m[1];
}

/** Log in through the real form (its CSRF token and pre-session cookie); the jar holds the session. */
export async function logIn(server: FastifyInstance, login: string, password: string): Promise<Map<string, string>> {
  const jar = new Map<string, string>();
  const form = await server.inject({ url: '/login' });
  collectCookies(jar, form.headers['set-cookie']);
  const res = await server.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: cookieHeader(jar) },
    payload: { login, password, _csrf: csrfFrom(form.body) },
  });
  collectCookies(jar, res.headers['set-cookie']);
  return jar;
}
