import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.js';
import { hfDailySource } from '../../src/ingest/hf-daily/source.js';
import { runImport } from '../../src/ingest/import-runner.js';
import { CLI_ACTOR, createApiToken, createUser } from '../../src/services/accounts.js';
import { findPaperByArxivId } from '../../src/store/paper-store.js';
import { buildCliForTests, removeCliBuild } from '../helpers/cli-build.js';
import { makePapers } from '../helpers/community.js';
import { communityServer } from '../helpers/community-server.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

/**
 * The MCP server, driven by the SDK's own client: over Streamable HTTP at /mcp on a listening
 * server, and over stdio with `paperboy mcp` as a child process. The site holds the synthetic
 * Daily Papers days of the conformance test (test/fixtures/hf-daily).
 */
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/hf-daily');
const FILES = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => path.join(FIXTURES, f));
const NOW = new Date('2025-06-16T18:00:00.000Z');
const TOOLS = [
  'get_paper',
  'list_daily_papers',
  'list_trending',
  'search_papers',
  'similar_papers',
  'submit_paper',
  'upvote_paper',
];
/** A paper that is recent and not yet on Daily Papers, to submit. */
const FRESH = '2506.20001';

type Result = Awaited<ReturnType<Client['callTool']>>;
const text = (r: Result) => (r.content as Array<{ type: string; text: string }>).map((c) => c.text).join('\n');

