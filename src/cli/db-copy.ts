import type { Command } from 'commander';
import { type ConfigError, parseDatabaseUrl } from '../config/config.js';
import { openDb } from '../db/open.js';
import { copyDatabase } from '../services/db-copy.js';

function describe(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

export function registerDbCopy(program: Command): void {
  const db = program.commands.find((c) => c.name() === 'db') ?? program.command('db').description('Database tools.');
  db.command('copy')
    .description(
      'Copy a whole site from one database to another, e.g. SQLite to PostgreSQL; reports row counts on both sides.',
    )
    .requiredOption('--from <url>', 'source: a file path, sqlite:FILE or postgres://…')
    .requiredOption('--to <url>', 'target: postgres://… or sqlite:FILE (migrated first; must be empty)')
    .option('--force', 'replace the rows of a target that already holds data')
    .option('--json', 'print the report as JSON')
    .action(async (opts: { from: string; to: string; force?: boolean; json?: boolean }) => {
      let fromTarget: ReturnType<typeof parseDatabaseUrl>;
      let toTarget: ReturnType<typeof parseDatabaseUrl>;
      try {
        fromTarget = parseDatabaseUrl(opts.from);
        toTarget = parseDatabaseUrl(opts.to);
      } catch (err) {
        console.error(`paperboy db copy: ${(err as ConfigError).message.replace(/DATABASE_URL/g, 'the database URL')}`);
        process.exitCode = 2;
        return;
      }
      if (
        fromTarget.kind === 'sqlite' &&
        fromTarget.file !== ':memory:' &&
        !(await import('node:fs')).existsSync(fromTarget.file)
      ) {
        console.error(`paperboy db copy: the source database ${fromTarget.file} does not exist.`);
        process.exitCode = 2;
        return;
      }
      const from = openDb(fromTarget);
      const to = openDb(toTarget);
      try {
        if (!opts.json) console.error(`copying ${describe(opts.from)} → ${describe(opts.to)}`);
        const report = await copyDatabase(from, to, { force: opts.force });
        if (opts.json) {
          console.log(JSON.stringify(report, null, 2));
        } else {
          const width = Math.max(5, ...report.tables.map((t) => t.table.length));
          console.log(`${'table'.padEnd(width)}  ${'source'.padStart(9)}  ${'target'.padStart(9)}`);
          for (const t of report.tables)
            console.log(
              `${t.table.padEnd(width)}  ${String(t.source).padStart(9)}  ${String(t.target).padStart(9)}${t.source === t.target ? '' : '  MISMATCH'}`,
            );
          for (const s of report.skipped) console.log(`skipped ${s.table}: ${s.reason}`);
        }
        if (report.tables.some((t) => t.source !== t.target)) process.exitCode = 1;
      } catch (err) {
        console.error((err as Error).message);
        process.exitCode = 1;
      } finally {
        await from.close();
        await to.close();
      }
    });
}
