/**
 * Streamable HTTP, stateless: every POST /mcp gets a fresh McpServer + transport over the shared
 * services, so any number of instances can sit behind an ordinary load balancer. 2025-era clients
 * are served by the SDK's stateless Streamable HTTP transport, 2026-07-28 clients (a `_meta`
 * envelope, server/discover) by its per-request entry, createMcpHandler. Security per the MCP
 * spec: loopback by default, bearer token when configured, Host/Origin allowlists against DNS
 * rebinding, a body size limit, and no CORS.
 *
 * The Host/Origin checks stay ours rather than the SDK's validateHostHeader/validateOriginHeader:
 * those compare host names only (any port, any scheme), while ours allow exactly the configured
 * `host:port` pairs and full origins (MCP_HTTP_ALLOWED_HOSTS/ORIGINS), so another local service's
 * port is not let in.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  type AuthInfo,
  type ClientCapabilities,
  createMcpHandler,
  isLegacyRequest,
  type JSONRPCMessage,
  type McpHttpHandler,
  ProtocolErrorCode,
  WebStandardStreamableHTTPServerTransport,
} from "@modelcontextprotocol/server";
import type { HttpConfig } from "../config.js";
import { actorOf } from "../runtime/actor.js";
import type { ToolServices } from "../runtime/context.js";
import { capabilitiesOf, sessionIdFor } from "./http-session.js";
import { checkIncoming } from "./incoming.js";
import { KeptResponses } from "./kept-responses.js";
import { LISTEN_LIMIT_MESSAGE, liveUpdates, MAX_LISTENS_PER_CLIENT } from "./live-updates.js";
import { createMcpServer } from "./mcp-server.js";
import { OAuthVerifier } from "./oauth.js";
import { readBody } from "./read-body.js";
import { authenticate, bearerToken, protectedResourceMetadata } from "./resource-server.js";
import { WEBHOOK_PATH, webhookReceiver } from "./webhook-receiver.js";

export const MAX_BODY_BYTES = 1_000_000;

export interface HttpHandle {
  url: string;
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, message: string, options: { close?: boolean } = {}): void {
  sendJson(res, status, { jsonrpc: "2.0", error: { code: -32000, message }, id: null }, options);
}

function sendJson(res: ServerResponse, status: number, body: unknown, options: { close?: boolean } = {}): void {
  if (res.headersSent) return;
  // When the rest of the request is not read, the socket cannot be reused: say so, so a pooled client does not try.
  res.writeHead(status, { "content-type": "application/json", ...(options.close ? { connection: "close" } : {}) });
  res.end(JSON.stringify(body));
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(bearerToken(header) ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

type Body = { ok: true; body: unknown } | { ok: false; status: number; message: string; close: boolean };

/** Reads a JSON body up to MAX_BODY_BYTES. Past it, reading stops and the connection is closed after the 413. */
async function readJson(req: IncomingMessage): Promise<Body> {
  const raw = await readBody(req, MAX_BODY_BYTES);
  if (!raw) return { ok: false, status: 413, message: `Request body over ${MAX_BODY_BYTES} bytes`, close: true };
  try {
    return { ok: true, body: JSON.parse(raw.toString("utf8")) };
  } catch {
    return { ok: false, status: 400, message: "Request body is not JSON", close: false };
  }
}

