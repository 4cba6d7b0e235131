import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Transpile the sources once (esbuild, file by file, ~0.2 s) so tests can start the real CLI as
 * child processes quickly — `tsx` compiles on every start, seconds on a busy machine. File layout
 * is kept, so migrations are still found next to the code.
 */
export function buildCliForTests(): string {
  const root = path.resolve('.');
  const out = path.join(root, '.tmp', `cli-${process.pid}`);
  const files = [
    ...fs
      .readdirSync('src', { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => path.join('src', f)),
    'test/helpers/cli-entry.ts',
  ];
  execFileSync(path.join(root, 'node_modules/.bin/esbuild'), [
    ...files,
    `--outdir=${out}`,
    '--outbase=.',
    '--platform=node',
    '--format=esm',
    '--log-level=warning',
  ]);
  // Files that are not code (the site's CSS, JS and icon) travel beside the transpiled modules.
  for (const f of fs.readdirSync('src', { recursive: true }).map(String)) {
    const from = path.join('src', f);
    if (f.endsWith('.ts') || fs.statSync(from).isDirectory()) continue;
    fs.mkdirSync(path.dirname(path.join(out, from)), { recursive: true });
    fs.copyFileSync(from, path.join(out, from));
  }
  return path.join(out, 'test/helpers/cli-entry.js');
}

export function removeCliBuild(cli: string): void {
  fs.rmSync(path.resolve(cli, '../../..'), { recursive: true, force: true });
}
