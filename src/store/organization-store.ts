import type { Db } from '../db/open.js';
import type { OrganizationRow } from '../db/schema.js';
import { storeError } from './store-errors.js';

interface OrganizationInput {
  name: string;
  fullname?: string | null;
  avatarUrl?: string | null;
}

/**
 * Insert organisations that are new and fill in a full name or avatar we lacked; returns name → id.
 * Idempotent: a second call with the same input changes nothing.
 */
export async function upsertOrganizations(db: Db, orgs: OrganizationInput[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const byName = new Map<string, OrganizationInput>();
  for (const o of orgs) if (o.name) byName.set(o.name, { ...byName.get(o.name), ...o });
  if (byName.size === 0) return ids;
  const names = [...byName.keys()];
  const now = new Date().toISOString();
  try {
    const existing = await db.kysely.selectFrom('organizations').selectAll().where('name', 'in', names).execute();
    const found = new Map(existing.map((r) => [r.name, r]));
    for (const [name, o] of byName) {
      const row = found.get(name);
      if (!row) {
        const inserted = await db.kysely
          .insertInto('organizations')
          .values({ name, fullname: o.fullname ?? null, avatar_url: o.avatarUrl ?? null, created_at: now })
          .onConflict((oc) => oc.column('name').doNothing())
          .returning('id')
          .executeTakeFirst();
        const id =
          inserted?.id ??
          (await db.kysely.selectFrom('organizations').select('id').where('name', '=', name).executeTakeFirstOrThrow())
            .id;
        ids.set(name, id);
        continue;
      }
      ids.set(name, row.id);
      const fullname = o.fullname ?? row.fullname;
      const avatar = o.avatarUrl ?? row.avatar_url;
      if (fullname !== row.fullname || avatar !== row.avatar_url) {
        await db.kysely
          .updateTable('organizations')
          .set({ fullname, avatar_url: avatar })
          .where('id', '=', row.id)
          .execute();
      }
    }
  } catch (err) {
    throw storeError(`upsert organisations`, err);
  }
  return ids;
}

export async function findOrganization(db: Db, name: string): Promise<OrganizationRow | undefined> {
  return db.kysely.selectFrom('organizations').selectAll().where('name', '=', name).executeTakeFirst();
}
