/**
 * Streamable HTTP, stateless: every POST /mcp gets a fresh McpServer + transport over the shared
 * services, so any number of instances can sit behind an ordinary load balancer. Security per
 * the MCP spec: loopback by default, bearer token when configured, Host/Origin allowlists against
 * DNS rebinding, a body size limit, and no CORS.
 */
import { timingSafeEqual } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { HttpConfig } from "./config.js";
import { createMcpServer } from "./mcp.js";
import type { ToolServices } from "./tool-support/context.js";

export const MAX_BODY_BYTES = 1_000_000;

export interface HttpHandle {
  url: string;
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith("Bearer ") ? header.slice(7) : "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Reads a JSON body up to MAX_BODY_BYTES; undefined when it is too large or not JSON. */
async function readJson(req: IncomingMessage): Promise<{ ok: true; body: unknown } | { ok: false; status: number; message: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { ok: false, status: 413, message: `Request body over ${MAX_BODY_BYTES} bytes` };
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    return { ok: false, status: 400, message: "Request body is not JSON" };
  }
}

/** The checks every request passes before MCP sees it; returns a refusal or undefined. */
function refusal(req: IncomingMessage, config: HttpConfig): [number, string] | undefined {
  if (!config.allowedHosts.includes(req.headers.host ?? "")) return [403, "Host not allowed"];
  const origin = req.headers.origin;
  if (origin !== undefined && !config.allowedOrigins.includes(origin)) return [403, "Origin not allowed"];
  if (config.token && !tokenMatches(req.headers.authorization, config.token)) return [401, "Missing or wrong bearer token"];
  return undefined;
}

async function handleMcp(req: IncomingMessage, res: ServerResponse, services: ToolServices): Promise<void> {
  const body = await readJson(req);
  if (!body.ok) return reply(res, body.status, body.message);
  const server = createMcpServer(services);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body.body);
}

export function startHttpServer(services: ToolServices, config: HttpConfig): Promise<HttpHandle> {
  const log = services.log;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    const refused = refusal(req, config);
    if (refused) return reply(res, ...refused);
    if (path !== "/mcp") return reply(res, 404, "Not found; the MCP endpoint is /mcp");
    // Stateless: no server-initiated streams (GET) and no sessions to delete (DELETE).
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      return reply(res, 405, "Method not allowed; POST JSON-RPC to /mcp");
    }
    handleMcp(req, res, services).catch((error: unknown) => {
      log.error(`HTTP request failed: ${error instanceof Error ? error.message : String(error)}`);
      reply(res, 500, "Internal server error");
    });
  });
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
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
