/**
 * Old clients keep working: the v1 TypeScript SDK (@modelcontextprotocol/sdk 1.x) over stateless
 * Streamable HTTP, against the server built on the v2 SDK. (scenario.ts drives it over stdio.)
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnHttp } from "../helpers/spawn.js";

const TOKEN = "test-token-0123456789abcdef";
let server: Awaited<ReturnType<typeof spawnHttp>>;

beforeAll(async () => {
  server = await spawnHttp({ MCP_HTTP_TOKEN: TOKEN });
});

afterAll(() => server?.stop());

describe("a v1 SDK client over Streamable HTTP", () => {
  it("initializes, lists the tools and calls one, with progress on the way", async () => {
    const client = new Client({ name: "v1-http", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
    });
    await client.connect(transport);
    expect(client.getServerVersion()?.name).toBe("helpcrunch");
    expect(transport.protocolVersion).toBe("2025-11-25");
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("search_chats");
    const result = await client.callTool({ name: "search_chats", arguments: { status: ["new"], limit: 3 } });
    expect(result.isError).toBeFalsy();
    expect((result.structuredContent as { chats: unknown[] }).chats).toHaveLength(3);
    // A call with a progress token is answered over SSE, which carries the notifications.
    const progress: number[] = [];
    const triage = await client.callTool({ name: "triage_queue", arguments: {} }, undefined, {
      onprogress: (p) => void progress.push(p.progress),
    });
    expect(triage.isError).toBeFalsy();
    expect(progress.length).toBeGreaterThan(0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    await client.close();
  });
});
