import type { Db } from '../db/open.js';
import type { Role, UserRow } from '../db/schema.js';
import { isUniqueViolation, storeError } from './store-errors.js';

interface NewUser {
  username: string;
  email: string;
  passwordHash: string | null;
  role?: Role;
  emailVerified?: boolean;
  createdAt: string;
}

export class UniqueTaken extends Error {
  constructor(readonly field: 'username' | 'email') {
    super(`${field} is taken`);
  }
}

/** Insert a user; throws UniqueTaken when the username or email is in use. */
export async function insertUser(db: Db, u: NewUser): Promise<UserRow> {
  try {
    return await db.kysely
      .insertInto('users')
      .values({
        username: u.username,
        email: u.email,
        fullname: null,
        password_hash: u.passwordHash,
        role: u.role ?? 'user',
        email_verified: u.emailVerified ? 1 : 0,
        banned: 0,
        upvotes_public: 1,
        created_at: u.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    if (isUniqueViolation(err)) {
      const taken = await db.kysely
        .selectFrom('users')
        .select('id')
        .where('username', '=', u.username)
        .executeTakeFirst();
      throw new UniqueTaken(taken ? 'username' : 'email');
    }
    throw storeError(`create user ${u.username}`, err);
  }
}

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.kysely.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.kysely.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.kysely.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

type UserPatch = Partial<
  Pick<UserRow, 'email' | 'fullname' | 'password_hash' | 'role' | 'email_verified' | 'banned' | 'upvotes_public'>
>;

export async function updateUser(db: Db, id: number, patch: UserPatch): Promise<void> {
  try {
    await db.kysely.updateTable('users').set(patch).where('id', '=', id).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw new UniqueTaken('email');
    throw storeError(`update user ${id}`, err);
  }
}

/**
 * The accounts whose verified address is one of `emails` (lower-cased), not banned: who a digest's
 * subscribers are, for their "For you" section.
 */
export async function verifiedUsersByEmail(db: Db, emails: readonly string[]): Promise<UserRow[]> {
  if (emails.length === 0) return [];
  return db.kysely
    .selectFrom('users')
    .selectAll()
    .where('email', 'in', [...emails])
    .where('email_verified', '=', 1)
    .where('banned', '=', 0)
    .execute();
}
