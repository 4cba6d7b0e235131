import type { Command } from 'commander';
import { openApp } from '../app.js';
import type { Role } from '../db/schema.js';
import { AppError } from '../lib/app-error.js';
import { ROLES } from '../model/actor.js';
import { CLI_ACTOR, createUser } from '../services/accounts.js';

/** Read all of standard input when it is piped (not a terminal); null on a terminal. */
async function readPipedStdin(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('Manage accounts.');
  user
    .command('create <username>')
    .description(
      'Create a verified account. The password is read from standard input when piped; otherwise a link to set one is mailed (or printed when mail is off).',
    )
    .requiredOption('--email <address>', 'the account’s email address')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'user')
    .option('--admin', 'shorthand for --role admin')
    .action(async (username: string, opts: { email: string; role: string; admin?: boolean }) => {
      const role = (opts.admin ? 'admin' : opts.role) as Role;
      if (!ROLES.includes(role))
        throw new Error(`user create: --role must be one of ${ROLES.join(', ')} (got "${opts.role}").`);
      const piped = await readPipedStdin();
      const password = piped?.replace(/\r?\n$/, '') || null;
      const app = await openApp({ migrate: true });
      try {
        const r = await createUser(app, CLI_ACTOR, { username, email: opts.email, role, password });
        console.log(
          `created ${r.user.role} ${r.user.username} <${opts.email.trim().toLowerCase()}>${r.link && app.mailer ? '; a link to set the password was mailed' : ''}`,
        );
        if (r.link && !app.mailer) console.log(`mail is off (no SMTP_URL): set the password at ${r.link}`);
      } catch (err) {
        if (err instanceof AppError) throw new Error(`user create: ${err.message}`);
        throw err;
      } finally {
        await app.close();
      }
    });
}
