import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/config.js';
import { setCommunityContext } from '../../src/http/community/routes.js';
import { buildServer } from '../../src/http/server.js';
import { createMailer } from '../../src/mail/transport.js';
import type { App } from '../../src/services/app.js';
import { type ServiceContext, serviceContext } from '../../src/services/context.js';
import { TEST_ENV } from './community.js';
import type { TestDb } from './db.js';

/** A real server over a test database, with the community's settings from `env`. */
export async function communityServer(
  db: TestDb,
  env: Record<string, string> = {},
): Promise<{ server: FastifyInstance; app: App; ctx: ServiceContext }> {
  const config = loadConfig({ ...TEST_ENV, ...env });
  const app: App = { config, db, close: async () => {} };
  const ctx = serviceContext({ db, config, mailer: createMailer(config), notice: () => {} });
  setCommunityContext(app, ctx);
  const server = await buildServer(app);
  return { server, app, ctx };
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
