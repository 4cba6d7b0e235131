import { loadConfig } from '../../src/config/config.js';
import type { Db } from '../../src/db/open.js';
import type { Role } from '../../src/db/schema.js';
import { createMailer } from '../../src/mail/transport.js';
import type { Actor } from '../../src/model/actor.js';
import { emptyRecord, type PaperRecord } from '../../src/model/paper.js';
import { CLI_ACTOR, createUser, toActor } from '../../src/services/accounts.js';
import { type ServiceContext, serviceContext } from '../../src/services/context.js';
import { upsertPapers } from '../../src/store/paper-store.js';
import { findUserByUsername } from '../../src/store/user-store.js';

/** The cheapest scrypt cost the config allows: tests hash many passwords on two shared cores. */
export const TEST_ENV = { PASSWORD_SCRYPT_LOG_N: '10', SECRET_KEY: 'test-secret-key-that-is-long-enough-0123456789' };

export interface TestCtx extends ServiceContext {
  /** Move the clock. */
  advance(ms: number): void;
  notices: string[];
}

export function testCtx(db: Db, env: Record<string, string> = {}, smtpUrl?: string): TestCtx {
  const config = loadConfig({ ...TEST_ENV, ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}), ...env });
  let offset = 0;
  const notices: string[] = [];
  const base = serviceContext({
    db,
    config,
    mailer: createMailer(config),
    now: () => new Date(Date.now() + offset),
    notice: (m) => notices.push(m),
  });
  return Object.assign(base, { advance: (ms: number) => (offset += ms), notices });
}

/** A verified user of a role, created through the service, returned as an actor. */
export async function makeUser(
  ctx: ServiceContext,
  username: string,
  role: Role = 'user',
  opts: { password?: string; createdHoursAgo?: number } = {},
): Promise<Actor> {
  await createUser(ctx, CLI_ACTOR, {
    username,
    email: `${username}@example.org`,
    role,
    password: opts.password ?? 'correct horse battery staple',
  });
  const u = (await findUserByUsername(ctx.db, username))!;
  if (opts.createdHoursAgo !== undefined) {
    const created = new Date(ctx.now().getTime() - opts.createdHoursAgo * 3_600_000).toISOString();
    await ctx.db.kysely.updateTable('users').set({ created_at: created }).where('id', '=', u.id).execute();
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
