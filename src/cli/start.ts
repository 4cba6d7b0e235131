import type { Command } from 'commander';
import { openApp } from '../app.js';
import { loadDemoIfEmpty } from '../services/demo.js';
import { serve } from './serve.js';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description(
      'Migrate, load the demo papers into an empty database, and serve with a job worker (what `npm start` runs).',
    )
    .option('--no-demo', 'do not load the demo papers and community on an empty database')
    .action(async (opts: { demo: boolean }) => {
      const app = await openApp({ migrate: true });
      if (app.config.insecureDevSecret)
        console.warn('warning: SECRET_KEY is not set; using a development key (set it in production).');
      if (opts.demo) {
        const loaded = await loadDemoIfEmpty(app);
        if (loaded)
          console.log(
            `loaded ${loaded.papers.inserted} demo papers (see NOTICE) and a generated demo community: ${loaded.community.users} users, ${loaded.community.entries} featured entries, ${loaded.community.votes} votes, ${loaded.community.comments} comments (remove it with \`paperboy demo remove\`)`,
          );
      }
      await serve(app, { worker: true });
    });
}
