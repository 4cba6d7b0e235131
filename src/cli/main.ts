import { Command } from 'commander';
import { registerBackup } from './backup.js';
import { registerDbCopy } from './db-copy.js';
import { registerDemo } from './demo.js';
import { registerDigest } from './digest.js';
import { registerFacts } from './facts.js';
import { registerHarvest } from './harvest.js';
import { registerImport } from './import.js';
import { registerIndex } from './index.js';
import { registerJobs } from './jobs.js';
import { registerMcp } from './mcp.js';
import { registerMigrate } from './migrate.js';
import { registerSearch } from './search.js';
import { registerServe } from './serve.js';
import { registerStart } from './start.js';
import { registerStats } from './stats.js';
import { registerSubscribers } from './subscribers.js';
import { registerToken } from './token.js';
import { registerUser } from './user.js';
import { registerWorker } from './worker.js';

/** One verb per file; each registers its flags and calls services. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('paperboy')
    .description('A self-hostable Daily Papers platform.')
    .showHelpAfterError()
    .exitOverride((err) => {
      process.exit(err.exitCode);
    });
  const verbs = [
    registerStart,
    registerServe,
    registerMigrate,
    registerImport,
    registerHarvest,
    registerStats,
    registerSearch,
    registerIndex,
    registerWorker,
    registerJobs,
    registerDbCopy,
    registerBackup,
    registerSubscribers,
    registerDigest,
    registerUser,
    registerToken,
    registerMcp,
    registerFacts,
    registerDemo,
  ];
  for (const register of verbs) {
    register(program);
  }
  await program.parseAsync(argv);
}
