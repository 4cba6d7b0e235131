import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

/** The project root (tests run the CLI from source through tsx, so no build is needed). */
export const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = path.join(ROOT, 'test/helpers/cli-entry.ts');

/**
 * Spawn `paperboy <args>` from source in a child process with extra environment (e.g. a test
 * database's DATABASE_URL and PGOPTIONS). Collects stdout and stderr.
 */
export function spawnCli(
  args: string[],
  env: Record<string, string>,
): ChildProcess & { out: () => string; err: () => string; done: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    // Vite puts BASE_URL=/ (its own setting) into the test process's environment: not ours.
    env: { ...process.env, BASE_URL: 'http://localhost:3000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return Object.assign(child, { out: () => out, err: () => err, done });
}
