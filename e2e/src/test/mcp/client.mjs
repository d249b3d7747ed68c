// The MCP TypeScript SDK's client, unmodified, with its OAuth support: it discovers Mandate from the MCP
// server's 401 and metadata, identifies itself by a Client ID Metadata Document it serves on loopback (https),
// and sends the person to Mandate in headless Chromium, who signs in and consents. One JSON object per line
// on stdout says what happened; then each "call" line on stdin calls a tool again (until "quit").
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer } from 'node:http';
import { createInterface } from 'node:readline';

const env = (name) => {
  if (!process.env[name]) throw new Error(`${name} is not set`);
  return process.env[name];
};
const mcpUrl = new URL(env('MCP_URL'));
const say = (event) => console.log(JSON.stringify(event));

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

// Where Mandate sends the person back with the code.
let codeArrived;
const code = new Promise((resolve) => { codeArrived = resolve; });
const callback = createHttpServer((req, res) => {
  const query = new URL(req.url, 'http://127.0.0.1').searchParams;
  res.writeHead(200, { 'content-type': 'text/plain' }).end('You may close this window.');
  if (query.get('code')) codeArrived(query.get('code'));
});
const redirectUrl = `http://127.0.0.1:${await listen(callback)}/callback`;

// The Client ID Metadata Document, at the URL that is this client's client_id.
let documentUrl;
const documents = createHttpsServer({ key: readFileSync(env('TLS_KEY')), cert: readFileSync(env('TLS_CERT')) },
  (req, res) => {
    if (req.url !== '/mcp-client.json') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
    res.end(JSON.stringify({
      client_id: documentUrl, client_name: 'E2E notes client', redirect_uris: [redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none',
    }));
  });
documentUrl = `https://127.0.0.1:${await listen(documents)}/mcp-client.json`;

let browser;
let authorizations = 0;
const stored = {};
const provider = {
  get redirectUrl() { return redirectUrl; },
  clientMetadataUrl: documentUrl,
  get clientMetadata() {
    return { client_name: 'E2E notes client', redirect_uris: [redirectUrl], grant_types: ['authorization_code'],
      response_types: ['code'], token_endpoint_auth_method: 'none' };
  },
  clientInformation: () => stored.client,
  saveClientInformation: (client) => { stored.client = client; },
  tokens: () => stored.tokens,
  saveTokens: (tokens) => { stored.tokens = tokens; },
  saveCodeVerifier: (verifier) => { stored.verifier = verifier; },
  codeVerifier: () => stored.verifier,
  async redirectToAuthorization(url) {
    if (++authorizations > 1) {
      say({ event: 'authorization_requested_again' });
      throw new Error('access ended: the person would have to consent again');
    }
    say({ event: 'authorize', url: url.toString() });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const page = await browser.newPage();
    await page.goto(url.toString());
    await page.fill('#username', env('PERSON_USERNAME'));
    await page.fill('#password', env('PERSON_PASSWORD'));
    await page.click('button[type=submit]');
    await page.waitForURL(/\/consent\?/);
    say({ event: 'consent_page', text: await page.locator('main').innerText() });
    if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
    await page.click('button[name=decision][value=allow]');
    await page.waitForURL((target) => target.toString().startsWith(redirectUrl));
  },
};

async function connect() {
  const client = new Client({ name: 'mandate-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
  return client;
}

const text = (result) => result.content?.map((part) => part.text).join('') ?? '';

try {
  let client;
  const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
  try {
    client = new Client({ name: 'mandate-e2e', version: '1.0.0' });
    await client.connect(transport);
  } catch (e) {
    if (!(e instanceof UnauthorizedError)) throw e;
    await transport.finishAuth(await code);
    client = await connect();
  }
  await browser?.close();
  say({ event: 'connected', client_id: stored.client?.client_id });
  say({ event: 'tool', name: 'add_note', text: text(await client.callTool({ name: 'add_note', arguments: { text: 'buy milk' } })) });
  say({ event: 'tool', name: 'list_notes', text: text(await client.callTool({ name: 'list_notes', arguments: {} })) });
  say({ event: 'ready', access_token: stored.tokens.access_token, scope: stored.tokens.scope });
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'quit') break;
    try {
      say({ event: 'call', ok: true, text: text(await client.callTool({ name: 'list_notes', arguments: {} })) });
    } catch (e) {
      say({ event: 'call', ok: false, error: e.message });
    }
  }
} catch (e) {
  say({ event: 'failed', error: e.stack ?? String(e) });
  process.exitCode = 1;
} finally {
  await browser?.close();
  callback.close();
  documents.close();
  process.exit();
}
