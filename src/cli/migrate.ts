import type { Command } from 'commander';
import { openApp } from '../app.js';
import { migrateToLatest } from '../db/migrate.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Bring the database schema up to date (safe to run from several processes at once).')
    .action(async () => {
      const app = await openApp();
      try {
        const { applied } = await migrateToLatest(app.db);
        console.log(
          applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'schema is up to date',
        );
      } finally {
        await app.close();
      }
    });
}
