import type { ColumnDataType } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** Auto-incrementing integer key: INTEGER PRIMARY KEY on SQLite, SERIAL on PostgreSQL. */
export function idColumn(dialect: Dialect): ColumnDataType {
  return dialect === 'postgres' ? 'serial' : 'integer';
}
