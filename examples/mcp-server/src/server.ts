// A small MCP server (notes, per person) protected by Mandate, with the official MCP TypeScript SDK.
// It is an OAuth resource server: it serves RFC 9728 metadata naming Mandate as its authorization server,
// answers 401 with that metadata's URL, checks every token (tokens.ts) and the scope each tool needs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { z } from 'zod';
import { Refusal, TokenVerifier, type Caller } from './tokens.js';

const port = Number(process.env.PORT ?? 3001);
const issuer = process.env.MANDATE_ISSUER ?? 'http://127.0.0.1:8080';
/** The canonical URI registered in Mandate (RFC 8707): tokens for this server name it as aud. */
const resource = process.env.MCP_RESOURCE ?? `http://127.0.0.1:${port}/mcp`;
const resourceUrl = new URL(resource);
/** RFC 9728 §3.1: the well-known path with the resource's path after it. */
const metadataPath = `/.well-known/oauth-protected-resource${resourceUrl.pathname === '/' ? '' : resourceUrl.pathname}`;
const metadataUrl = process.env.MCP_RESOURCE_METADATA_URL ?? `${resourceUrl.origin}${metadataPath}`;

/** What each tool needs; scopes_supported lists them. */
const TOOL_SCOPES: Record<string, string> = { list_notes: 'notes:read', add_note: 'notes:write' };

const verifier = new TokenVerifier({
  issuer,
  resource,
  introspection: process.env.MANDATE_CLIENT_ID && process.env.MANDATE_CLIENT_SECRET
    ? { clientId: process.env.MANDATE_CLIENT_ID, clientSecret: process.env.MANDATE_CLIENT_SECRET }
    : undefined,
});

const notes = new Map<string, string[]>();

function mcpServer(): McpServer {
  const server = new McpServer({ name: 'mandate-notes', version: '1.0.0' });
  const person = (auth: AuthInfo | undefined) => String(auth?.extra?.subject);
  server.registerTool('list_notes', { description: "Lists the signed-in person's notes (notes:read)." },
    async (extra) => ({ content: [{ type: 'text', text: JSON.stringify(notes.get(person(extra.authInfo)) ?? []) }] }));
  server.registerTool('add_note', {
    description: 'Adds a note for the signed-in person (notes:write).',
    inputSchema: { text: z.string().max(500) },
  }, async ({ text }, extra) => {
    const mine = notes.get(person(extra.authInfo)) ?? [];
    mine.push(text);
    notes.set(person(extra.authInfo), mine);
    return { content: [{ type: 'text', text: `saved note ${mine.length}` }] };
  });
  return server;
}

function challenge(refusal: Refusal): string {
  const parts = [`resource_metadata="${metadataUrl}"`];
  if (refusal.error) parts.unshift(`error="${refusal.error}", error_description="${refusal.message.replace(/"/g, "'")}"`);
  if (refusal.scope) parts.push(`scope="${refusal.scope}"`);
  return `${refusal.scheme} ${parts.join(', ')}`;
}

/** The scope a JSON-RPC message (or batch) needs beyond what the token has: 403 insufficient_scope (RFC 6750 §3.1). */
function requireScopes(body: unknown, caller: Caller) {
  for (const message of Array.isArray(body) ? body : [body]) {
    const call = message as { method?: string; params?: { name?: string } };
    const needed = call?.method === 'tools/call' ? TOOL_SCOPES[call.params?.name ?? ''] : undefined;
    if (needed && !caller.scopes.includes(needed)) {
      throw new Refusal(403, 'insufficient_scope', `${call.params?.name} needs ${needed}`, 'Bearer', needed);
    }
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 1_000_000) throw new Refusal(403, 'invalid_request', 'body too large');
    chunks.push(chunk);
  }
  return chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function mcp(req: IncomingMessage, res: ServerResponse) {
  const url = `${resourceUrl.origin}${req.url}`;
  const caller = await verifier.verify(req.method ?? 'GET', url, req.headers.authorization, req.headers.dpop as string | undefined);
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST' }).end(); // stateless: no server-sent stream to resume
    return;
  }
  const body = await readJson(req);
  requireScopes(body, caller);
  const auth: AuthInfo = { token: caller.token, clientId: caller.clientId, scopes: caller.scopes,
    expiresAt: caller.expiresAt, extra: { subject: caller.subject, tenantId: caller.tenantId } };
  const server = mcpServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => { void transport.close(); void server.close(); });
  await server.connect(transport);
  await transport.handleRequest(Object.assign(req, { auth }), res, body);
}

createServer(async (req, res) => {
  try {
    const path = new URL(req.url ?? '/', resourceUrl.origin).pathname;
    if (req.method === 'GET' && path === metadataPath) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' });
      res.end(JSON.stringify({
        resource,
        authorization_servers: [issuer],
        scopes_supported: [...new Set(Object.values(TOOL_SCOPES))],
        bearer_methods_supported: ['header'],
        resource_name: 'Mandate notes (example MCP server)',
        dpop_signing_alg_values_supported: ['ES256', 'EdDSA', 'RS256', 'PS256'],
      }));
    } else if (path === resourceUrl.pathname) {
      await mcp(req, res);
    } else {
      res.writeHead(404).end();
    }
  } catch (e) {
    if (e instanceof Refusal) {
      res.writeHead(e.status, { 'www-authenticate': challenge(e), 'content-type': 'application/json' })
        .end(JSON.stringify({ error: e.error || 'unauthorized', error_description: e.message }));
    } else {
      console.error(e);
      if (!res.headersSent) res.writeHead(500).end();
    }
  }
}).listen(port, '127.0.0.1', () => console.log(`MCP server for ${resource} listening on ${port}; metadata at ${metadataUrl}`));
