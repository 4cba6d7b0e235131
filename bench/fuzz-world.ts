import type { FastifyInstance } from 'fastify';
import type { App } from '../src/app.js';
import { emptyRecord } from '../src/model/paper.js';
import { CLI_ACTOR, createApiToken, createUser, toActor } from '../src/services/accounts.js';
import { postComment } from '../src/services/comments.js';
import { createOrganization } from '../src/services/organizations.js';
import { upsertDailyEntries } from '../src/store/daily-store.js';
import { upsertPapers } from '../src/store/paper-store.js';
import { findUserByUsername } from '../src/store/user-store.js';
import type { FuzzWorld } from './fuzz-requests.js';

/** Every rate limit off: the fuzzer must reach the handlers, not the limiter (which it tests elsewhere). */
export const FUZZ_ENV: Record<string, string> = Object.fromEntries(
  ['LOGIN', 'SIGNUP', 'VOTE', 'SUBMIT', 'COMMENT', 'RESET', 'FLAG', 'SUBSCRIBE'].map((n) => [
    `RATE_LIMIT_${n}`,
    '0/0/1m',
  ]),
);

const PASSWORD = 'correct horse battery staple';

function setCookies(h: string | string[] | undefined): string {
  return [h ?? []]
    .flat()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** A small site to fuzz: papers on a daily list, a user, an admin, their sessions and tokens, a comment, an organisation. */
export async function buildFuzzWorld(app: App, server: FastifyInstance): Promise<FuzzWorld> {
  const arxivIds = Array.from({ length: 12 }, (_, i) => `2506.${String(i + 1).padStart(5, '0')}`);
  const { ids } = await upsertPapers(
    app.db,
    arxivIds.map((id, i) => ({
      ...emptyRecord(id),
      title: `Paper ${i} on sparse attention`,
      abstract: `We study transformers. Result ${i}: a 2x speedup and 62% less memory.`,
      authors: ['Ada Lovelace', 'Alan Turing'],
      categories: ['cs.CL'],
      publishedAt: '2025-06-10T00:00:00.000Z',
    })),
  );
  await upsertDailyEntries(
    app.db,
    ids.map((paperId, position) => ({
      paperId,
      day: '2025-06-11',
      position,
      submittedBy: 'fuzz',
      submitterFullname: 'Fuzz',
      submittedAt: '2025-06-11T08:00:00.000Z',
      source: 'fuzz',
      organizationId: null,
    })),
  );
  const usernames = ['ada', 'root'];
  await createUser(app, CLI_ACTOR, { username: 'ada', email: 'ada@example.org', password: PASSWORD });
  await createUser(app, CLI_ACTOR, { username: 'root', email: 'root@example.org', password: PASSWORD, role: 'admin' });
  await createOrganization(app, CLI_ACTOR, { name: 'acme', fullname: 'Acme Research' });
  const ada = toActor((await findUserByUsername(app.db, 'ada'))!, 'session');
  const c = await postComment(app, ada, { paperId: ids[0], body: 'First!' });
  const sessions: FuzzWorld['sessions'] = [];
  for (const login of usernames) {
    const page = await server.inject({ url: '/login' });
    const pre = setCookies(page.headers['set-cookie']);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const res = await server.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: pre },
      payload: { login, password: PASSWORD, _csrf: csrf },
    });
    const cookie = setCookies(res.headers['set-cookie']);
    const settings = await server.inject({ url: '/settings', headers: { cookie } });
    sessions.push({ cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(settings.body)![1] });
  }
  const tokens = [
    (await createApiToken(app, CLI_ACTOR, { name: 'r', scope: 'read', username: 'ada' })).token,
    (await createApiToken(app, CLI_ACTOR, { name: 'w', scope: 'write', username: 'ada' })).token,
  ];
  return { arxivIds, usernames, orgs: ['acme', 'nope'], commentIds: [c.id, 999999], sessions, tokens };
}
