import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the replay server answers: a recorded response, or 'drop' to close the connection unanswered. */
export type Reply = { status: number; headers?: Record<string, string>; body: string | Buffer } | 'drop';

export interface ReplayServer {
  url: string;
  /** Every request seen: path with query, and when it arrived (ms since epoch). */
  requests: Array<{ path: string; at: number }>;
  close(): Promise<void>;
}

/**
 * A real HTTP server on a free port (port 0) that answers from recorded exchanges, so clients are
 * tested over real sockets without mocks. `answer` picks the reply for a request path.
 */
export async function startReplayServer(answer: (path: string, n: number) => Reply): Promise<ReplayServer> {
  const requests: ReplayServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, at: Date.now() });
    let reply: Reply;
    try {
      reply = answer(path, requests.length);
    } catch (err) {
      reply = { status: 599, body: `replay server: ${(err as Error).message}` };
    }
    if (reply === 'drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(reply.status, { 'content-type': 'text/xml; charset=utf-8', ...reply.headers });
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Query parameters in a canonical order, so recorded and live URLs compare equal. */
export function canonicalQuery(pathOrUrl: string): string {
  const q = new URL(pathOrUrl, 'http://x').searchParams;
  return [...q.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}
