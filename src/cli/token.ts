import type { Command } from 'commander';
import { openApp } from '../app.js';
import { AppError } from '../lib/app-error.js';
import { CLI_ACTOR, createApiToken } from '../services/accounts.js';

export function registerToken(program: Command): void {
  const token = program.command('token').description('Personal access tokens for the API.');
  token
    .command('create <username>')
    .description('Create an API token for a user and print it (shown once; only its hash is stored).')
    .option('--scope <scope>', 'read or write', 'read')
    .option('--name <name>', 'a label shown in the user’s settings', 'cli')
    .action(async (username: string, opts: { scope: string; name: string }) => {
      if (opts.scope !== 'read' && opts.scope !== 'write')
        throw new Error(`token create: --scope must be read or write (got "${opts.scope}").`);
      const app = await openApp({ migrate: true });
      try {
        const r = await createApiToken(app, CLI_ACTOR, {
          name: opts.name,
          scope: opts.scope,
          username,
        });
        console.log(r.token);
      } catch (err) {
        if (err instanceof AppError) throw new Error(`token create: ${err.message}`);
        throw err;
      } finally {
        await app.close();
      }
    });
}
