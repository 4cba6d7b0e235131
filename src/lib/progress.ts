import cliProgress from 'cli-progress';

/** How often non-interactive runs print a progress line. */
const PROGRESS_LINE_INTERVAL_MS = 5000;

interface Progress {
  update(done: number, info?: string): void;
  stop(): void;
}

/**
 * A progress bar on a terminal, periodic lines elsewhere (logs, CI), nothing when quiet.
 * Writes to stderr so stdout stays clean for --json output.
 */
export function createProgress(label: string, total: number, opts: { quiet?: boolean } = {}): Progress {
  if (opts.quiet) return { update() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} {info}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { info: '' });
    return { update: (done, info = '') => bar.update(done, { info }), stop: () => bar.stop() };
  }
  let last = 0;
  return {
    update(done, info = '') {
      const now = Date.now();
      if (now - last < PROGRESS_LINE_INTERVAL_MS) return;
      last = now;
      process.stderr.write(`${label}: ${done}/${total} ${info}\n`);
    },
    stop() {},
  };
}
