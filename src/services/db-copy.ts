import { migrateToLatest, pendingMigrations } from '../db/migrate.js';
import type { Db } from '../db/open.js';
import { topoSort } from '../lib/topo-sort.js';
import {
  countRows,
  deleteAllRows,
  describeTables,
  insertRows,
  type PageKey,
  readPage,
  resetSequences,
  type TableInfo,
} from '../store/copy-store.js';
import { withTransaction } from '../store/transaction.js';

/** Most rows per read and per INSERT … */
const COPY_BATCH_ROWS = 1000;
/**
 * … and at most this many bound values per INSERT: PostgreSQL allows 65,535 parameters per
 * statement, SQLite 32,766; staying under both keeps one code path.
 */
const MAX_PARAMETERS_PER_STATEMENT = 30_000;

interface TableCopy {
  table: string;
  source: number;
  target: number;
}

export interface CopyReport {
  tables: TableCopy[];
  /** Source tables the target's schema lacks (e.g. SQLite's FTS index tables), with why. */
  skipped: Array<{ table: string; reason: string }>;
}

interface CopyOptions {
  /** Replace the rows of a target that already holds data. */
  force?: boolean;
  /** The source's migrations were checked by the caller (a snapshot transaction cannot run the migrator). */
  sourceChecked?: boolean;
  onTable?: (table: string, copied: number) => void;
}

class CopyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefused';
  }
}

/**
 * Copy every table of one database into another (SQLite → PostgreSQL to grow, or back): migrate
 * the target, copy the tables both schemas have in foreign-key order in batches (ids kept), reset
 * PostgreSQL sequences, and report row counts on both sides. The whole copy is one transaction on
 * the target: a failure leaves it as it was. Tables are read from the databases' catalogues, so
 * tables that other features add are copied too. Stop the site while copying: rows written to the
 * source meanwhile may be missed.
 *
 * @example
 * const report = await copyDatabase(openDb(sqliteTarget), openDb(pgTarget));
 * // report.tables: [{ table: 'organizations', source: 12, target: 12 }, { table: 'papers', … }]
 */
export async function copyDatabase(from: Db, to: Db, opts: CopyOptions = {}): Promise<CopyReport> {
  const pending = opts.sourceChecked ? [] : await pendingMigrations(from);
  if (pending.length > 0) {
    throw new CopyRefused(
      `db copy: the source has ${pending.length} pending migration(s) (${pending.join(', ')}). Fix: run \`paperboy migrate\` on it first.`,
    );
  }
  await migrateToLatest(to);
  const source = await describeTables(from);
  const target = new Map((await describeTables(to)).map((t) => [t.name, t]));
  const skipped = source
    .filter((t) => !target.has(t.name))
    .map((t) => ({ table: t.name, reason: 'not in the target schema' }));
  const shared = source.filter((t) => target.has(t.name));
  let order: string[];
  try {
    order = topoSort(
      shared.map((t) => t.name),
      (name) => target.get(name)!.references,
    );
  } catch (err) {
    throw new CopyRefused(`db copy: cannot order the tables by their foreign keys: ${(err as Error).message}`);
  }
  const byName = new Map(shared.map((t) => [t.name, t]));

  const nonEmpty: string[] = [];
  for (const name of order) {
    const n = await countRows(to, name);
    if (n > 0) nonEmpty.push(`${name} (${n})`);
  }
  if (nonEmpty.length > 0 && !opts.force) {
    throw new CopyRefused(
      `db copy: the target is not empty: ${nonEmpty.join(', ')}. Fix: copy into an empty database, or pass --force to replace its rows.`,
    );
  }

  await withTransaction(to, async (tdb) => {
    // Children before parents, so foreign keys never point at a deleted row.
    if (nonEmpty.length > 0) for (const name of [...order].reverse()) await deleteAllRows(tdb, name);
    for (const name of order) {
      const src = byName.get(name)!;
      const dst: TableInfo = target.get(name)!;
      const cols = src.columns.filter((c) => dst.columns.includes(c));
      const perInsert = Math.max(
        1,
        Math.min(COPY_BATCH_ROWS, Math.floor(MAX_PARAMETERS_PER_STATEMENT / Math.max(1, cols.length))),
      );
      let after: PageKey = null;
      let copied = 0;
      for (;;) {
        const page = await readPage(from, src, cols, after, perInsert);
        if (page.rows.length === 0) break;
        await insertRows(tdb, name, cols, page.rows);
        copied += page.rows.length;
        after = page.next;
        opts.onTable?.(name, copied);
      }
      await resetSequences(tdb, dst);
    }
  });

  const tables: TableCopy[] = [];
  for (const name of order)
    tables.push({ table: name, source: await countRows(from, name), target: await countRows(to, name) });
  return { tables, skipped };
}
