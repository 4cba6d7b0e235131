import { main } from '../../src/cli/main.js';

/**
 * Run `paperboy <args>` in this process against the given environment (DATABASE_URL …), capturing
 * what it prints and the exit code it sets. In-process because a child process costs seconds of
 * TypeScript compilation per run on a busy machine; the code path is the same.
 */
export async function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { ...process.env };
  // Vitest puts Vite's BASE_URL ('/') into process.env; the CLI would reject it as a site address.
  Object.assign(process.env, { BASE_URL: 'http://localhost:3000', LOG_LEVEL: 'warn' }, env);
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  const write = process.stderr.write.bind(process.stderr);
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  process.stderr.write = ((chunk: string | Uint8Array) => {
    err.push(String(chunk).replace(/\n$/, ''));
    return true;
  }) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    await main(['node', 'paperboy', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
    process.stderr.write = write;
    process.exitCode = undefined;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}