describe.each(TEST_DIALECTS)('MCP on %s', (dialect) => {
  let db: TestDb;
  let server: FastifyInstance;
  let app: App & { advance(ms: number): void };
  let url: URL;
  const tokens: Record<string, string> = {};
  const clients: Client[] = [];

  async function connect(token?: string): Promise<Client> {
    const transport = new StreamableHTTPClientTransport(url, {
      requestInit: token ? { headers: { authorization: `Bearer ${token}` } } : undefined,
    });
    const client = new Client({ name: 'paperboy-test', version: '1' });
    await client.connect(transport);
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    db = await createTestDb(dialect);
    const made = await communityServer(db, {
      NEW_ACCOUNT_HOURS: '0',
      RATE_LIMIT_VOTE: '4/100/1h',
    });
    server = made.server;
    app = made.app;
    // The server's clock: the day after the fixtures' last Daily Papers day.
    const start = Date.now();
    app.clock.now = () => new Date(NOW.getTime() + (Date.now() - start));
    expect((await runImport(db, hfDailySource, FILES)).rejected).toBe(0);
    await makePapers(db, [FRESH], { title: 'A fresh paper', publishedAt: '2025-06-15T12:00:00.000Z' });
    await createUser(app, CLI_ACTOR, { username: 'ada', email: 'ada@example.org', password: 'correct horse battery' });
    tokens.write = (await createApiToken(app, CLI_ACTOR, { name: 'w', scope: 'write', username: 'ada' })).token;
    tokens.read = (await createApiToken(app, CLI_ACTOR, { name: 'r', scope: 'read', username: 'ada' })).token;
    await server.listen({ port: 0, host: '127.0.0.1' });
    const addr = server.server.address() as { port: number };
    url = new URL(`http://127.0.0.1:${addr.port}/mcp`);
  });
  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await server?.close();
    await db?.drop();
  });

  it('lists its tools, each with an input schema', async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    const search = tools.find((t) => t.name === 'search_papers')!;
    expect(search.description).toContain('author:');
    expect(search.description).toContain('has:code');
    expect(Object.keys(search.inputSchema.properties ?? {}).sort()).toEqual(['limit', 'mode', 'offset', 'query']);
    expect(tools.find((t) => t.name === 'upvote_paper')!.annotations?.readOnlyHint).toBe(false);
    expect(client.getServerVersion()?.name).toBe('paperboy');
  });

  it('searches in every mode and with the query language', async () => {
    const client = await connect();
    for (const mode of ['keyword', 'semantic', 'hybrid']) {
      const r = await client.callTool({ name: 'search_papers', arguments: { query: 'sparse attention', mode } });
      expect(r.isError, mode).toBeFalsy();
      const ids = (r.structuredContent as any).papers.map((p: any) => p.id);
      expect(ids.length, mode).toBeGreaterThan(0);
      if (mode === 'keyword') expect(ids).toContain('2506.10002');
    }
    const filtered = await client.callTool({
      name: 'search_papers',
      arguments: { query: 'sparse -mixtures has:code', mode: 'keyword' },
    });
    expect((filtered.structuredContent as any).papers.map((p: any) => p.id)).toEqual(['2506.10002']);
    expect(text(filtered)).toContain('1. Sparse attention at scale');
    expect(text(filtered)).toContain('code: https://github.com/example-lab/SparseScale/');
    const newest = await client.callTool({ name: 'search_papers', arguments: {} });
    expect((newest.structuredContent as any).papers[0].id).toBe('2506.10007');
    const page2 = await client.callTool({ name: 'search_papers', arguments: { limit: 2, offset: 2 } });
    expect((page2.structuredContent as any).papers).toHaveLength(2);
  });

  it('gets a paper as the Markdown of /papers/{id}.md', async () => {
    const client = await connect();
    const r = await client.callTool({ name: 'get_paper', arguments: { id: 'arXiv:2506.10002v1' } });
    const md = await server.inject({ url: '/papers/2506.10002.md' });
    expect(text(r)).toBe(md.body);
    expect(text(r)).toMatch(/^# Sparse attention at scale\n/);
  });

  it('lists a day, a week, a month, every day, trending and similar papers', async () => {
    const client = await connect(tokens.read);
    const ids = async (args: Record<string, unknown>) =>
      ((await client.callTool({ name: 'list_daily_papers', arguments: args })).structuredContent as any).papers.map(
        (p: any) => p.id,
      );
    expect(await ids({ date: '2025-06-09' })).toEqual(['2506.10002', '2506.10003']);
    expect((await ids({ week: '2025-W25', limit: 50 })).sort()).toEqual([
      '2506.10004',
      '2506.10005',
      '2506.10006',
      '2506.10007',
    ]);
    expect(await ids({ month: '2025-06', limit: 50 })).not.toContain('2505.20001');
    expect(await ids({ submitter: 'akhaliq' })).toEqual(['2506.10006', '2506.10004', '2505.20001']);
    expect(await ids({ limit: 2, page: 1 })).toEqual(['2506.10005', '2506.10004']);
    const trending = await client.callTool({ name: 'list_trending', arguments: { limit: 3 } });
    const top = (trending.structuredContent as any).papers;
    expect(top[0].id).toBe('2506.10006');
    expect(top[0].score).toBeGreaterThan(0);
    expect(text(trending)).toMatch(/^Trending as of 2025-06-16/);
    const similar = await client.callTool({ name: 'similar_papers', arguments: { id: '2506.10002', limit: 3 } });
    expect(similar.isError).toBeFalsy();
    const sim = (similar.structuredContent as any).papers.map((p: any) => p.id);
    expect(sim.length).toBeGreaterThan(0);
    expect(sim).not.toContain('2506.10002');
  });

  it('refuses writes without a write token, as MCP tool errors', async () => {
    for (const token of [undefined, tokens.read]) {
      const client = await connect(token);
      for (const [name, args] of [
        ['upvote_paper', { id: '2506.10002' }],
        ['submit_paper', { arxivId: FRESH }],
      ] as const) {
        const r = await client.callTool({ name, arguments: args });
        expect(r.isError, `${name} ${token ? 'read' : 'anonymous'}`).toBe(true);
        expect(text(r)).toMatch(token ? /read-only/ : /write-scoped API token/);
      }
    }
    expect((await findPaperByArxivId(db, '2506.10002'))!.upvotes).toBe(40);
  });

  it('upvotes and submits with a write token, under the named rate limits, marking changes only then', async () => {
    const client = await connect(tokens.write);
    const paper = vi.spyOn(app.contentVersion, 'paperChanged');
    const everything = vi.spyOn(app.contentVersion, 'everythingChanged');
    await client.callTool({ name: 'search_papers', arguments: { query: 'diffusion' } });
    await client.callTool({ name: 'get_paper', arguments: { id: '2506.10002' } });
    await client.callTool({ name: 'list_daily_papers', arguments: {} });
    expect(paper).not.toHaveBeenCalled();
    expect(everything).not.toHaveBeenCalled();

    const up = await client.callTool({ name: 'upvote_paper', arguments: { id: '2506.10002' } });
    expect(up.structuredContent).toEqual({ id: '2506.10002', upvotes: 41, voted: true, changed: true });
    const id = (await findPaperByArxivId(db, '2506.10002'))!.id;
    expect(paper.mock.calls).toEqual([[id]]);
    const again = await client.callTool({ name: 'upvote_paper', arguments: { id: '2506.10002' } });
    expect(text(again)).toContain('Already upvoted');
    expect(paper).toHaveBeenCalledTimes(1);
    const back = await client.callTool({ name: 'upvote_paper', arguments: { id: '2506.10002', remove: true } });
    expect(back.structuredContent).toMatchObject({ upvotes: 40, changed: true });
    // RATE_LIMIT_VOTE is 4 an hour for the account: the fourth vote passes, the fifth does not.
    expect((await client.callTool({ name: 'upvote_paper', arguments: { id: '2506.10003' } })).isError).toBeFalsy();
    const limited = await client.callTool({ name: 'upvote_paper', arguments: { id: '2506.10004' } });
    expect(limited.isError).toBe(true);
    expect(text(limited)).toMatch(/Too many vote attempts; try again in \d+ s/);

    const sub = await client.callTool({
      name: 'submit_paper',
      arguments: { arxivId: `https://arxiv.org/abs/${FRESH}` },
    });
    expect(sub.isError).toBeFalsy();
    expect(sub.structuredContent).toMatchObject({ id: FRESH, day: '2025-06-16' });
    expect(everything).toHaveBeenCalledTimes(1);
    const dup = await client.callTool({ name: 'submit_paper', arguments: { arxivId: FRESH } });
    expect(dup.isError).toBe(true);
    expect(text(dup)).toContain('already on Daily Papers');
    paper.mockRestore();
    everything.mockRestore();
  });

  it('reports bad arguments as tool errors naming the argument, never a fault', async () => {
    const client = await connect();
    const cases: Array<[string, object, RegExp]> = [
      ['get_paper', { id: '1234.56789' }, /"id"/],
      ['get_paper', {}, /id/],
      ['similar_papers', { id: 'nope' }, /"id"/],
      ['search_papers', { limit: 0 }, /limit/],
      ['search_papers', { mode: 'fuzzy' }, /mode/],
      ['search_papers', { query: 42 }, /query/],
      ['list_daily_papers', { week: '2025-W60' }, /"week"/],
      ['list_daily_papers', { week: 'next week' }, /"week"/],
      ['list_daily_papers', { date: '2025-02-30' }, /"date"/],
      ['list_daily_papers', { date: '2025-06-09', month: '2025-06' }, /month/],
      ['list_daily_papers', { sort: 'hot' }, /sort/],
      ['list_trending', { limit: 1000 }, /limit/],
      ['no_such_tool', {}, /no_such_tool/],
    ];
    for (const [name, args, pattern] of cases) {
      const r = await client.callTool({ name, arguments: args as Record<string, unknown> });
      expect(r.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(text(r), `${name} ${JSON.stringify(args)}`).toMatch(pattern);
      expect(text(r)).not.toMatch(/failed on the server/);
    }
  });

  it('speaks HTTP as the protocol asks: 401 for a bad token, 405 for GET and DELETE', async () => {
    await expect(connect('pb_not-a-token')).rejects.toThrow(/Invalid or revoked token/);
    const unauthorised = await server.inject({
      method: 'POST',
      url: '/mcp',
      headers: { authorization: 'Bearer pb_not-a-token', accept: 'application/json, text/event-stream' },
      payload: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });
    expect(unauthorised.statusCode).toBe(401);
    expect(unauthorised.headers['www-authenticate']).toBe('Bearer');
    for (const method of ['GET', 'DELETE'] as const) {
      const r = await server.inject({ method, url: '/mcp' });
      expect(r.statusCode).toBe(405);
      expect(r.headers.allow).toBe('POST');
      expect(r.json().error.code).toBe(-32000);
    }
    const notJson = await server.inject({
      method: 'POST',
      url: '/mcp',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      payload: '{"jsonrpc":',
    });
    expect(notJson.statusCode).toBe(400);
    const noAccept = await server.inject({
      method: 'POST',
      url: '/mcp',
      headers: { 'content-type': 'application/json', accept: 'text/html' },
      payload: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });
    expect(noAccept.statusCode).toBe(406);
  });
});

