/**
 * The floor the benchmark compares against: a bare server on the same SDK (@modelcontextprotocol/server)
 * with one echo tool, served the way the SDK's stateless examples do it. Over stdio by default
 * (cold start, idle RSS, per-call round trip); with `--http PORT`, stateless Streamable HTTP on
 * loopback: a fresh McpServer and WebStandardStreamableHTTPServerTransport for every POST, the body
 * read and parsed by node:http as ours is (bench/http.ts measures both in the same run).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { McpServer, WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { z } from "zod";

function echoServer(): McpServer {
  const server = new McpServer({ name: "reference", version: "1.0.0" });
  server.registerTool("echo", { description: "Echoes its text.", inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
    content: [{ type: "text", text }],
  }));
  return server;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function webRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === "content-length" || name === "transfer-encoding") continue;
    for (const one of [value].flat()) headers.append(name, one);
  }
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/mcp"}`, { method: "POST", headers });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsedBody = await readBody(req);
  const server = echoServer();
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  const response = await transport.handleRequest(webRequest(req), { parsedBody });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}

const httpAt = process.argv.indexOf("--http");
if (httpAt >= 0) {
  const port = Number(process.argv[httpAt + 1] ?? 0);
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(`reference: ${String(error)}\n`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.listen(port, "127.0.0.1", () => process.stderr.write("reference serving Streamable HTTP\n"));
  process.on("SIGTERM", () => process.exit(0));
} else {
  serveStdio(() => echoServer());
  process.stdin.on("end", () => process.exit(0));
}
