import { type ChildProcess, spawn } from 'node:child_process';
import diagnostics from 'node:diagnostics_channel';
import net from 'node:net';
import { CLI_ACTOR, createApiToken, createUser } from '../../src/services/accounts.js';
import { TEST_SECRET } from './app.js';
import { makePapers, testCtx } from './community.js';
import type { TestDb } from './db.js';

/**
 * The real `paperboy serve` as a child process (the CLI transpiled by cli-build.ts), and voters
 * that talk to it over HTTP with API tokens: what the shutdown and backup tests put under load.
 */
export interface ServeChild {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A port nothing listens on now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Settings for a child serving a test database: votes unlimited (every client is 127.0.0.1). */
export function childEnv(db: TestDb): Record<string, string> {
  return {
    ...db.env,
    SECRET_KEY: TEST_SECRET,
    BASE_URL: 'https://papers.example.org',
    LOG_LEVEL: 'info',
    RATE_LIMIT_VOTE: '0/0/1m',
    PASSWORD_SCRYPT_LOG_N: '10',
    FIGURE_SOURCE: 'off',
    // No arXiv from tests: no look-ups, and no fill-categories job asking the real API.
    ARXIV_LOOKUP: 'off',
  };
}

/** `paperboy <args>` as a child process, its output (stdout and stderr) collected. */
export function spawnCli(cli: string, args: string[], env: Record<string, string>): Omit<ServeChild, 'base'> {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

/** The JSON log lines of a child's output, in order. */
export function logLines(output: string): Array<{ msg: string; [k: string]: unknown }> {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg: string });
}

export async function startServe(cli: string, env: Record<string, string>, args: string[] = []): Promise<ServeChild> {
  const port = await freePort();
  const { child, output, exited } = spawnCli(cli, ['serve', ...args], {
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`serve exited: ${output()}`);
    if (i > 600) throw new Error(`serve never answered: ${output()}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base, output, exited };
}

export async function stopServe(p: ServeChild | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGKILL');
  await p.exited;
}

/** Papers to vote on and voters with write tokens, made through the services. */
export async function votingSetup(
  db: TestDb,
  voters: number,
  papers: number,
): Promise<{ tokens: string[]; arxivIds: string[]; paperIds: number[]; userIds: number[] }> {
  const ctx = testCtx(db);
  const arxivIds = Array.from({ length: papers }, (_, i) => `2607.${String(10000 + i)}`);
  const paperIds = await makePapers(db, arxivIds);
  const tokens: string[] = [];
  const userIds: number[] = [];
  for (let i = 0; i < voters; i++) {
    const u = await createUser(ctx, CLI_ACTOR, {
      username: `voter${i}`,
      email: `voter${i}@example.org`,
      password: 'correct horse battery staple',
    });
    userIds.push(u.user.id);
    tokens.push((await createApiToken(ctx, CLI_ACTOR, { name: 'test', scope: 'write', username: `voter${i}` })).token);
  }
  return { tokens, arxivIds, paperIds, userIds };
}

/** One vote request as the client saw it. `start`/`end` are performance.now() in the test process. */
export interface VoteTry {
  voter: number;
  paper: number;
  start: number;
  end: number;
  /**
   * acked: a 200 with voted=true; refused: the connection was refused (never sent); `reset on a new
   * connection`: see UNANSWERED_NEW; else what went wrong.
   */
  outcome: 'acked' | 'refused' | typeof UNANSWERED_NEW | string;
  /** The answer said `Connection: close` (a draining server's answer). */
  closing: boolean;
  /** What fetch threw, and whether the request had been written on its connection's first use. */
  error?: string;
}

/**
 * A reset before any byte of an answer, on a connection this request was the first to use. The one
 * way it happens to a stopping server: the connection finished its handshake in the kernel but was
 * still in the listening socket's queue when the server closed that socket, and the kernel resets
 * such connections (inherent to TCP: see http/drain.ts).
 * Such a request never reached the server. A reset on a *reused* keep-alive connection is not this
 * and stays an error: a draining server must never close a connection a client may be sending on.
 * The voter then retries the vote once, as a client should (an upvote is idempotent).
 */
export const UNANSWERED_NEW = 'reset on a new connection';

/** Names a vote request in its headers, so the socket it went out on can be told (below). */
const TRY_HEADER = 'x-test-vote-try';
let tryCount = 0;
/** Requests undici has written on each socket, and for each try whether it was its socket's first. */
const writtenOn = new WeakMap<object, number>();
const firstOnSocket = new Map<string, boolean>();
diagnostics.subscribe('undici:client:sendHeaders', (message) => {
  const { headers, socket } = message as { headers: string; socket: object };
  const id = new RegExp(`\\r\\n${TRY_HEADER}: (\\S+)\\r\\n`).exec(headers)?.[1];
  const before = writtenOn.get(socket) ?? 0;
  writtenOn.set(socket, before + 1);
  if (id) firstOnSocket.set(id, before === 0);
});

/**
 * Each voter upvotes the papers in turn, one request at a time, until it has voted on all of them,
 * `stop()` returns true, or its connection is refused (the server stopped listening).
 */
export async function voteBurst(
  base: string,
  tokens: string[],
  arxivIds: string[],
  onAnswer: (t: VoteTry) => void,
  stop: () => boolean = () => false,
): Promise<VoteTry[]> {
  const tries: VoteTry[] = [];
  await Promise.all(
    tokens.map(async (token, voter) => {
      let retried = false;
      for (let paper = 0; paper < arxivIds.length && !stop(); paper++) {
        const start = performance.now();
        const id = String(++tryCount);
        let outcome: string;
        let closing = false;
        let r: Response | undefined;
        let error: string | undefined;
        try {
          r = await fetch(`${base}/api/papers/${arxivIds[paper]}/upvote`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, [TRY_HEADER]: id },
          });
          closing = r.headers.get('connection') === 'close';
          const body = (await r.json()) as { voted?: boolean; error?: string };
          outcome = r.status === 200 && body.voted === true ? 'acked' : `${r.status} ${body.error ?? ''}`;
        } catch (err) {
          const cause = (err as { cause?: { code?: string; message?: string } }).cause;
          const code = cause?.code ?? '';
          error = `${cause?.message ?? String(err)}; first on its socket: ${firstOnSocket.get(id) ?? 'never written'}`;
          // r unset: fetch itself rejected, so no answer's headers came, and the server writes those
          // (with the body) in one piece: no byte of an answer. An unknown socket means undici
          // never wrote the request at all.
          const unanswered = r === undefined && (code === 'ECONNRESET' || code === 'EPIPE');
          if (code === 'ECONNREFUSED') outcome = 'refused';
          else if (unanswered && firstOnSocket.get(id) !== false) outcome = UNANSWERED_NEW;
          else outcome = `${String(err)} (${code || cause?.message})`;
        }
        firstOnSocket.delete(id);
        const t: VoteTry = { voter, paper, start, end: performance.now(), outcome, closing, error };
        tries.push(t);
        onAnswer(t);
        if (outcome === 'refused') return;
        // Once: a second reset on a new connection is recorded and the voter moves on.
        retried = outcome === UNANSWERED_NEW && !retried;
        if (retried) paper--;
      }
    }),
  );
  return tries;
}
