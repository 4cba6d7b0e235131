import type { Command } from 'commander';
import { ARXIV_OAI_URL, harvestOai, type HarvestSummary } from '../ingest/oai/harvester.js';
import { openApp } from '../services/app.js';

/** Rejects printed one by one before the rest are only counted (as for import). */
const MAX_REJECTS_PRINTED = 50;

function printSummary(s: HarvestSummary, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(s, null, 2));
    return;
  }
  console.log(
    `pages ${s.pages}, read ${s.read}, inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, ` +
      `deleted ${s.deleted}, rejected ${s.rejected}` +
      `${s.resumed ? ' (resumed an interrupted run)' : ''}; next harvest starts from ${s.nextFrom ?? 'the beginning'}`,
  );
}

export function registerHarvest(program: Command): void {
  program
    .command('harvest')
    .description("Harvest papers from a feed: `oai` = arXiv's OAI-PMH (ListRecords, metadataPrefix arXiv), incremental and resumable.")
    .argument('<feed>', 'oai')
    .option('--from <date>', 'first datestamp, YYYY-MM-DD (default: where the last harvest ended)')
    .option('--until <date>', 'last datestamp, YYYY-MM-DD (default: open-ended)')
    .option('--url <url>', 'OAI-PMH endpoint', ARXIV_OAI_URL)
    .option('--set <set>', 'OAI set, e.g. cs or physics:hep-th (each set keeps its own progress)')
    .option('--json', 'print the summary as JSON')
    .option('--quiet', 'no progress output')
    .action(async (feed: string, opts: { from?: string; until?: string; url: string; set?: string; json?: boolean; quiet?: boolean }) => {
      if (feed !== 'oai') {
        console.error(`paperboy harvest: unknown feed "${feed}". Use: oai.`);
        process.exitCode = 2;
        return;
      }
      const app = await openApp({ migrate: true });
      const quiet = opts.quiet || opts.json;
      let printed = 0;
      try {
        const summary = await harvestOai(app.db, {
          baseUrl: opts.url,
          from: opts.from,
          until: opts.until,
          set: opts.set,
          // One line per page: a page is one request, a few seconds apart, so this never floods.
          onPage: (n, s) => {
            if (!quiet) process.stderr.write(`harvest oai: page ${n}, read ${s.read}, inserted ${s.inserted}, updated ${s.updated}, rejected ${s.rejected}\n`);
          },
          onWait: (ms, reason) => {
            if (!quiet && ms >= 1000) process.stderr.write(`harvest oai: waiting ${Math.round(ms / 1000)} s (${reason})\n`);
          },
          onReject: (r) => {
            if (opts.json) return;
            if (printed++ < MAX_REJECTS_PRINTED) console.error(`rejected ${r.file} record ${r.line}: ${r.reason}`);
            else if (printed === MAX_REJECTS_PRINTED + 1) console.error('… further rejects are counted in the summary');
          },
        });
        printSummary(summary, !!opts.json);
        if (summary.rejected > 0) process.exitCode = 1;
      } catch (err) {
        console.error(`paperboy harvest: ${(err as Error).message}`);
        process.exitCode = 1;
      } finally {
        await app.close();
      }
    });
}
