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
