import { DatabaseBusyError, isSqliteBusy } from '../db/busy.js';

/** True when a database error is a unique-constraint violation (SQLite or PostgreSQL). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Wrap a store failure with its room and what was attempted: `store: cannot create user ada: …`.
 * A busy database stays a DatabaseBusyError (the caller may retry; the web answers 503), with
 * what was attempted added to its detail for the log.
 */
export function storeError(what: string, err: unknown): Error {
  if (err instanceof DatabaseBusyError) return err;
  if (isSqliteBusy(err)) return new DatabaseBusyError(`store: cannot ${what}: ${(err as Error).message}`);
  const e = new Error(`store: cannot ${what}: ${(err as Error)?.message ?? String(err)}`);
  (e as { cause?: unknown }).cause = err;
  return e;
}

/** A driver's raw "database is locked" as a DatabaseBusyError; null for anything else. */
export function asDatabaseBusy(err: unknown): DatabaseBusyError | null {
  if (err instanceof DatabaseBusyError) return err;
  if (isSqliteBusy(err)) return new DatabaseBusyError((err as Error).message);
  return null;
}
