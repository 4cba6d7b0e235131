import fs from 'node:fs';
import type { Command } from 'commander';
import { openApp } from '../app.js';
import { exportSubscribersCsv, importSubscribersCsv } from '../services/subscriptions.js';

/** Rejected lines printed one by one before the rest are only counted. */
const MAX_REJECTS_PRINTED = 50;

export function registerSubscribers(program: Command): void {
  const cmd = program
    .command('subscribers')
    .description('Move a newsletter in and out: import and export subscribers as CSV.');

  cmd
    .command('import')
    .description(
      'Import confirmed subscribers from CSV: email, frequency (daily|weekly), topics ("cs.CL; org:google; keyword:rlhf"); optional hour, time_zone, count, min_upvotes. Known addresses are left as they are.',
    )
    .argument('<file>', 'CSV file with a header row')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      if (!fs.existsSync(file)) {
        console.error(`paperboy subscribers import: ${file}: no such file`);
        process.exitCode = 2;
        return;
      }
      const app = await openApp({ migrate: true });
      try {
        const r = await importSubscribersCsv(app, fs.createReadStream(file));
        if (opts.json) console.log(JSON.stringify(r, null, 2));
        else {
          for (const x of r.rejected.slice(0, MAX_REJECTS_PRINTED))
            console.error(`rejected ${file}:${x.line}: ${x.reason}`);
          if (r.rejected.length > MAX_REJECTS_PRINTED)
            console.error(`… and ${r.rejected.length - MAX_REJECTS_PRINTED} more rejected`);
          console.log(
            `read ${r.read}, inserted ${r.inserted}, already known ${r.known}, rejected ${r.rejected.length}`,
          );
        }
        if (r.rejected.length > 0) process.exitCode = 1;
      } catch (err) {
        console.error((err as Error).message);
        process.exitCode = 1;
      } finally {
        await app.close();
      }
    });

  cmd
    .command('export')
    .description('Write subscribers as CSV (the import reads it back); active ones unless --all.')
    .option('--all', 'include pending, unsubscribed and suppressed addresses (with their status)')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (opts: { all?: boolean; out?: string }) => {
      const app = await openApp({ migrate: true });
      const out: NodeJS.WritableStream = opts.out ? fs.createWriteStream(opts.out) : process.stdout;
      try {
        for await (const chunk of exportSubscribersCsv(app, { all: opts.all })) {
          if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        }
      } finally {
        if (opts.out) await new Promise<void>((r) => (out as fs.WriteStream).end(() => r()));
        await app.close();
      }
    });
}
