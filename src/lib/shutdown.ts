import type { Logger } from 'pino';

/**
 * How long a stopping process may take to finish its requests and its running job step, ms. Under
 * Kubernetes' default grace period (30 s) and systemd's default TimeoutStopSec (90 s), so the
 * process ends on its own terms rather than by SIGKILL.
 */
export const SHUTDOWN_DEADLINE_MS = 25_000;

/**
 * What `stop` resolves to: true when everything finished within the deadline, false when some work
 * had to be cut off (a job's lease then expires and another worker takes it over).
 */
export type Stop = (deadlineMs: number) => Promise<boolean>;

/**
 * On SIGINT/SIGTERM run `stop` once, then flush the log and exit: 0 when it finished cleanly in
 * time, 1 when it did not (or threw). A second signal exits at once with 1.
 *
 * @example
 * stopOnSignals(app.log, async (ms) => (await drainServer(server, ms)) && (await finishWithin(worker.stop(), ms)));
 */
export function stopOnSignals(log: Logger, stop: Stop, deadlineMs = SHUTDOWN_DEADLINE_MS): void {
  let stopping = false;
  const exit = (code: number) => log.flush(() => process.exit(code));
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      return exit(1);
    }
    stopping = true;
    const t0 = performance.now();
    log.info({ signal, deadlineMs }, 'stopping: finishing requests and running jobs (signal again to exit now)');
    stop(deadlineMs).then(
      (clean) => {
        const ms = Math.round(performance.now() - t0);
        if (clean) log.info({ ms }, 'stopped');
        else log.warn({ ms, deadlineMs }, 'stopped at the deadline: unfinished work was cut off');
        exit(clean ? 0 : 1);
      },
      (err) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'stopping failed');
        exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Wait for `work` up to `ms`: true if it finished in time, false if not (it keeps running). */
export async function finishWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
