import type { App } from '../../src/app.js';
import type { Db } from '../../src/db/open.js';
import type { Role } from '../../src/db/schema.js';
import type { Actor } from '../../src/model/actor.js';
import { emptyRecord, type PaperRecord } from '../../src/model/paper.js';
import { CLI_ACTOR, createUser, toActor } from '../../src/services/accounts.js';
import { upsertPapers } from '../../src/store/paper-store.js';
import { findUserByUsername } from '../../src/store/user-store.js';
import { type TestApp, testApp } from './app.js';

/** An App for service tests: SMTP from `smtpUrl` when given, a clock tests move. */
export function testCtx(db: Db, env: Record<string, string> = {}, smtpUrl?: string): TestApp {
  return testApp(db, { ...env, ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}) });
}

/** A verified user of a role, created through the service, returned as an actor. */
export async function makeUser(
  app: App,
  username: string,
  role: Role = 'user',
  opts: { password?: string; createdHoursAgo?: number } = {},
): Promise<Actor> {
  await createUser(app, CLI_ACTOR, {
    username,
    email: `${username}@example.org`,
    role,
    password: opts.password ?? 'correct horse battery staple',
  });
  const u = (await findUserByUsername(app.db, username))!;
  if (opts.createdHoursAgo !== undefined) {
    const created = new Date(app.clock.now().getTime() - opts.createdHoursAgo * 3_600_000).toISOString();
    await app.db.kysely.updateTable('users').set({ created_at: created }).where('id', '=', u.id).execute();
    u.created_at = created;
  }
  return toActor(u, 'session');
}

/** Insert papers published `daysAgo` days before now; returns their store ids. */
export async function makePapers(db: Db, ids: string[], over: Partial<PaperRecord> = {}): Promise<number[]> {
  const published = over.publishedAt ?? new Date(Date.now() - 2 * 86_400_000).toISOString();
  const r = await upsertPapers(
    db,
    ids.map((id) => ({
      ...emptyRecord(id),
      title: `Title ${id}`,
      abstract: `Abstract ${id}`,
      authors: ['Ada Lovelace', 'Alan Turing'],
      categories: ['cs.CL'],
      publishedAt: published,
      ...over,
    })),
  );
  return r.ids;
}
