import Fastify, { type FastifyInstance } from 'fastify';
import type { App } from '../services/app.js';
import { registerRoutes } from './routes.js';

/** Build the web server (not yet listening), so tests can inject requests or listen on a free port. */
export async function buildServer(app: App, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const server = Fastify({ logger: opts.logger ? { level: app.config.logLevel } : false, trustProxy: true });
  await registerRoutes(server, app);
  return server;
}
