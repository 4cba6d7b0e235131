import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { drainServer } from '../../src/http/drain.js';
import { buildServer } from '../../src/http/server.js';
import { testApp } from '../helpers/app.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

/**
 * drainServer's two races, made to happen on purpose (the shutdown test meets them only by chance):
 * a request sent on an idle keep-alive connection just after the stop began, which must be
 * answered, never reset; and a connection the kernel has queued but the server not yet accepted
 * when the stop begins, which the kernel resets (inherent to TCP) before the server sees it.
 * The database is never touched (only /healthz is asked), so SQLite alone serves.
 */
const HEALTH = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
/** Long enough for a loopback handshake to finish in the kernel while this thread sleeps. */
const HANDSHAKE_MS = 100;
const DRAIN_DEADLINE_MS = 10_000;

/** A raw HTTP/1.1 client: what came back on the socket and how it ended. */
function rawClient(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  let error = '';
  let isClosed = false;
  socket.on('data', (c) => {
    received += c;
  });
  socket.on('error', (e: NodeJS.ErrnoException) => {
    error = e.code ?? e.message;
  });
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      resolve();
    }),
  );
  /** Resolves once `n` complete answers to /healthz have arrived (or the socket closed first). */
  const answers = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (isClosed || (received.match(/\{"ok":true\}/g) ?? []).length >= n) resolve();
      };
      socket.on('data', check);
      socket.once('close', check);
      check();
    });
  return { socket, closed, answers, received: () => received, error: () => error };
}

/** Block this thread (and so the server's event loop) without spinning. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('drainServer', () => {
  let db: TestDb | undefined;
  let server: FastifyInstance | undefined;
  afterEach(async () => {
    if (server?.server.listening) await server.close();
    await db?.drop();
  });

  async function listening(): Promise<number> {
    db = await createTestDb('sqlite');
    server = await buildServer(testApp(db));
    await server.listen({ port: 0, host: '127.0.0.1' });
    return (server.server.address() as net.AddressInfo).port;
  }

  it('resets a connection still in the kernel queue at the stop without handling its request', async () => {
    // TCP's own race (http/drain.ts), pinned because the shutdown test's client relies on it: such
    // a reset comes on a new connection before any answer, and the server never saw the request.
    const port = await listening();
    let handled = 0;
    server!.server.on('request', () => handled++);
    const client = rawClient(port);
    client.socket.write(HEALTH);
    // Let net.connect issue its connect() (a tick), then keep the event loop from accepting while
    // the kernel completes the handshake: the connection waits in the listening socket's queue.
    await new Promise((r) => process.nextTick(r));
    sleepSync(HANDSHAKE_MS);
    const accepted = await new Promise<number>((r) => server!.server.getConnections((_e, n) => r(n)));
    expect(accepted, 'queued, not yet accepted').toBe(0);

    const drained = drainServer(server!, DRAIN_DEADLINE_MS);
    await client.closed;
    expect(['ECONNRESET', 'EPIPE']).toContain(client.error());
    expect(client.received()).toBe('');
    expect(await drained).toBe(true);
    expect(handled).toBe(0);
  });

  it('answers a request sent on an idle keep-alive connection after the stop began, as closing', async () => {
    const port = await listening();
    const client = rawClient(port);
    client.socket.write(HEALTH);
    await client.answers(1);
    expect(client.received()).not.toMatch(/connection: close/i);

    // The connection is idle now; the stop begins and the client, not knowing, sends again.
    const drained = drainServer(server!, DRAIN_DEADLINE_MS);
    await new Promise((r) => setTimeout(r, 50));
    expect(server!.server.listening, 'the port is closed by now').toBe(false);
    client.socket.write(HEALTH);
    await client.answers(2);
    await client.closed;
    expect(client.error()).toBe('');
    const second = client.received().slice(client.received().lastIndexOf('HTTP/1.1'));
    expect(second).toMatch(/^HTTP\/1\.1 200 /);
    expect(second).toMatch(/\r\nconnection: close\r\n/i);
    expect(await drained).toBe(true);
  });

  it('refuses a connection made after the stop began', async () => {
    const port = await listening();
    const drained = drainServer(server!, DRAIN_DEADLINE_MS);
    await new Promise((r) => setTimeout(r, 50));
    const client = rawClient(port);
    client.socket.write(HEALTH);
    await client.closed;
    expect(client.error()).toBe('ECONNREFUSED');
    expect(await drained).toBe(true);
  });
});