/** Does this JSON-RPC request ask for progress? Then the answer is an SSE stream that can carry it. */
function wantsProgress(message: JSONRPCMessage): boolean {
  const meta = "params" in message ? (message.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta : undefined;
  return meta?.progressToken !== undefined;
}

/** The checks every request passes before MCP sees it; returns a refusal or undefined. */
function refusal(req: IncomingMessage, config: HttpConfig): [number, string] | undefined {
  // Host names are case-insensitive (RFC 9110); allowedHosts are stored in lower case.
  if (!config.allowedHosts.includes((req.headers.host ?? "").toLowerCase())) return [403, "Host not allowed"];
  const origin = req.headers.origin;
  if (origin !== undefined && !config.allowedOrigins.includes(origin)) return [403, "Origin not allowed"];
  if (config.token && !tokenMatches(req.headers.authorization, config.token)) return [401, "Missing or wrong bearer token"];
  return undefined;
}

/**
 * The request as the SDK's web-standard entries take it: the body is handed over already parsed,
 * and the signal ends the exchange when the client goes away.
 */
function webRequest(req: IncomingMessage, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    // The body is not forwarded (it is passed parsed), so neither is its framing.
    if (value === undefined || name === "content-length" || name === "transfer-encoding") continue;
    for (const one of [value].flat()) headers.append(name, one);
  }
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/mcp"}`, { method: "POST", headers, signal });
}

/**
 * Copies a web Response to Node's, streaming an SSE body as it is written. A JSON answer is sent
 * whole, with its length: one write instead of chunked framing (a tools/list answer is 23 KB, and
 * under 50 clients each extra socket write showed in the CPU profile).
 */
async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers = Object.fromEntries(response.headers);
  if (response.body && !headers["content-type"]?.startsWith("text/event-stream")) {
    const body = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, { ...headers, "content-length": String(body.length) });
    return void res.end(body);
  }
  res.writeHead(response.status, headers);
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  res.once("close", () => void reader.cancel().catch(() => undefined));
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) res.write(chunk.value);
  res.end();
}

/**
 * 2025-era calls in flight in this process, by who sent them and their JSON-RPC id. Over stateless
 * HTTP a client's notifications/cancelled comes in a request of its own, so without this the call
 * would run on (a bulk write to its end) and stream progress the client no longer knows. Ids are the
 * client's own, and clients sharing a bearer token may reuse them: a cancel that matches more than
 * one call here stops none (the call runs to its end, as before) rather than another client's.
 */
class CallsInFlight {
  private readonly calls = new Map<string, Set<() => void>>();

  /** Registers a call's stop; returns the unregistration. */
  add(key: string, stop: () => void): () => void {
    const same = this.calls.get(key) ?? new Set();
    this.calls.set(key, same.add(stop));
    return () => {
      same.delete(stop);
      if (same.size === 0 && this.calls.get(key) === same) this.calls.delete(key);
    };
  }

  /** Stops the one call under `key`; false when there is none, or more than one. */
  cancel(key: string): boolean {
    const same = this.calls.get(key);
    if (same?.size !== 1) return false;
    for (const stop of same) stop();
    return true;
  }
}

/**
 * Open subscriptions/listen streams per client. The SDK's handler caps the streams of all clients
 * together (1,024), so without this one client could open them all and every other client's listen
 * would be refused. A client is the signed-in person with OAuth; without it, the address the request
 * came from (behind a proxy that is the proxy's: turn OAuth on where many people share one).
 */
class ListenStreams {
  private readonly open = new Map<string, number>();

  /** Takes a place for `client`'s new stream; returns its release, or undefined when the client holds its cap. */
  take(client: string): (() => void) | undefined {
    const held = this.open.get(client) ?? 0;
    if (held >= MAX_LISTENS_PER_CLIENT) return undefined;
    this.open.set(client, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(client) ?? 1) - 1;
      if (left > 0) this.open.set(client, left);
      else this.open.delete(client);
    };
  }
}

/** Who holds a listen stream: see ListenStreams. */
function listenerOf(req: IncomingMessage, authInfo: AuthInfo | undefined): string {
  const subject = actorOf(authInfo)?.subject;
  return subject !== undefined ? `person ${subject}` : `address ${req.socket.remoteAddress ?? "unknown"}`;
}

/** Whose call, and which: the signed-in client (OAuth) or everyone with the token, and the JSON-RPC id. */
const callKey = (authInfo: AuthInfo | undefined, id: unknown) => `${authInfo?.clientId ?? ""}\0${JSON.stringify(id)}`;

