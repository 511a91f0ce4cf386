/**
 * Protocol revision 2026-07-28: a v2 client that negotiates it (server/discover, a `_meta` envelope
 * on every request, no initialize) lists the tools and calls one, over stdio and over HTTP.
 */
import { type CallToolResult, Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { searchChats } from "../../src/tools/search_chats.js";
import { SERVER_PATH, spawnHttp } from "../helpers/spawn.js";
import { parsed } from "../helpers/typed-call.js";

const TOKEN = "test-token-0123456789abcdef";
const MODERN = "2026-07-28";

function modernClient(mode: "auto" | "pin") {
  return new Client({ name: "modern-test", version: "1.0.0" }, { versionNegotiation: { mode: mode === "pin" ? { pin: MODERN } : "auto" } });
}

async function listAndCall(client: Client) {
  expect(client.getProtocolEra()).toBe("modern");
  expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name)).toContain("search_chats");
  const result = (await client.callTool({ name: "search_chats", arguments: { status: ["new"], limit: 3 } })) as CallToolResult;
  expect(result.isError).toBeFalsy();
  expect(parsed(searchChats, result).chats).toHaveLength(3);
  // Progress rides the call's own response stream and ends before the answer: the client reports
  // a notification for a token it has already forgotten as an error.
  const errors: string[] = [];
  client.onerror = (error) => void errors.push(error.message);
  const progress: number[] = [];
  const triage = (await client.callTool(
    { name: "triage_queue", arguments: {} },
    { onprogress: (p) => void progress.push(p.progress) },
  )) as CallToolResult;
  expect(triage.isError).toBeFalsy();
  expect(progress.length).toBeGreaterThan(0);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(errors).toEqual([]);
}

describe(`protocol ${MODERN} over stdio`, () => {
  for (const mode of ["pin", "auto"] as const) {
    it(`negotiates it (${mode}), lists the tools and calls one`, async () => {
      const client = modernClient(mode);
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [SERVER_PATH, "--demo"],
          env: { PATH: process.env.PATH ?? "", HELPCRUNCH_LOG_LEVEL: "warn" },
          stderr: "ignore",
        }),
      );
      try {
        await listAndCall(client);
      } finally {
        await client.close();
      }
    });
  }
});

describe(`protocol ${MODERN} over Streamable HTTP`, () => {
  let server: Awaited<ReturnType<typeof spawnHttp>>;
  beforeAll(async () => {
    server = await spawnHttp({ MCP_HTTP_TOKEN: TOKEN });
  });
  afterAll(() => server?.stop());

  for (const mode of ["pin", "auto"] as const) {
    it(`negotiates it (${mode}), lists the tools and calls one`, async () => {
      const client = modernClient(mode);
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
        }),
      );
      try {
        await listAndCall(client);
      } finally {
        await client.close();
      }
    });
  }

  // MCP 2026-07-28 removed these; a 2026 request for one is "method not found" (404 over HTTP),
  // whatever its params, not a call to fix params of a method that no longer exists.
  for (const method of ["initialize", "logging/setLevel", "resources/subscribe", "resources/unsubscribe"]) {
    it(`answers the removed ${method} with HTTP 404 and -32601`, async () => {
      const response = await fetch(`${server.base}/mcp`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          authorization: `Bearer ${TOKEN}`,
          "mcp-protocol-version": MODERN,
          "mcp-method": method,
        },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 500,
          method,
          params: { _meta: { "io.modelcontextprotocol/protocolVersion": MODERN, "io.modelcontextprotocol/clientCapabilities": {} } },
        }),
      });
      expect(response.status).toBe(404);
      const body = (await response.json()) as { id: unknown; error: { code: number; message: string } };
      expect(body.id).toBe(500);
      expect(body.error.code).toBe(-32601);
      expect(body.error.message).toContain(method);
    });
  }

  it("refuses a modern request without the bearer token, as any other", async () => {
    const client = modernClient("pin");
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`)))).rejects.toThrow();
  });
});
