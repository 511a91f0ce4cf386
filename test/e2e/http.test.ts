/** Streamable HTTP (stateless) against the spawned server in --http --demo mode. */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVER_PATH, runServer } from "../helpers/spawn.js";

const TOKEN = "test-token-0123456789abcdef";
let child: ChildProcess;
let base: string;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function connect(headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const client = new Client({ name: "http-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers } }));
  return client;
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [SERVER_PATH, "--demo", "--http", "--port", String(port)], {
    env: { PATH: process.env.PATH ?? "", MCP_HTTP_TOKEN: TOKEN, HELPCRUNCH_LOG_LEVEL: "info" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("serving Streamable HTTP")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
});

afterAll(() => {
  child?.kill("SIGTERM");
});

describe("Streamable HTTP", () => {
  it("answers health probes without auth", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("lists and calls tools", async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("triage_queue");
    const result = await client.callTool({ name: "search_chats", arguments: { status: ["new"], limit: 3 } });
    expect((result.structuredContent as { chats: unknown[] }).chats).toHaveLength(3);
    await client.close();
  });

  it("serves two clients at once", async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    const [ra, rb] = await Promise.all([
      a.callTool({ name: "list_agents", arguments: {} }),
      b.callTool({ name: "get_chat", arguments: { chat_id: 1, messages: 0 } }),
    ]);
    expect(ra.isError).toBeFalsy();
    expect(rb.content).toBeDefined();
    await Promise.all([a.close(), b.close()]);
  });

  it("refuses a missing or wrong token with 401", async () => {
    const init = { jsonrpc: "2.0", id: 1, method: "ping" };
    for (const authorization of [undefined, "Bearer wrong-token-0123456789abcd"]) {
      const res = await fetch(`${base}/mcp`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(init),
      });
      expect(res.status).toBe(401);
    }
  });

  it("refuses a foreign Origin with 403 (DNS rebinding protection)", async () => {
    const res = await fetch(`${base}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://evil.example", authorization: `Bearer ${TOKEN}` },
      body: "{}",
    });
    expect(res.status).toBe(403);
  });

  it("refuses bodies over the size limit with 413", async () => {
    const res = await fetch(`${base}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ pad: "x".repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
  });

  it("refuses to bind a non-loopback host without MCP_HTTP_TOKEN", async () => {
    const run = await runServer({}, ["--demo", "--http", "--host", "0.0.0.0"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not loopback: set MCP_HTTP_TOKEN/);
  });
});
