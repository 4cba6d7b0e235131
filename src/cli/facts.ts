import readline from 'node:readline';
import type { Command } from 'commander';
import { openApp } from '../app.js';
import { extractFacts } from '../facts/extract.js';
import { readLines } from '../lib/read-lines.js';
import { extractPendingFacts, rebuildFacts } from '../services/facts.js';

/**
 * `paperboy facts extract FILE.jsonl [--json]`: result facts of each `{id, title, abstract}` line
 * (the interface the evaluation uses). With --json, one `{id, facts}` line per input line, in
 * order, in the guideline's field names; without, a readable list. A malformed line is reported
 * on stderr with its line number and skipped; the rest goes through.
 */
export function registerFacts(program: Command): void {
  const facts = program.command('facts').description('Result facts: the headline numbers of abstracts.');
  facts
    .command('extract')
    .argument('<file>', 'JSON Lines of {id, title, abstract} (.gz and .zst are read too; - for stdin)')
    .description('Print the result facts of each abstract in a JSON Lines file.')
    .option('--json', 'print one {id, facts} JSON line per input line')
    .action(async (file: string, opts: { json?: boolean }) => {
      let bad = 0;
      for await (const { line, text } of file === '-' ? stdinLines() : readLines(file)) {
        if (!text.trim()) continue;
        let rec: { id?: unknown; abstract?: unknown };
        try {
          rec = JSON.parse(text);
        } catch (err) {
          bad++;
          console.error(`${file}:${line}: skipped, not JSON (${(err as Error).message})`);
          continue;
        }
        if (typeof rec !== 'object' || rec === null || typeof rec.abstract !== 'string') {
          bad++;
          console.error(`${file}:${line}: skipped, no "abstract" string`);
          continue;
        }
        const id = typeof rec.id === 'string' || typeof rec.id === 'number' ? String(rec.id) : null;
        const found = extractFacts(rec.abstract);
        if (opts.json) {
          console.log(JSON.stringify({ id, facts: found }));
        } else {
          console.log(`${id ?? `line ${line}`}: ${found.length === 0 ? 'no result facts' : ''}`);
          for (const f of found) {
            const range = f.value_max !== null ? `${f.value}–${f.value_max}` : `${f.value}`;
            console.log(
              `  ${f.kind.padEnd(11)} ${`${range}${f.unit === 'x' || f.unit === '%' ? f.unit : ` ${f.unit}`}`.padEnd(16)} ${f.span.replace(/\s+/g, ' ')}`,
            );
          }
        }
      }
      if (bad > 0) process.exitCode = 1;
    });
  facts
    .command('rebuild')
    .description("Extract every paper's result facts again and store them (--pending: only new or changed abstracts).")
    .option('--pending', 'only papers whose abstract is new or changed (what the extract-facts job does)')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { pending?: boolean; json?: boolean }) => {
      const app = await openApp({ migrate: true });
      try {
        let shown = 0;
        const onProgress = opts.json
          ? undefined
          : (r: { papers: number; facts: number }) => {
              if (r.papers - shown >= PROGRESS_EVERY_PAPERS) {
                shown = r.papers;
                process.stderr.write(`\r${r.papers} papers, ${r.facts} facts`);
              }
            };
        const r = opts.pending
          ? await extractPendingFacts(app, { onProgress })
          : await rebuildFacts(app, { onProgress });
        if (opts.json) console.log(JSON.stringify({ ...r, ms: Math.round(r.ms) }, null, 2));
        else
          console.log(
            `\rextracted ${r.papers} papers: ${r.facts} facts, ${r.withFacts} papers with facts, ${(r.ms / 1000).toFixed(1)} s`,
          );
      } finally {
        await app.close();
      }
    });
}

/** Progress lines on a terminal: one every this many papers. */
const PROGRESS_EVERY_PAPERS = 10_000;

async function* stdinLines(): AsyncGenerator<{ line: number; text: string }> {
  let line = 0;
  for await (const text of readline.createInterface({ input: process.stdin, crlfDelay: Infinity }))
    yield { line: ++line, text };
}
