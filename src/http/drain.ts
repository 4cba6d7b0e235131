import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { finishWithin } from '../lib/shutdown.js';

/**
 * Stop a listening server without dropping anyone: close the listening socket (new connections are
 * refused, which a client knows is safe to retry), answer every request already on an open
 * connection with `Connection: close`, and wait until the last connection has ended — an idle
 * keep-alive one ends at KEEP_ALIVE_TIMEOUT_MS, after the client was told to close its end first.
 * Resolves true when all ended within `deadlineMs`; after it, the rest are cut off and it
 * resolves false.
 *
 * Why not `server.close()` alone: Node's http close (and so Fastify's) also closes idle keep-alive
 * connections at once, and a client that has just sent its next request on one sees a connection
 * reset: the request may or may not have been handled. Fastify's 503 for requests that arrive
 * while it closes turns a vote in flight into an error. Draining first avoids both; `close()` then
 * finds nothing left to cut.
 *
 * Known hazard, inherent to TCP: closing a listening socket makes the kernel reset every
 * connection that finished its handshake but was not yet accepted, and its client may already have
 * written a request on it: it sees ECONNRESET rather than a refusal, for a request that never
 * reached this process (so a client may safely retry it; test/ops/shutdown.test.ts does). No code
 * in a process can close that gap, only make the queue shorter or longer. The port is closed at
 * once on the signal: letting the loop first accept what is queued (two setImmediate hops) reset
 * more, not fewer (a reset in 4 of 7 runs of the shutdown test under CPU load, against 6 of 20),
 * since the answers sent meanwhile bring the next requests, some on new connections, into the queue
 * just before it closes. What removes it is a load balancer that stops sending to the process
 * before the signal (a Kubernetes preStop sleep).
 *
 * @example
 * process.once('SIGTERM', async () => { const clean = await drainServer(server, 25_000); process.exit(clean ? 0 : 1); });
 */
export async function drainServer(server: FastifyInstance, deadlineMs: number): Promise<boolean> {
  server.draining = true;
  const http = server.server;
  const ended = new Promise<void>((resolve) => {
    if (!http.listening) return resolve();
    // net.Server's own close: stop listening, call back when every connection has ended.
    net.Server.prototype.close.call(http, () => resolve());
  });
  const clean = await finishWithin(ended, deadlineMs);
  if (!clean) http.closeAllConnections();
  await server.close();
  return clean;
}
