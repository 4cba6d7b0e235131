import type { Command } from 'commander';
import { openApp } from '../app.js';
import { siteStats } from '../store/stats-store.js';

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('Print what the site holds.')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const app = await openApp({ migrate: true });
      try {
        const s = await siteStats(app.db);
        if (opts.json) console.log(JSON.stringify(s, null, 2));
        else {
          const width = Math.max(...Object.keys(s).map((k) => k.length));
          for (const [k, v] of Object.entries(s)) console.log(`${k.padEnd(width)}  ${v}`);
        }
      } finally {
        await app.close();
      }
    });
}
