import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/open.js';
import { storeError } from './store-errors.js';

/**
 * Generic table access for `paperboy db copy`: the tables come from the database's own catalogue
 * (sqlite_master pragmas / PostgreSQL's information_schema and pg_constraint), so tables that any
 * migration adds are copied with no list to keep up to date.
 */
export interface TableInfo {
  name: string;
  /** Insertable columns in table order (generated columns are left out: the target computes them). */
  columns: string[];
  /** Primary key columns in key order; empty when the table has none. */
  primaryKey: string[];
  /** Tables this one references by foreign key. */
  references: string[];
  /** PostgreSQL: columns filled from a sequence (serial), to reset after a copy. */
  serialColumns: string[];
}

/**
 * Not copied: Kysely's own bookkeeping (the target is migrated by its own migrator, never copied
 * into); content_version, which only says "something changed" (PostgreSQL keeps it in a sequence);
 * and PostgreSQL's paper_search, which the target's triggers fill as the papers arrive.
 */
const NOT_COPIED = new Set(['kysely_migration', 'kysely_migration_lock', 'content_version', 'paper_search']);

async function rows<T>(db: Db, q: RawBuilder<T>): Promise<T[]> {
  return (await q.execute(db.kysely)).rows;
}

async function sqliteTables(db: Db): Promise<TableInfo[]> {
  // pragma table_list marks FTS5 and other virtual tables ('virtual') and their storage ('shadow'):
  // those belong to one dialect's search machinery and are rebuilt, not copied.
  const tables = await rows(
    db,
    sql<{
      name: string;
    }>`select name from pragma_table_list where schema = 'main' and type = 'table' and name not like 'sqlite_%' order by name`,
  );
  const out: TableInfo[] = [];
  for (const { name } of tables) {
    if (NOT_COPIED.has(name)) continue;
    const cols = await rows(
      db,
      sql<{ name: string; pk: number; hidden: number }>`select name, pk, hidden from pragma_table_xinfo(${name})`,
    );
    const fks = await rows(db, sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`);
    out.push({
      name,
      columns: cols.filter((c) => c.hidden === 0).map((c) => c.name),
      primaryKey: cols
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      references: [...new Set(fks.map((f) => f.table))],
      serialColumns: [],
    });
  }
  return out;
}

async function postgresTables(db: Db): Promise<TableInfo[]> {
  const tables = await rows(
    db,
    sql<{
      name: string;
    }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
  );
  const cols = await rows(
    db,
    sql<{
      table_name: string;
      column_name: string;
      is_generated: string;
      column_default: string | null;
    }>`select table_name, column_name, is_generated, column_default from information_schema.columns where table_schema = current_schema() order by table_name, ordinal_position`,
  );
  const pks = await rows(
    db,
    sql<{
      table_name: string;
      column_name: string;
    }>`select kcu.table_name, kcu.column_name from information_schema.table_constraints tc join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.constraint_schema = tc.constraint_schema where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = current_schema() order by kcu.table_name, kcu.ordinal_position`,
  );
  const fks = await rows(
    db,
    sql<{
      tbl: string;
      ref: string;
    }>`select c.relname as tbl, r.relname as ref from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class r on r.oid = k.confrelid where k.contype = 'f' and k.connamespace = current_schema()::regnamespace`,
  );
  return tables
    .filter((t) => !NOT_COPIED.has(t.name))
    .map(({ name }) => {
      const own = cols.filter((c) => c.table_name === name);
      return {
        name,
        columns: own.filter((c) => c.is_generated === 'NEVER').map((c) => c.column_name),
        primaryKey: pks.filter((p) => p.table_name === name).map((p) => p.column_name),
        references: [...new Set(fks.filter((f) => f.tbl === name).map((f) => f.ref))],
        serialColumns: own.filter((c) => c.column_default?.startsWith('nextval(')).map((c) => c.column_name),
      };
    });
}

/** The copyable tables of a database, read from its catalogue. */
export async function describeTables(db: Db): Promise<TableInfo[]> {
  try {
    return db.dialect === 'sqlite' ? await sqliteTables(db) : await postgresTables(db);
  } catch (err) {
    throw storeError(`read the table catalogue`, err);
  }
}

export async function countRows(db: Db, table: string): Promise<number> {
  const r = await rows(db, sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`);
  return Number(r[0]?.n ?? 0);
}

/** The key a batch read resumes after (the last row's primary key, or SQLite rowid / an offset). */
export type PageKey = { values: unknown[] } | { offset: number } | null;

/**
 * One page of rows in primary-key order, after `after`. Keyset paging (`(a, b) > (?, ?)`, which
 * both databases support) keeps each page cheap on large tables; a table without a primary key
 * pages by SQLite's rowid, or by offset on PostgreSQL.
 */
export async function readPage(
  db: Db,
  t: TableInfo,
  cols: string[],
  after: PageKey,
  limit: number,
): Promise<{ rows: Record<string, unknown>[]; next: PageKey }> {
  const select = sql.join(cols.map((c) => sql.ref(c)));
  if (t.primaryKey.length > 0) {
    const key = sql.join(t.primaryKey.map((c) => sql.ref(c)));
    const pkAlias = t.primaryKey.map((c, i) => sql`${sql.ref(c)} as ${sql.ref(`__pk${i}`)}`);
    const where = after && 'values' in after ? sql`where (${key}) > (${sql.join(after.values)})` : sql``;
    const out = await rows(
      db,
      sql<
        Record<string, unknown>
      >`select ${select}, ${sql.join(pkAlias)} from ${sql.table(t.name)} ${where} order by ${key} limit ${limit}`,
    );
    const last = out[out.length - 1];
    const next = last ? { values: t.primaryKey.map((_, i) => last[`__pk${i}`]) } : after;
    for (const r of out) for (let i = 0; i < t.primaryKey.length; i++) delete r[`__pk${i}`];
    return { rows: out, next };
  }
  if (db.dialect === 'sqlite') {
    const from = after && 'values' in after ? (after.values[0] as number) : 0;
    const out = await rows(
      db,
      sql<
        Record<string, unknown>
      >`select ${select}, rowid as __rowid from ${sql.table(t.name)} where rowid > ${from} order by rowid limit ${limit}`,
    );
    const last = out[out.length - 1];
    for (const r of out) delete r.__rowid;
    return { rows: out, next: last ? { values: [last.__rowid] } : after };
  }
  const offset = after && 'offset' in after ? after.offset : 0;
  const out = await rows(
    db,
    sql<
      Record<string, unknown>
    >`select ${select} from ${sql.table(t.name)} order by ${select} limit ${limit} offset ${offset}`,
  );
  return { rows: out, next: { offset: offset + out.length } };
}

/** Values the target driver can bind: SQLite takes no booleans or dates. */
function portable(v: unknown, dialect: Db['dialect']): unknown {
  if (dialect === 'sqlite') {
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v instanceof Date) return v.toISOString();
  }
  return v;
}

export async function insertRows(
  db: Db,
  table: string,
  cols: string[],
  data: Record<string, unknown>[],
): Promise<void> {
  if (data.length === 0) return;
  const values = data.map((r) => sql`(${sql.join(cols.map((c) => portable(r[c], db.dialect)))})`);
  await sql`insert into ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))}) values ${sql.join(values)}`.execute(
    db.kysely,
  );
}

export async function deleteAllRows(db: Db, table: string): Promise<void> {
  await sql`delete from ${sql.table(table)}`.execute(db.kysely);
}

/** PostgreSQL: move each serial column's sequence past the copied ids, so the next insert gets a fresh one. */
export async function resetSequences(db: Db, t: TableInfo): Promise<void> {
  if (db.dialect !== 'postgres') return;
  for (const col of t.serialColumns) {
    await sql`select setval(pg_get_serial_sequence(${t.name}, ${col}), coalesce(max(${sql.ref(col)}), 1), max(${sql.ref(col)}) is not null) from ${sql.table(t.name)}`.execute(
      db.kysely,
    );
  }
}
