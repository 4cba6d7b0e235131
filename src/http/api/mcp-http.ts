import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { handler, json } from '../route.js';
import { createMcpServer } from './mcp-tools.js';

/**
 * The MCP server over Streamable HTTP at `/mcp` (route table rows; tools in mcp-tools.ts).
 *
 * Stateless and JSON-answering: each POST is one JSON-RPC exchange, answered as JSON (not a stream)
 * by a fresh server over the caller's actor, so any web process answers any call and nothing is held
 * between requests, like the rest of the site. Authentication is the site's API tokens
 * (`Authorization: Bearer pb_…`; /mcp ignores cookies, so it needs no CSRF token): none or a read
 * token reads, a write token may also upvote and submit; a bad or revoked token is a 401 before
 * anything runs. GET (a server-to-client stream) and DELETE (ending a session) are 405, which the
 * protocol prescribes for a server that offers neither.
 */
const MCP_PATH = '/mcp';
/** Request headers the transport reads (content negotiation and the protocol version). */
const FORWARDED_HEADERS = ['accept', 'content-type', 'mcp-protocol-version', 'mcp-session-id', 'last-event-id'];

/** POST /mcp — one JSON-RPC message (or batch) in, its answer out. */
export const mcpPost = handler({}, async (c) => {
  const server = createMcpServer(c.app, { actor: c.actor, ip: c.ip, log: c.req.log });
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  try {
    await server.connect(transport);
    const headers = new Headers();
    for (const name of FORWARDED_HEADERS) {
      const v = c.req.headers[name];
      if (typeof v === 'string') headers.set(name, v);
    }
    // The body was parsed (and bounded by BODY_LIMIT_BYTES) by the server; the SDK validates the
    // JSON-RPC message itself, so it is handed over as it came rather than declared field by field.
    const res = await transport.handleRequest(
      new Request(`${c.app.config.baseUrl}${MCP_PATH}`, { method: 'POST', headers }),
      { parsedBody: c.req.body },
    );
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      if (k !== 'content-type' && k !== 'content-length') out[k] = v;
    });
    return {
      kind: 'raw',
      status: res.status,
      contentType: res.headers.get('content-type') ?? 'application/json',
      body: Buffer.from(await res.arrayBuffer()),
      headers: out,
    };
  } finally {
    await server.close();
  }
});

/** GET and DELETE /mcp — this server keeps no sessions and opens no server-to-client stream. */
export const mcpMethodNotAllowed = handler({}, async () =>
  json(
    {
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Method not allowed: this MCP server is stateless; POST JSON-RPC messages.' },
      id: null,
    },
    405,
    { allow: 'POST' },
  ),
);
