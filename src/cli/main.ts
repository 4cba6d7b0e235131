import { Command } from 'commander';
import { registerDbCopy } from './db-copy.js';
import { registerHarvest } from './harvest.js';
import { registerImport } from './import.js';
import { registerJobs } from './jobs.js';
import { registerMigrate } from './migrate.js';
import { registerServe } from './serve.js';
import { registerStart } from './start.js';
import { registerStats } from './stats.js';
import { registerWorker } from './worker.js';

/** One verb per file; each registers its flags and calls services. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('paperboy')
    .description('A self-hostable Daily Papers platform.')
    .showHelpAfterError()
    .exitOverride((err) => {
      process.exit(err.exitCode);
    });
  for (const register of [registerStart, registerServe, registerMigrate, registerImport, registerHarvest, registerStats, registerWorker, registerJobs, registerDbCopy]) {
    register(program);
  }
  await program.parseAsync(argv);
}
