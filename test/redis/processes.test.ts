/**
 * Shared state across real server processes: dist/server.js spawned over stdio,
 * several processes on one sandbox and one real redis-server (test/helpers/redis.ts).
 *
 * The rate-limit test runs HelpCrunch's rate on a window ten times shorter (12 per 6 s), so the
 * limiter's logic is proven in about 13 s instead of two minutes.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENTS, FIRST_CHAT_ID, type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";
import { UNCHECKED_REPLY } from "../../src/shared-state/shared-reply-guard.js";
import { maxInWindow, type RedisServer, redisMissing, startRedis } from "../helpers/redis.js";
import { connectStdio, spawnHttp } from "../helpers/spawn.js";

type Server = Awaited<ReturnType<typeof connectStdio>>;

const agent = AGENTS[0] as (typeof AGENTS)[number];
const text = (result: CallToolResult) => (result.content[0]?.type === "text" ? result.content[0].text : "");
const call = async (client: Client, name: string, args: Record<string, unknown>, timeout = 60_000) =>
  (await client.callTool({ name, arguments: args }, { timeout })) as CallToolResult;

function serverEnv(sandbox: SandboxHandle, redisUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    HELPCRUNCH_API_KEY: sandbox.apiKey,
    HELPCRUNCH_BASE_URL: sandbox.url,
    HELPCRUNCH_REDIS_URL: redisUrl,
    HELPCRUNCH_STATUS_FILTER: "name",
    ...extra,
  };
}

/** The replies and notes that reached HelpCrunch, whichever process sent them. */
const messagePosts = (api: SandboxHandle) => api.requests.filter((r) => r.method === "POST" && r.path === "/messages");

const warnings = (server: Server) =>
  server.stderr
    .join("")
    .split("\n")
    .filter((line) => line.includes("warn:"));

let redis: RedisServer;
const servers: Server[] = [];
const sandboxes: SandboxHandle[] = [];

beforeAll(async () => {
  if (redisMissing) return; // skipped loudly by the global setup
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.allSettled(servers.map((s) => s.close()));
  await Promise.allSettled(sandboxes.map((s) => s.stop()));
  await redis?.close();
});

async function sandbox(options: Parameters<typeof startSandbox>[0] = {}): Promise<SandboxHandle> {
  const started = await startSandbox({ apiKey: `redis-test-${Math.random().toString(36).slice(2)}`, ...options });
  sandboxes.push(started);
  return started;
}

async function server(env: Record<string, string>): Promise<Server> {
  const started = await connectStdio(env);
  servers.push(started);
  return started;
}

