import type { Db } from '../db/open.js';
import type { TokenScope, UserRow } from '../db/schema.js';
import { storeError } from './store-errors.js';

/** How precisely a token's last use is recorded (one hour). */
const LAST_USED_RESOLUTION_MS = 3_600_000;

export interface ApiTokenInfo {
  id: number;
  name: string;
  scope: TokenScope;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function insertApiToken(
  db: Db,
  t: { userId: number; name: string; tokenHash: string; scope: TokenScope; createdAt: string },
): Promise<number> {
  try {
    const r = await db.kysely
      .insertInto('api_tokens')
      .values({
        user_id: t.userId,
        name: t.name,
        token_hash: t.tokenHash,
        scope: t.scope,
        created_at: t.createdAt,
        last_used_at: null,
        revoked_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  } catch (err) {
    throw storeError(`create API token for user ${t.userId}`, err);
  }
}

/** The user and scope behind an unrevoked token; records the use. */
export async function findApiTokenUser(
  db: Db,
  tokenHash: string,
  now: string,
): Promise<{ user: UserRow; scope: TokenScope; tokenId: number } | undefined> {
  const row = await db.kysely
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select([
      'api_tokens.scope as token_scope',
      'api_tokens.id as token_id',
      'api_tokens.last_used_at as token_used_at',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  // "Last used" is shown by the day: record it at most once per LAST_USED_RESOLUTION_MS, so reads
  // through the API do not each cost a database write.
  if (!row.token_used_at || Date.parse(now) - Date.parse(row.token_used_at) > LAST_USED_RESOLUTION_MS) {
    await db.kysely.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  }
  const { token_scope, token_id, token_used_at: _used, ...user } = row;
  return { user, scope: token_scope, tokenId: token_id };
}

export async function listApiTokens(db: Db, userId: number): Promise<ApiTokenInfo[]> {
  const rows = await db.kysely
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scope: r.scope,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

/** Revoke one of a user's tokens; false when it is not theirs or already revoked. */
export async function revokeApiToken(db: Db, userId: number, tokenId: number, now: string): Promise<boolean> {
  const r = await db.kysely
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
