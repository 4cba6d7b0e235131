import type { Db } from '../db/open.js';
import type { OrganizationRow } from '../db/schema.js';
import { isUniqueViolation, storeError } from './store-errors.js';

export type OrgRole = 'admin' | 'member';

export async function insertOrganization(
  db: Db,
  o: { name: string; fullname: string | null; at: string },
): Promise<OrganizationRow> {
  try {
    return await db.kysely
      .insertInto('organizations')
      .values({ name: o.name, fullname: o.fullname, avatar_url: null, created_at: o.at })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (err) {
    if (isUniqueViolation(err)) throw new Error(`store: organisation ${o.name} exists`);
    throw storeError(`create organisation ${o.name}`, err);
  }
}

/** Add or change a member's role. */
export async function upsertMember(
  db: Db,
  m: { organizationId: number; userId: number; role: OrgRole; at: string },
): Promise<void> {
  await db.kysely
    .insertInto('organization_members')
    .values({ organization_id: m.organizationId, user_id: m.userId, role: m.role, created_at: m.at })
    .onConflict((oc) => oc.columns(['organization_id', 'user_id']).doUpdateSet({ role: m.role }))
    .execute();
}

export async function removeMember(db: Db, organizationId: number, userId: number): Promise<boolean> {
  const r = await db.kysely
    .deleteFrom('organization_members')
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function memberRole(db: Db, organizationId: number, userId: number): Promise<OrgRole | undefined> {
  const r = await db.kysely
    .selectFrom('organization_members')
    .select('role')
    .where('organization_id', '=', organizationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return r?.role;
}

export async function listMembers(
  db: Db,
  organizationId: number,
): Promise<Array<{ userId: number; username: string; role: OrgRole }>> {
  const rows = await db.kysely
    .selectFrom('organization_members')
    .innerJoin('users', 'users.id', 'organization_members.user_id')
    .select(['users.id', 'users.username', 'organization_members.role'])
    .where('organization_members.organization_id', '=', organizationId)
    .where('users.banned', '=', 0)
    .orderBy('organization_members.role')
    .orderBy('users.username')
    .execute();
  return rows.map((r) => ({ userId: r.id, username: r.username, role: r.role }));
}

export async function organizationsOf(
  db: Db,
  userId: number,
): Promise<Array<{ id: number; name: string; role: OrgRole }>> {
  const rows = await db.kysely
    .selectFrom('organization_members')
    .innerJoin('organizations', 'organizations.id', 'organization_members.organization_id')
    .select(['organizations.id', 'organizations.name', 'organization_members.role'])
    .where('organization_members.user_id', '=', userId)
    .orderBy('organizations.name')
    .execute();
  return rows;
}
