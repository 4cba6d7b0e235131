import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../services/app.js';

export interface ApiContext {
  app: App;
  req: FastifyRequest;
  reply: FastifyReply;
  now: Date;
  query: Record<string, string | undefined>;
  params: Record<string, string | undefined>;
}

export type ApiHandler = (ctx: ApiContext) => Promise<unknown>;
