import path from 'node:path';
import type { Command } from 'commander';
import { assertSchemaCurrent, openApp } from '../app.js';
import { loadConfig } from '../config/config.js';
import { openDb } from '../db/open.js';
import { backupFileName, restoreBackup, takeBackup } from '../services/backup.js';

/** `paperboy backup [FILE]` and `paperboy restore FILE` (services/backup.ts). */
export function registerBackup(program: Command): void {
  program
    .command('backup [file]')
    .description(
      'Write a consistent copy of the site to one SQLite file while it runs (default: BACKUP_DIR or ., named by the time).',
    )
    .action(async (file: string | undefined) => {
      const app = await openApp();
      try {
        await assertSchemaCurrent(app.db);
        const target = file ?? path.join(app.config.backupDir ?? '.', backupFileName(new Date()));
        const r = await takeBackup(app, target, 'cli');
        console.log(`backup ${r.file}: ${r.bytes} bytes in ${(r.ms / 1000).toFixed(1)} s`);
      } catch (err) {
        console.error((err as Error).message);
        process.exitCode = 1;
      } finally {
        await app.close();
      }
    });
  program
    .command('restore <file>')
    .description(
      'Copy a backup file into the empty database DATABASE_URL names (migrated first), and compare row counts.',
    )
    .action(async (file: string) => {
      const config = loadConfig();
      const db = openDb(config.database);
      try {
        const report = await restoreBackup(path.resolve(file), db);
        for (const t of report.tables)
          console.log(
            `${t.table.padEnd(24)} ${String(t.source).padStart(9)} ${String(t.target).padStart(9)}${t.source === t.target ? '' : '  MISMATCH'}`,
          );
        if (report.tables.some((t) => t.source !== t.target)) process.exitCode = 1;
        else console.log(`restored ${file}`);
      } catch (err) {
        console.error((err as Error).message);
        process.exitCode = 1;
      } finally {
        await db.close();
      }
    });
}
