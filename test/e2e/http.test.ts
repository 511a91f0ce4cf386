/** Streamable HTTP (stateless) against the spawned server in --http --demo mode. */
import { Agent, request } from "node:http";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAgents } from "../../src/tools/list_agents.js";
import { searchChats } from "../../src/tools/search_chats.js";
import { postMcp, runServer, spawnHttp } from "../helpers/spawn.js";
import { parsed } from "../helpers/typed-call.js";

const TOKEN = "test-token-0123456789abcdef";
let server: Awaited<ReturnType<typeof spawnHttp>>;
let base: string;

async function connect(headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const client = new Client({ name: "http-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers } }));
  return client;
}

beforeAll(async () => {
  server = await spawnHttp({ MCP_HTTP_TOKEN: TOKEN });
  base = server.base;
});

afterAll(() => server?.stop());

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
    expect(parsed(searchChats, result).chats).toHaveLength(3);
    await client.close();
  });

  it("answers a call of a tool it does not have as the SDK does, though each call's server registers only the tool called", async () => {
    const client = await connect();
    const result = await client.callTool({ name: "delete_everything", arguments: {} }).catch((error: unknown) => error);
    const message = result instanceof Error ? result.message : JSON.stringify(result);
    expect(message).toMatch(/delete_everything/);
    expect(message).toMatch(/not found/i);
    // A call's own tool is there, whichever it is.
    const agents = await client.callTool({ name: "list_agents", arguments: {} });
    expect(agents.isError).toBeFalsy();
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
    // The same length as the real token too: a comparison by length alone must not pass.
    const sameLength = `${TOKEN.slice(0, -1)}${TOKEN.endsWith("x") ? "y" : "x"}`;
    for (const authorization of [undefined, "Bearer wrong-token-0123456789abcd", `Bearer ${sameLength}`]) {
      const res = await postMcp(base, init, authorization ? { authorization } : {});
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

  it("takes the auth scheme and the Host header in any case", async () => {
    const port = new URL(base).port;
    const status = await new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });
      const req = request(`${base}/mcp`, {
        method: "POST",
        headers: {
          host: `LOCALHOST:${port}`,
          authorization: `bearer ${TOKEN}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end(body);
    });
    expect(status).toBe(200);
  });

  it("a 413 says Connection: close, and the next request on the same pool goes through", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: string, chunked: boolean) =>
      new Promise<{ status: number; connection?: string }>((resolve, reject) => {
        const req = request(`${base}/mcp`, {
          method: "POST",
          agent,
          headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
        });
        req.on("response", (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
        });
        req.on("error", reject);
        if (chunked) {
          // No content-length: the server finds out while reading.
          for (let i = 0; i < 12; i++) req.write("x".repeat(100_000));
          req.end();
        } else req.end(body);
      });
    const refused = await post("", true);
    expect(refused).toEqual({ status: 413, connection: "close" });
    const next = await post(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping" }), false);
    expect(next.status).toBe(200);
    agent.destroy();
  });

  it("answers invalid params with one short -32602 sentence, not a zod dump", async () => {
    const res = await fetch(`${base}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "get_chat", arguments: null } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { id: number; error: { code: number; message: string } };
    expect(body.id).toBe(9);
    expect(body.error.code).toBe(-32602);
    expect(body.error.message).not.toContain("\n");
  });

  it("delivers progress over HTTP (an SSE answer) when the call carries a progressToken", async () => {
    const client = await connect();
    const errors: Error[] = [];
    client.onerror = (e) => void errors.push(e);
    const listed = await client.callTool({ name: "search_chats", arguments: { status: ["opened"], limit: 6 } });
    const ids = parsed(searchChats, listed).chats.map((c) => c.id);
    const progress: number[] = [];
    const result = await client.callTool(
      { name: "unsnooze_chat", arguments: { chat_ids: ids } },
      {
        onprogress: (p) => void progress.push(p.progress),
      },
    );
    expect(result.isError).toBeFalsy();
    expect(progress.length).toBe(ids.length - 1);
    expect(errors).toEqual([]);
    await client.close();
  });

  it("cannot ask a person over stateless HTTP: a customer reply under confirm is refused, a note goes through", async () => {
    const client = await connect();
    const listed = await client.callTool({ name: "search_chats", arguments: { status: ["opened"], limit: 1 } });
    const chatId = parsed(searchChats, listed).chats[0]?.id;
    const agents = parsed(listAgents, await client.callTool({ name: "list_agents", arguments: {} }));
    const reply = await client.callTool({
      name: "send_message",
      arguments: { chat_id: chatId, text: "Hello", agent: agents.agents[0]?.id },
    });
    expect(reply.isError).toBe(true);
    expect(JSON.stringify(reply.content)).toContain("this client cannot show a confirmation form");
    const note = await client.callTool({
      name: "send_message",
      arguments: { chat_id: chatId, text: "internal", private: true, agent: agents.agents[0]?.id },
    });
    expect(note.isError).toBeFalsy();
    await client.close();
  });

  it("refuses to bind a non-loopback host without MCP_HTTP_TOKEN", async () => {
    const run = await runServer({}, ["--demo", "--http", "--host", "0.0.0.0"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not loopback: set MCP_OAUTH_ISSUER and MCP_OAUTH_AUDIENCE, or MCP_HTTP_TOKEN/);
  });
});
