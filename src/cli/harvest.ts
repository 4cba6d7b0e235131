import type { Command } from 'commander';
import { openApp } from '../app.js';
import { HF_DAILY_API_URL, harvestHfDaily } from '../ingest/hf-daily/client.js';
import { ARXIV_OAI_URL, type HarvestSummary, harvestOai } from '../ingest/oai/harvester.js';
import { recordedImport } from '../services/import-runs.js';

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
    .description(
      "Harvest papers from a live feed: `oai` = arXiv's OAI-PMH (ListRecords, metadataPrefix arXiv), incremental and resumable; " +
        "`hf-daily` = Hugging Face's Daily Papers API, day by day.",
    )
    .argument('<feed>', 'oai | hf-daily')
    .option('--from <date>', 'first day, YYYY-MM-DD (default: where the last harvest ended)')
    .option('--until <date>', 'last day, YYYY-MM-DD (default: open-ended for oai, today for hf-daily)')
    .option('--url <url>', `endpoint (default: ${ARXIV_OAI_URL} for oai, ${HF_DAILY_API_URL} for hf-daily)`)
    .option('--set <set>', 'oai only: OAI set, e.g. cs or physics:hep-th (each set keeps its own progress)')
    .option('--json', 'print the summary as JSON')
    .option('--quiet', 'no progress output')
    .action(
      async (
        feed: string,
        opts: { from?: string; until?: string; url?: string; set?: string; json?: boolean; quiet?: boolean },
      ) => {
        if (feed !== 'oai' && feed !== 'hf-daily') {
          console.error(`paperboy harvest: unknown feed "${feed}". Use: oai, hf-daily.`);
          process.exitCode = 2;
          return;
        }
        if (feed === 'hf-daily' && opts.set) {
          console.error('paperboy harvest: --set is for oai only (Hugging Face has one daily list).');
          process.exitCode = 2;
          return;
        }
        const app = await openApp({ migrate: true });
        const quiet = opts.quiet || opts.json;
        let printed = 0;
        const onReject = (r: { file: string; line: number; reason: string }) => {
          if (opts.json) return;
          if (printed++ < MAX_REJECTS_PRINTED) console.error(`rejected ${r.file} item ${r.line}: ${r.reason}`);
          else if (printed === MAX_REJECTS_PRINTED + 1) console.error('… further rejects are counted in the summary');
        };
        const onWait = (ms: number, reason: string) => {
          if (!quiet && ms >= 1000)
            process.stderr.write(`harvest ${feed}: waiting ${Math.round(ms / 1000)} s (${reason})\n`);
        };
        try {
          if (feed === 'hf-daily') {
            const s = await recordedImport(app, 'hf-daily', 'cli', () =>
              harvestHfDaily(app.db, {
                baseUrl: opts.url,
                from: opts.from,
                until: opts.until,
                onDay: (day, s) => {
                  if (!quiet)
                    process.stderr.write(
                      `harvest hf-daily: ${day}, read ${s.read}, inserted ${s.inserted}, updated ${s.updated}, rejected ${s.rejected}\n`,
                    );
                },
                onWait,
                onReject,
              }),
            );
            if (opts.json) console.log(JSON.stringify(s, null, 2));
            else
              console.log(
                `days ${s.days} (${s.from} to ${s.until}), read ${s.read}, inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}, rejected ${s.rejected}`,
              );
            if (s.rejected > 0) process.exitCode = 1;
            return;
          }
          const summary = await recordedImport(app, 'oai', 'cli', () =>
            harvestOai(app.db, {
              baseUrl: opts.url ?? ARXIV_OAI_URL,
              from: opts.from,
              until: opts.until,
              set: opts.set,
              // One line per page: a page is one request, a few seconds apart, so this never floods.
              onPage: (n, s) => {
                if (!quiet)
                  process.stderr.write(
                    `harvest oai: page ${n}, read ${s.read}, inserted ${s.inserted}, updated ${s.updated}, rejected ${s.rejected}\n`,
                  );
              },
              onWait,
              onReject,
            }),
          );
          printSummary(summary, !!opts.json);
          if (summary.rejected > 0) process.exitCode = 1;
        } catch (err) {
          console.error(`paperboy harvest: ${(err as Error).message}`);
          process.exitCode = 1;
        } finally {
          await app.close();
        }
      },
    );
}