/** A `--http` replica, and an SDK client connected to it over Streamable HTTP. */
async function httpReplica(env: Record<string, string>): Promise<Client> {
  const replica = await spawnHttp(env, []);
  const client = new Client({ name: "redis-http-test", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${replica.base}/mcp`)));
  servers.push({
    client,
    stderr: [],
    close: async () => {
      await client.close();
      replica.stop();
    },
  });
  return client;
}

describe.skipIf(redisMissing)("one rate-limit budget for every process using the API key", () => {
  // The limiter's logic at HelpCrunch's rate (120 a minute), on a window ten times shorter so the run
  // takes seconds: 12 requests per 6 s window (HELPCRUNCH_RATE_LIMIT_WINDOW_SECONDS and the sandbox's).
  const PER_WINDOW = 12;
  const WINDOW_MS = 6_000;
  const CALLS = 30;

  it("three processes at 12 per 6 s send 30 calls together: no 429, at most 12 requests in any rolling window", async () => {
    const api = await sandbox({ rateLimitPerMinute: PER_WINDOW, rateLimitWindowMs: WINDOW_MS });
    // Calls wait for the window as long as it takes (the call deadline's maximum), instead of answering "try later".
    const env = serverEnv(api, redis.url, {
      HELPCRUNCH_CALL_TIMEOUT_MS: "600000",
      HELPCRUNCH_LOG_LEVEL: "warn",
      HELPCRUNCH_RATE_LIMIT_PER_MINUTE: String(PER_WINDOW),
      HELPCRUNCH_RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_MS / 1000),
    });
    const processes = await Promise.all([server(env), server(env), server(env)]);
    const calls = Array.from({ length: CALLS }, (_, i) =>
      call(processes[i % 3]?.client as Client, "get_chat", { chat_id: FIRST_CHAT_ID + i, messages: 0 }, 60_000),
    );
    const results = await Promise.all(calls);
    expect(results.filter((r) => r.isError).map(text)).toEqual([]);

    const requests = api.requests;
    const times = requests.map((r) => r.at);
    const tooMany = requests.filter((r) => r.status === 429).length;
    const maxPerWindow = maxInWindow(times, WINDOW_MS);
    const spanS = (Math.max(...times) - Math.min(...times)) / 1_000;
    console.log(
      `rate limit across 3 processes: ${requests.length} requests, ${tooMany} × 429, max ${maxPerWindow} in any ${WINDOW_MS / 1000} s, span ${spanS} s`,
    );
    expect(requests.filter((r) => /^\/chats\/\d+$/.test(r.path))).toHaveLength(CALLS);
    expect(tooMany).toBe(0);
    expect(maxPerWindow).toBeLessThanOrEqual(PER_WINDOW);
    // The budget was used, not avoided: 30 requests at 12 per window span two full windows.
    expect(spanS).toBeGreaterThanOrEqual((2 * WINDOW_MS) / 1000);
    for (const p of processes) expect(warnings(p)).toEqual([]);
  }, 60_000);
});

describe.skipIf(redisMissing)("the duplicate-reply guard and the name cache across processes", () => {
  it("a reply sent through process A and repeated through process B is refused; B read the agents A fetched", async () => {
    const api = await sandbox();
    const env = serverEnv(api, redis.url, { HELPCRUNCH_CUSTOMER_MESSAGES: "on", HELPCRUNCH_DEFAULT_AGENT: agent.email });
    const [a, b] = await Promise.all([server(env), server(env)]);
    const chatId = FIRST_CHAT_ID + 3;
    const reply = "Your refund was issued today; it takes 3-5 business days to arrive.";

    const sent = await call((a as Server).client, "send_message", { chat_id: chatId, text: reply });
    expect(sent.isError).toBeFalsy();
    expect(text(sent)).toContain(`Reply posted to #${chatId}`);
    const repeated = await call((b as Server).client, "send_message", { chat_id: chatId, text: reply });
    expect(repeated.isError).toBe(true);
    expect(text(repeated)).toMatch(/^The same text was sent to chat \d+ .* ago; not sending it twice\./);

    const posted = messagePosts(api);
    expect(posted).toHaveLength(1);
    // The default agent was resolved in both processes, from ONE list of agents: B read A's from Redis.
    expect(api.requests.filter((r) => r.method === "GET" && r.path === "/agents")).toHaveLength(1);
  });

  it("the same reply sent through A and B at the same moment reaches the customer once", async () => {
    const api = await sandbox();
    const env = serverEnv(api, redis.url, { HELPCRUNCH_CUSTOMER_MESSAGES: "on", HELPCRUNCH_DEFAULT_AGENT: String(agent.id) });
    const [a, b] = await Promise.all([server(env), server(env)]);
    const args = { chat_id: FIRST_CHAT_ID + 4, text: "We have shipped the replacement." };
    const results = await Promise.all([call((a as Server).client, "send_message", args), call((b as Server).client, "send_message", args)]);
    expect(results.filter((r) => !r.isError)).toHaveLength(1);
    expect(text(results.find((r) => r.isError) as CallToolResult)).toContain("not sending it twice");
    expect(messagePosts(api)).toHaveLength(1);
  });

  it("two --http replicas behind a load balancer: a retried reply that lands on the other replica is refused", async () => {
    const api = await sandbox();
    const env = serverEnv(api, redis.url, { HELPCRUNCH_CUSTOMER_MESSAGES: "on", HELPCRUNCH_DEFAULT_AGENT: String(agent.id) });
    const [a, b] = await Promise.all([httpReplica(env), httpReplica(env)]);
    const args = { chat_id: FIRST_CHAT_ID + 5, text: "Thanks for waiting, the fix is live." };
    expect((await call(a, "send_message", args)).isError).toBeFalsy();
    const retried = await call(b, "send_message", args);
    expect(retried.isError).toBe(true);
    expect(text(retried)).toContain("not sending it twice");
    expect(messagePosts(api)).toHaveLength(1);
  });
});

