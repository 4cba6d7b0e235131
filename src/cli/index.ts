import type { Command } from 'commander';
import { openApp } from '../app.js';
import { rebuildSearchIndex } from '../services/search.js';

const MB = 1024 * 1024;

export function registerIndex(program: Command): void {
  const index = program.command('index').description('Manage the search index.');
  index
    .command('rebuild')
    .description('Rebuild the keyword index, retrain the embedding model and recompute every paper vector.')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const app = await openApp({ migrate: true });
      try {
        const r = await rebuildSearchIndex(app);
        if (opts.json) console.log(JSON.stringify(r, null, 2));
        else {
          console.log(`indexed ${r.papers} papers`);
          if (r.keywordSearch === 'database')
            console.log('keyword search PostgreSQL full text (KEYWORD_SEARCH=database): nothing to rebuild');
          else
            console.log(`keyword index  ${(r.keywordMs / 1000).toFixed(1)} s, ${(r.keywordBytes / MB).toFixed(1)} MB`);
          console.log(
            `semantic       ${(r.semanticMs / 1000).toFixed(1)} s (model trained, vectors stored), ${(r.vectorBytes / MB).toFixed(1)} MB`,
          );
        }
      } finally {
        await app.close();
      }
    });
}
