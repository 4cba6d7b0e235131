import { Command } from 'commander';
import { registerHarvest } from './harvest.js';
import { registerImport } from './import.js';
import { registerIndex } from './index.js';
import { registerMigrate } from './migrate.js';
import { registerSearch } from './search.js';
import { registerServe } from './serve.js';
import { registerStart } from './start.js';
import { registerStats } from './stats.js';
import { registerToken } from './token.js';
import { registerUser } from './user.js';

/** One verb per file; each registers its flags and calls services. */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('paperboy')
    .description('A self-hostable Daily Papers platform.')
    .showHelpAfterError()
    .exitOverride((err) => {
      process.exit(err.exitCode);
    });
  for (const register of [registerStart, registerServe, registerMigrate, registerImport, registerHarvest, registerStats, registerSearch, registerIndex, registerUser, registerToken]) {
    register(program);
  }
  await program.parseAsync(argv);
}
