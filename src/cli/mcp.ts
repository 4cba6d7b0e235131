import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Command } from 'commander';
import pino from 'pino';
import { buildApp } from '../app.js';
import { loadConfig } from '../config/config.js';
import { migrateToLatest } from '../db/migrate.js';
import { openDb } from '../db/open.js';
import { createMcpServer } from '../http/api/mcp-tools.js';
import { type Actor, ANONYMOUS } from '../model/actor.js';
import { tokenActor } from '../services/accounts.js';

/** The environment variable holding the API token the tools act with (never a flag: flags show in `ps`). */
const MCP_TOKEN_ENV = 'PAPERBOY_TOKEN';

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description(
      `Serve the Model Context Protocol on standard input and output (for Claude Desktop and other MCP clients). Reads need nothing; upvote_paper and submit_paper act as the user of a write-scoped API token in ${MCP_TOKEN_ENV}.`,
    )
    .action(async () => {
      const config = loadConfig();
      // Standard output carries the protocol: every log line goes to standard error.
      const log = pino({ level: config.logLevel }, pino.destination(2));
      const db = openDb(config.database);
      await migrateToLatest(db);
      const app = buildApp({ config, db, log });
      try {
        let actor: Actor = ANONYMOUS;
        const token = process.env[MCP_TOKEN_ENV];
        if (token) {
          const user = await tokenActor(app, token.trim());
          if (!user) throw new Error(`mcp: ${MCP_TOKEN_ENV} holds an unknown or revoked API token.`);
          actor = user;
        }
        // A vote or a submission here reaches the web processes' page caches through the stored
        // change counter, which the services move (services/content-version.ts).
        const server = createMcpServer(app, { actor, log });
        const transport = new StdioServerTransport();
        const closed = new Promise<void>((resolve) => {
          transport.onclose = () => resolve();
          process.stdin.once('end', () => resolve());
        });
        await server.connect(transport);
        log.info({ user: actor.kind === 'user' ? actor.username : null }, 'mcp: serving on stdio');
        await closed;
        await server.close();
      } finally {
        await app.close();
      }
    });
}