describe.skipIf(redisMissing)("Redis unavailable", () => {
  it("stopped mid-run: reads keep working, a customer-visible reply is refused with the sentence, notes still go; ONE warning; back once Redis is", async () => {
    const own = await startRedis(); // stopped below: the other tests keep theirs
    try {
      const api = await sandbox();
      const p = await server(serverEnv(api, own.url, { HELPCRUNCH_CUSTOMER_MESSAGES: "on", HELPCRUNCH_DEFAULT_AGENT: agent.email }));
      expect((await call(p.client, "get_chat", { chat_id: FIRST_CHAT_ID })).isError).toBeFalsy();
      expect((await call(p.client, "list_agents", {})).isError).toBeFalsy();

      await own.stop();
      const started = Date.now();
      const read = await call(p.client, "get_chat", { chat_id: FIRST_CHAT_ID + 1 });
      expect(read.isError).toBeFalsy();
      expect((await call(p.client, "search_chats", { status: ["new", "opened"], limit: 5 })).isError).toBeFalsy();
      const agents = await call(p.client, "list_agents", {});
      expect(agents.isError).toBeFalsy();
      expect(text(agents)).toContain(agent.name);
      const reply = await call(p.client, "send_message", { chat_id: FIRST_CHAT_ID + 1, text: "Is there anything else I can help with?" });
      expect(reply.isError).toBe(true);
      expect(text(reply)).toBe(UNCHECKED_REPLY);
      const note = await call(p.client, "send_message", { chat_id: FIRST_CHAT_ID + 1, text: "Customer asked twice.", private: true });
      expect(note.isError).toBeFalsy();
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(messagePosts(api).map((r) => (r.body as { type: string }).type)).toEqual(["private"]);
      expect(warnings(p)).toHaveLength(1);
      expect(warnings(p)[0]).toContain("Redis (HELPCRUNCH_REDIS_URL) is unavailable");

      await own.restart();
      let back: CallToolResult | undefined;
      for (let i = 0; i < 40; i++) {
        await new Promise((r) => setTimeout(r, 250));
        back = await call(p.client, "send_message", { chat_id: FIRST_CHAT_ID + 1, text: "Is there anything else I can help with?" });
        if (!back.isError) break;
        expect(text(back)).toBe(UNCHECKED_REPLY);
      }
      expect(back?.isError).toBeFalsy();
      expect(p.stderr.join("")).toContain("answers again");
      expect(warnings(p)).toHaveLength(1);
    } finally {
      await own.close();
    }
  }, 60_000);

  it("restarted empty between two identical replies from one process: the second is refused, the customer gets one", async () => {
    const own = await startRedis(); // restarted below: the other tests keep theirs
    try {
      const api = await sandbox();
      const p = await server(serverEnv(api, own.url, { HELPCRUNCH_CUSTOMER_MESSAGES: "on", HELPCRUNCH_DEFAULT_AGENT: String(agent.id) }));
      const args = { chat_id: FIRST_CHAT_ID + 6, text: "Your new password link is on its way." };
      expect((await call(p.client, "send_message", args)).isError).toBeFalsy();
      await own.stop();
      await own.restart(); // nothing saved: Redis forgot the reservation
      let repeated: CallToolResult | undefined;
      for (let i = 0; i < 40; i++) {
        repeated = await call(p.client, "send_message", args);
        if (text(repeated) !== UNCHECKED_REPLY) break; // still reconnecting
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(repeated?.isError).toBe(true);
      expect(text(repeated as CallToolResult)).toContain("not sending it twice");
      expect(messagePosts(api)).toHaveLength(1);
    } finally {
      await own.close();
    }
  }, 60_000);

  it("unreachable at start: the server starts, reads work, customer replies are refused, ONE warning", async () => {
    const api = await sandbox();
    const closed = await startRedis();
    await closed.close(); // a port where nothing listens any more
    const p = await server(serverEnv(api, closed.url, { HELPCRUNCH_CUSTOMER_MESSAGES: "on", HELPCRUNCH_DEFAULT_AGENT: String(agent.id) }));
    expect((await call(p.client, "get_chat", { chat_id: FIRST_CHAT_ID })).isError).toBeFalsy();
    expect((await call(p.client, "list_departments", {})).isError).toBeFalsy();
    const reply = await call(p.client, "send_message", { chat_id: FIRST_CHAT_ID, text: "Hello!" });
    expect(text(reply)).toBe(UNCHECKED_REPLY);
    expect(warnings(p)).toHaveLength(1);
    expect(api.requests.filter((r) => r.method === "POST")).toEqual([]);
  });
});