describe.each(TEST_DIALECTS)('paperboy mcp on stdio on %s', (dialect) => {
  let db: TestDb;
  let cli: string;
  let write: string;
  beforeAll(async () => {
    cli = buildCliForTests();
    db = await createTestDb(dialect);
    const { app } = await communityServer(db);
    expect((await runImport(db, hfDailySource, FILES)).rejected).toBe(0);
    await createUser(app, CLI_ACTOR, { username: 'ada', email: 'ada@example.org', password: 'correct horse battery' });
    write = (await createApiToken(app, CLI_ACTOR, { name: 'w', scope: 'write', username: 'ada' })).token;
  });
  afterAll(async () => {
    await db?.drop();
    if (cli) removeCliBuild(cli);
  });

  function stdio(env: Record<string, string>) {
    return new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'mcp'],
      env: { ...getDefaultEnvironment(), ...db.env, BASE_URL: 'http://localhost:3000', LOG_LEVEL: 'warn', ...env },
      stderr: 'pipe',
    });
  }

  it('serves the same tools to the SDK client, acting as the token’s user', async () => {
    const client = new Client({ name: 'paperboy-test', version: '1' });
    await client.connect(stdio({ PAPERBOY_TOKEN: write }));
    try {
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(TOOLS);
      const md = await client.callTool({ name: 'get_paper', arguments: { id: '2506.10002' } });
      expect(text(md)).toMatch(/^# Sparse attention at scale\n/);
      expect(text(md)).toContain('(http://localhost:3000/papers/2506.10002)');
      const week = await client.callTool({ name: 'list_daily_papers', arguments: { week: '2025-W23' } });
      expect((week.structuredContent as any).papers.map((p: any) => p.id).sort()).toEqual([
        '2505.20001',
        '2505.20002',
        '2506.10001',
      ]);
      const bad = await client.callTool({ name: 'get_paper', arguments: { id: 'nope' } });
      expect(bad.isError).toBe(true);
      const up = await client.callTool({ name: 'upvote_paper', arguments: { id: '2506.10001' } });
      expect(up.structuredContent).toMatchObject({ upvotes: 13, changed: true });
      expect((await findPaperByArxivId(db, '2506.10001'))!.upvotes).toBe(13);
    } finally {
      await client.close();
    }
  });

  it('refuses to start with an unknown token, saying so', async () => {
    const transport = stdio({ PAPERBOY_TOKEN: 'pb_unknown' });
    let err = '';
    const client = new Client({ name: 'paperboy-test', version: '1' });
    const connecting = client.connect(transport);
    transport.stderr!.on('data', (d) => (err += d));
    await expect(connecting).rejects.toThrow();
    await client.close().catch(() => undefined);
    expect(err).toContain('PAPERBOY_TOKEN holds an unknown or revoked API token');
  });
});
