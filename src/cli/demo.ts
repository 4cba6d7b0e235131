import type { Command } from 'commander';
import { openApp } from '../app.js';
import { addDemoCommunity, removeDemo } from '../services/demo.js';

export function registerDemo(program: Command): void {
  const demo = program
    .command('demo')
    .description('The demo community generated on first start (demo users, votes, comments, featured lists).');
  demo
    .command('remove')
    .description('Remove the demo community: its users, votes, comments, featured entries and organisations.')
    .action(async () => {
      const app = await openApp({ migrate: true });
      try {
        const r = await removeDemo(app);
        console.log(
          `removed the demo community: ${r.users} users (with their votes and comments), ${r.entries} featured entries, ${r.organisations} organisations; the papers stay`,
        );
      } finally {
        await app.close();
      }
    });
  demo
    .command('add')
    .description('Generate the demo community (from a fixed seed) over the papers already loaded.')
    .action(async () => {
      const app = await openApp({ migrate: true });
      try {
        const r = await addDemoCommunity(app);
        console.log(
          `added the demo community: ${r.users} users, ${r.entries} featured entries, ${r.votes} votes, ${r.comments} comments, ${r.organisations} organisations`,
        );
      } finally {
        await app.close();
      }
    });
}
