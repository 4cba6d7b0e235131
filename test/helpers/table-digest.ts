import crypto from 'node:crypto';
import type { Db } from '../../src/db/open.js';
import { describeTables, readPage } from '../../src/store/copy-store.js';

/** backup_runs differs by design: the backup holds its own run as `running`, the site then marks it `done`. */
const DIFFERS_BY_DESIGN = new Set(['backup_runs']);

function normal(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return Number(v);
  return v;
}

/** A digest of every row of every table, in primary-key order: equal digests, equal contents. */
export async function tableDigests(db: Db): Promise<Record<string, { rows: number; sha: string }>> {
  const out: Record<string, { rows: number; sha: string }> = {};
  for (const t of await describeTables(db)) {
    if (DIFFERS_BY_DESIGN.has(t.name)) continue;
    const h = crypto.createHash('sha256');
    let rows = 0;
    let after: Parameters<typeof readPage>[3] = null;
    for (;;) {
      const page = await readPage(db, t, [...t.columns].sort(), after, 1000);
      if (page.rows.length === 0) break;
      for (const r of page.rows) h.update(JSON.stringify(Object.entries(r).map(([k, v]) => [k, normal(v)])));
      rows += page.rows.length;
      after = page.next;
    }
    out[t.name] = { rows, sha: h.digest('hex') };
  }
  return out;
}
