import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import type { Actor } from '../model/actor.js';
import { wantsJson } from './respond.js';
import type { Ctx, Route } from './route.js';
import { csrfToken, startPresession } from './session.js';
import { loadViewer, type Viewer } from './viewer.js';

/** What serve() has checked before building a handler's Ctx. */
export interface CheckedRequest {
  route: Route;
  actor: Actor;
  /** The caller's CSRF token ('' when it has neither a session nor a pre-session). */
  csrf: string;
  /** May this response give the browser a pre-session, so its forms carry a token (see `csrf`)? */
  mayStartPresession: boolean;
  params: Record<string, string>;
  query: unknown;
  body: unknown;
}

/**
 * One request's Ctx. A class, not an object literal: a literal with a getter (`csrf`) gets a hidden
 * class of its own each time it is evaluated, which V8 keeps in the old generation, and that kept
 * everything the request touched alive until the next full collection: a third of `/healthz`'s CPU
 * went to the garbage collector (BENCHMARKS.md, cached `/` against 16960f0).
 */
export class RequestCtx implements Ctx<unknown, unknown> {
  readonly route: Route;
  readonly actor: Actor;
  readonly now: Date;
  readonly params: Record<string, string>;
  readonly query: unknown;
  readonly body: unknown;
  readonly ip: string;
  readonly wantsJson: boolean;
  private token: string;
  private readonly mayStartPresession: boolean;
  private viewerLoad: Promise<Viewer> | null = null;

  constructor(
    readonly app: App,
    readonly req: FastifyRequest,
    private readonly reply: FastifyReply,
    checked: CheckedRequest,
  ) {
    this.route = checked.route;
    this.actor = checked.actor;
    this.now = app.clock.now();
    this.params = checked.params;
    this.query = checked.query;
    this.body = checked.body;
    this.ip = req.ip;
    this.wantsJson = wantsJson(req);
    this.token = checked.csrf;
    this.mayStartPresession = checked.mayStartPresession;
  }

  /**
   * A form page shown before login gives the browser a pre-session when it asks for a token, so its
   * forms carry one; shared cached pages never set a cookie, and carry no form that needs one.
   */
  get csrf(): string {
    if (!this.token && this.mayStartPresession)
      this.token = csrfToken(this.app, startPresession(this.app, this.req, this.reply));
    return this.token;
  }

  /** Anonymous readers' pages hold no form that needs a token (their buttons lead to log-in). */
  viewer(): Promise<Viewer> {
    this.viewerLoad ??= loadViewer(this.app, this.actor, this.actor.kind === 'user' ? this.token : '');
    return this.viewerLoad;
  }
}
