import fs from 'node:fs';
import { type Command, Option } from 'commander';
import { openApp } from '../app.js';
import { digestStatus, previewDigest, type SendReport, sendDigests } from '../services/digests.js';

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function printReport(r: SendReport, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(r, null, 2));
    return;
  }
  for (const n of r.notes) console.log(`note: ${n}`);
  const keys = r.periodKeys.length > 0 ? r.periodKeys.join(', ') : 'none due';
  if (r.dryRun) {
    console.log(
      `dry run (${keys}): would send ${r.enqueued}, empty ${r.empty}, already sent or queued ${r.alreadyQueued}`,
    );
    return;
  }
  console.log(
    `run ${r.runId} (${keys}): enqueued ${r.enqueued}, empty ${r.empty}, already queued ${r.alreadyQueued}, sent ${r.sent}, deferred ${r.deferred}, failed ${r.failed}`,
  );
  for (const s of r.suppressed) console.log(`suppressed ${s.email}: ${s.reason}`);
  if (r.lostLeases > 0)
    console.log(
      `warning: ${r.lostLeases} digest(s) were sent after this worker lost their lease (possible duplicates)`,
    );
}

export function registerDigest(program: Command): void {
  const digest = program.command('digest').description('Email digests of trending papers: send, preview, status.');

  digest
    .command('send')
    .description('Enqueue and send the digests of a period (each subscriber gets one per period, whatever happens).')
    .addOption(new Option('--period <period>', 'daily or weekly').choices(['daily', 'weekly']).default('daily'))
    .option('--date <day>', 'the send day YYYY-MM-DD (default: whoever is due now, by their hour and time zone)')
    .option('--dry-run', 'count what would be sent; send and write nothing')
    .option('--no-wait', 'one pass: leave temporarily failed digests to the next run')
    .option('--lease-seconds <n>', 'how long a dead sender holds its digests before others take them', (v) => Number(v))
    .option('--retry-base-seconds <n>', 'first retry delay after a temporary failure (doubles each time)', (v) =>
      Number(v),
    )
    .option('--json', 'print the report as JSON')
    .action(
      async (opts: {
        period: 'daily' | 'weekly';
        date?: string;
        dryRun?: boolean;
        wait: boolean;
        leaseSeconds?: number;
        retryBaseSeconds?: number;
        json?: boolean;
      }) => {
        for (const [name, v] of [
          ['--lease-seconds', opts.leaseSeconds],
          ['--retry-base-seconds', opts.retryBaseSeconds],
        ] as const) {
          if (v !== undefined && !(Number.isFinite(v) && v > 0)) {
            console.error(`paperboy digest send: ${name} must be a positive number of seconds`);
            process.exitCode = 2;
            return;
          }
        }
        const app = await openApp({ migrate: true });
        const abort = new AbortController();
        const stop = () => abort.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          const report = await sendDigests(app, {
            period: opts.period,
            date: opts.date,
            dryRun: opts.dryRun,
            waitForRetries: opts.wait,
            leaseMs: opts.leaseSeconds ? opts.leaseSeconds * 1000 : undefined,
            retryBaseMs: opts.retryBaseSeconds ? opts.retryBaseSeconds * 1000 : undefined,
            signal: abort.signal,
            onProgress: opts.json
              ? undefined
              : (c) => console.error(`… sent ${c.sent}, deferred ${c.deferred}, failed ${c.failed}`),
          });
          printReport(report, !!opts.json);
          if (report.failed > 0) process.exitCode = 1;
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          await app.close();
        }
      },
    );

  digest
    .command('preview')
    .description("Write the digest an address would get to a file (the subscriber's preferences, else the defaults).")
    .argument('<email>', 'subscriber address')
    .addOption(
      new Option('--period <period>', 'daily or weekly (default: the subscriber’s)').choices(['daily', 'weekly']),
    )
    .option('--date <day>', 'send day YYYY-MM-DD', today())
    .option('--out <file>', 'where to write the mail (.eml, RFC 5322)', 'digest-preview.eml')
    .option('--html <file>', 'also write the HTML part to this file')
    .action(async (email: string, opts: { period?: 'daily' | 'weekly'; date: string; out: string; html?: string }) => {
      const app = await openApp({ migrate: true });
      try {
        const p = await previewDigest(app, email, { period: opts.period, date: opts.date });
        fs.writeFileSync(opts.out, p.eml);
        if (opts.html) fs.writeFileSync(opts.html, p.mail.html);
        const who = p.subscriber
          ? `subscriber ${p.subscriber.email} (${p.subscriber.status})`
          : `${email} (not a subscriber: default preferences)`;
        console.log(
          `${opts.out}: "${p.mail.subject}" for ${who}, ${p.papers} paper(s)${p.papers === 0 ? ' — an empty digest is never sent' : ''}`,
        );
      } finally {
        await app.close();
      }
    });

  digest
    .command('status')
    .description('Recent send runs, digests per period and recent failures.')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const app = await openApp({ migrate: true });
      try {
        const s = await digestStatus(app);
        if (opts.json) {
          console.log(JSON.stringify(s, null, 2));
          return;
        }
        console.log(
          `subscribers: ${
            Object.entries(s.subscribers)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ') || 'none'
          }`,
        );
        console.log('\nruns:');
        if (s.runs.length === 0) console.log('  none yet');
        for (const r of s.runs) {
          const state = r.stale ? 'stopped (no heartbeat: killed?)' : r.status;
          console.log(
            `  #${r.id} ${r.period} ${JSON.parse(r.period_keys).join(',') || '-'} ${state} started ${r.started_at}${r.finished_at ? ` finished ${r.finished_at}` : ''}: enqueued ${r.enqueued}, empty ${r.empty}, sent ${r.sent}, deferred ${r.deferred}, failed ${r.failed}${r.error ? ` — ${r.error}` : ''}`,
          );
        }
        console.log('\ndigests per period:');
        if (s.periods.length === 0) console.log('  none yet');
        for (const p of s.periods)
          console.log(
            `  ${p.periodKey}: ${Object.entries(p.counts)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`,
          );
        if (s.failures.length > 0) {
          console.log('\nrecent failures:');
          for (const f of s.failures) console.log(`  ${f.email} ${f.periodKey}: ${f.error ?? ''}`);
        }
      } finally {
        await app.close();
      }
    });
}
