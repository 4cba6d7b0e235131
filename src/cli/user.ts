import type { Command } from 'commander';
import type { Role } from '../db/schema.js';
import { createMailer } from '../mail/transport.js';
import { ROLES } from '../model/actor.js';
import { CLI_ACTOR, createUser } from '../services/accounts.js';
import { openApp } from '../services/app.js';
import { serviceContext } from '../services/context.js';
import { ServiceError } from '../services/errors.js';

/** Read all of standard input when it is piped (not a terminal); null on a terminal. */
export async function readPipedStdin(): Promise<string | null> {
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
      const ctx = serviceContext({
        db: app.db,
        config: app.config,
        mailer: createMailer(app.config),
        notice: (m) => console.log(m),
      });
      try {
        const r = await createUser(ctx, CLI_ACTOR, { username, email: opts.email, role, password });
        console.log(
          `created ${r.user.role} ${r.user.username} <${opts.email.trim().toLowerCase()}>${r.linkSent ? (ctx.mailer ? '; a link to set the password was mailed' : '') : ''}`,
        );
      } catch (err) {
        if (err instanceof ServiceError) throw new Error(`user create: ${err.message}`);
        throw err;
      } finally {
        ctx.mailer?.close();
        await app.close();
      }
    });
}
