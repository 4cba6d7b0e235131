import type { Command } from 'commander';
import { openApp } from '../app.js';
import { collapseWhitespace } from '../lib/text.js';
import { DEFAULT_SEARCH_MODE, MAX_SEARCH_LIMIT, type SearchMode, searchPapers } from '../services/search.js';
import { paperSummaries } from '../store/search-store.js';

const MODES = ['keyword', 'semantic', 'hybrid'];

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('Search papers: words, "phrases", -excluded, author:, cat:, org:, after:, before:, has:code.')
    .argument('<query>', 'the query, in quotes')
    .option('--mode <mode>', `keyword | semantic | hybrid (default ${DEFAULT_SEARCH_MODE})`, DEFAULT_SEARCH_MODE)
    .option('--limit <n>', `results (1–${MAX_SEARCH_LIMIT})`, '10')
    .option('--offset <n>', 'results to skip', '0')
    .option('--json', 'print as JSON')
    .action(async (query: string, opts: { mode: string; limit: string; offset: string; json?: boolean }) => {
      if (!MODES.includes(opts.mode)) {
        console.error(`paperboy search: --mode must be one of ${MODES.join(', ')} (got "${opts.mode}").`);
        process.exitCode = 2;
        return;
      }
      const limit = Number(opts.limit);
      const offset = Number(opts.offset);
      if (
        !Number.isInteger(limit) ||
        limit < 1 ||
        limit > MAX_SEARCH_LIMIT ||
        !Number.isInteger(offset) ||
        offset < 0
      ) {
        console.error(
          `paperboy search: --limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT} and --offset 0 or more.`,
        );
        process.exitCode = 2;
        return;
      }
      const app = await openApp({ migrate: true });
      try {
        const r = await searchPapers(app, {
          q: query,
          mode: opts.mode as SearchMode,
          limit,
          offset,
          waitForSemantic: true,
        });
        const papers = await paperSummaries(
          app.db,
          r.hits.map((h) => h.paperId),
        );
        const hits = r.hits.map((h) => ({
          ...h,
          arxivId: papers.get(h.paperId)?.arxivId ?? null,
          title: papers.get(h.paperId)?.title ?? null,
        }));
        if (opts.json) {
          console.log(
            JSON.stringify(
              { mode: r.mode, total: r.total, totalIsEstimate: r.totalIsEstimate ?? false, notes: r.notes, hits },
              null,
              2,
            ),
          );
          return;
        }
        for (const n of r.notes) console.log(`note: ${n}`);
        console.log(`${r.totalIsEstimate ? 'about ' : ''}${r.total} results (${r.mode})`);
        hits.forEach((h, i) => {
          console.log(
            `${String(offset + i + 1).padStart(3)}. ${h.arxivId ?? '?'}  ${collapseWhitespace(h.title ?? '')}  (${h.score.toFixed(3)})`,
          );
        });
      } finally {
        await app.close();
      }
    });
}
