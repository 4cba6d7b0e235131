import { type ChildProcess, spawn } from 'node:child_process';
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
  /** acked: a 200 with voted=true; refused: the connection was refused (never sent); else what went wrong. */
  outcome: 'acked' | 'refused' | string;
  /** The answer said `Connection: close` (a draining server's answer). */
  closing: boolean;
}

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
      for (let paper = 0; paper < arxivIds.length && !stop(); paper++) {
        const start = performance.now();
        let outcome: string;
        let closing = false;
        try {
          const r = await fetch(`${base}/api/papers/${arxivIds[paper]}/upvote`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
          });
          closing = r.headers.get('connection') === 'close';
          const body = (await r.json()) as { voted?: boolean; error?: string };
          outcome = r.status === 200 && body.voted === true ? 'acked' : `${r.status} ${body.error ?? ''}`;
        } catch (err) {
          const cause = (err as { cause?: { code?: string; message?: string } }).cause;
          outcome = cause?.code === 'ECONNREFUSED' ? 'refused' : `${String(err)} (${cause?.code ?? cause?.message})`;
        }
        const t: VoteTry = { voter, paper, start, end: performance.now(), outcome, closing };
        tries.push(t);
        onAnswer(t);
        if (outcome === 'refused') return;
      }
    }),
  );
  return tries;
}