/** The request a notifications/cancelled names, if `message` is one. */
function cancelledId(message: JSONRPCMessage): unknown {
  if (!("method" in message) || message.method !== "notifications/cancelled" || "id" in message) return undefined;
  return (message.params as { requestId?: unknown } | undefined)?.requestId;
}

interface Exchange {
  request: Request;
  body: unknown;
  message: JSONRPCMessage;
  authInfo?: AuthInfo;
  res: ServerResponse;
}

/** A 2025-era request: a fresh server and the SDK's stateless Streamable HTTP transport. */
async function serveLegacy(exchange: Exchange, services: ToolServices, inFlight: CallsInFlight): Promise<Response> {
  // Stateless: a form answer would arrive as a new request on any instance, so this server cannot ask back.
  const clientCapabilities = capabilitiesOf(exchange.request.headers.get("mcp-session-id") ?? undefined);
  const { message } = exchange;
  const called =
    "method" in message && message.method === "tools/call" ? (message.params as { name?: unknown } | undefined)?.name : undefined;
  const server = createMcpServer(services, {
    canAskClient: false,
    clientCapabilities,
    ...(typeof called === "string" ? { onlyTool: called } : {}),
  });
  // JSON answers by default (simplest for proxies); an SSE stream when the call asked for progress, to carry it.
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: !wantsProgress(exchange.message),
  });
  // Closing aborts the call's handler (the SDK aborts in-flight requests on close) and ends its stream.
  const stop = () => {
    void transport.close();
    void server.close();
  };
  const unregister = "id" in message && "method" in message ? inFlight.add(callKey(exchange.authInfo, message.id), stop) : undefined;
  exchange.res.on("close", () => {
    unregister?.();
    stop();
  });
  await server.connect(transport);
  return transport.handleRequest(exchange.request, { parsedBody: exchange.body, authInfo: exchange.authInfo });
}

interface Serving {
  services: ToolServices;
  modern: McpHttpHandler;
  inFlight: CallsInFlight;
  listens: ListenStreams;
  kept: KeptResponses;
}

async function handleMcp(req: IncomingMessage, res: ServerResponse, serving: Serving, authInfo?: AuthInfo) {
  const body = await readJson(req);
  if (!body.ok) return reply(res, body.status, body.message, { close: body.close });
  // Stateless: every request stands alone, so there is no initialize to wait for.
  const { deliver, replies } = checkIncoming(body.body, true);
  const [message] = deliver;
  if (!message) {
    if (replies.length === 0) return void res.writeHead(202).end();
    const [only] = replies;
    if (replies.length > 1 || !only) return sendJson(res, 400, replies);
    // Streamable HTTP (2026-07-28): a method the server does not implement is a 404, like the SDK's own answer.
    return sendJson(res, only.error.code === ProtocolErrorCode.MethodNotFound ? 404 : 400, only);
  }
  const gone = new AbortController();
  res.once("close", () => gone.abort());
  const request = webRequest(req, gone.signal);
  const exchange: Exchange = { request, body: body.body, message, authInfo, res };
  const legacy = await isLegacyRequest(request, body.body);
  const cancelled = legacy ? cancelledId(message) : undefined;
  if (cancelled !== undefined) {
    if (!serving.inFlight.cancel(callKey(authInfo, cancelled)))
      serving.services.log.debug(`notifications/cancelled for request ${JSON.stringify(cancelled)}: no single call in flight here`);
    return void res.writeHead(202).end();
  }
  if (!legacy && "id" in message && "method" in message && message.method === "subscriptions/listen") {
    const release = serving.listens.take(listenerOf(req, authInfo));
    // In band, as the SDK answers a listen past its own cap.
    if (!release) return sendJson(res, 200, { jsonrpc: "2.0", id: message.id, error: { code: -32603, message: LISTEN_LIMIT_MESSAGE } });
    res.once("close", release);
  }
  const keyOf = () => serving.kept.keyOf(request, message, authInfo);
  const keptKey = legacy ? await keyOf() : undefined;
  const kept = keptKey !== undefined && "id" in message ? serving.kept.answer(keptKey, message.id) : undefined;
  if (kept) return writeResponse(res, kept);
  let response = legacy
    ? await serveLegacy(exchange, serving.services, serving.inFlight)
    : await serving.modern.fetch(request, { parsedBody: body.body, authInfo });
  if (keptKey !== undefined) response = await serving.kept.keep(keptKey, response, keyOf);
  // The answer to a 2025 initialize names the capabilities later requests need in the session id they echo.
  if (legacy && "method" in message && message.method === "initialize" && response.ok) {
    const params = (message as { params?: { capabilities?: ClientCapabilities } }).params;
    response.headers.set("mcp-session-id", sessionIdFor(params?.capabilities));
  }
  await writeResponse(res, response);
}

export function startHttpServer(services: ToolServices, config: HttpConfig): Promise<HttpHandle> {
  const log = services.log;
  const oauth = config.oauth;
  const verifier = oauth ? new OAuthVerifier(oauth, log) : undefined;
  // 2026-07-28 requests; 2025-era ones never reach it (handleMcp routes them to serveLegacy).
  const modern = createMcpHandler(({ era }) => createMcpServer(services, { canAskClient: false, era, listenStreams: true }), {
    legacy: "reject",
    maxRequestBodySize: MAX_BODY_BYTES,
    onerror: (error) => log.debug(`MCP request refused: ${error.message}`),
  });
  const serving: Serving = {
    services,
    modern,
    inFlight: new CallsInFlight(),
    listens: new ListenStreams(),
    kept: new KeptResponses(services),
  };
  // 2026-07-28 clients' subscriptions/listen streams hear every live-queue update of this process.
  const stopUpdates = liveUpdates(services).addSink((uri) => modern.notify.resourceUpdated(uri));
  const webhooks = webhookReceiver(services);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (req.method === "GET" && path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    // Signed by HelpCrunch, checked there; a server-to-server POST carries no MCP token or browser Origin.
    if (path === WEBHOOK_PATH) {
      webhooks.receive(req, res).catch((error: unknown) => {
        log.error(`webhook request failed: ${error instanceof Error ? error.message : String(error)}`);
        reply(res, 500, "Internal server error");
      });
      return;
    }
    const refused = refusal(req, config);
    if (refused) return reply(res, ...refused);
    // Public by design: it is how a client learns where to sign in (RFC 9728).
    const metadata = oauth && req.method === "GET" ? protectedResourceMetadata(oauth, req, path) : undefined;
    if (metadata) return sendJson(res, 200, metadata);
    if (path !== "/mcp") return reply(res, 404, "Not found; the MCP endpoint is /mcp");
    // Stateless: no server-initiated streams (GET) and no session state to delete (DELETE).
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      return reply(res, 405, "Method not allowed; POST JSON-RPC to /mcp");
    }
    serve(req, res).catch((error: unknown) => {
      log.error(`HTTP request failed: ${error instanceof Error ? error.message : String(error)}`);
      reply(res, 500, "Internal server error");
    });
  });
  /** No request reaches a tool without a valid token when OAuth is configured. */
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    if (!oauth || !verifier) return handleMcp(req, res, serving);
    const authn = await authenticate(req, verifier, oauth);
    if (!authn.ok) {
      for (const [name, value] of Object.entries(authn.headers)) res.setHeader(name, value);
      return reply(res, authn.status, authn.message);
    }
    return handleMcp(req, res, serving, authn.auth);
  };
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : config.port;
      const host = config.host.includes(":") && !config.host.startsWith("[") ? `[${config.host}]` : config.host;
      resolve({
        url: `http://${host}:${port}/mcp`,
        close: () =>
          new Promise<void>((done) => {
            stopUpdates();
            webhooks.close();
            void modern.close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
