/**
 * Approval across replicas (2026-07-28, stateless HTTP): two server processes behind one real Redis,
 * sharing MCP_STATE_SECRET. The round starts on replica A (the form and its sealed state), the
 * person's answer reaches replica B, and B sends exactly the approved text once; the same answer
 * replayed against A afterwards sends nothing (the duplicate guard lives in Redis). Without a shared
 * secret, B cannot read A's state and sends nothing: the README's consequence of an unset secret.
 */
import { type CallToolResult, Client, type ElicitResult, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SandboxHandle, type StoredChat, startSandbox } from "../../src/sandbox/index.js";
import { type RedisServer, redisMissing, startRedis } from "../helpers/redis.js";
import { spawnHttp } from "../helpers/spawn.js";

const TOKEN = "replica-token-0123456789abcdef";
const SECRET = "replica-secret-0123456789abcdef-0123456789";
type Replica = Awaited<ReturnType<typeof spawnHttp>>;

let redis: RedisServer;
let sandbox: SandboxHandle;
let opened: StoredChat[];
const replicas: Replica[] = [];
const clients: Client[] = [];

async function replica(extra: Record<string, string> = {}): Promise<Replica> {
  const started = await spawnHttp(
    {
      HELPCRUNCH_BASE_URL: sandbox.url,
      HELPCRUNCH_API_KEY: sandbox.apiKey,
      HELPCRUNCH_DEFAULT_AGENT: [...sandbox.state.agents.values()][0]?.email as string,
      HELPCRUNCH_REDIS_URL: redis.url,
      MCP_HTTP_TOKEN: TOKEN,
      ...extra,
    },
    [],
  );
  replicas.push(started);
  return started;
}

/** What the load balancer did with each request: the replica it went to, and the retries' raw requests. */
interface Routed {
  retries: Array<{ url: string; init: RequestInit }>;
}

/**
 * A 2026-07-28 client whose first tools/call goes to `first` and whose retry (the one carrying the
 * person's answer and the sealed state) goes to `second`, as a load balancer may route them.
 */
async function clientAcross(first: Replica, second: Replica, answer: () => ElicitResult, routed: Routed): Promise<Client> {
  const client = new Client(
    { name: "replica-test", version: "1" },
    { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  client.setRequestHandler("elicitation/create", async () => answer());
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${first.base}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      fetch: async (url, init) => {
        const body = typeof init?.body === "string" ? (JSON.parse(init.body) as { params?: { requestState?: unknown } }) : undefined;
        if (typeof body?.params?.requestState !== "string") return fetch(url, init);
        const target = `${second.base}/mcp`;
        routed.retries.push({ url: target, init: { ...init } as RequestInit });
        return fetch(target, init);
      },
    }),
  );
  clients.push(client);
  return client;
}

const textOf = (r: CallToolResult) => (r.content[0]?.type === "text" ? r.content[0].text : "");
const postsTo = (chat: StoredChat) =>
  sandbox.requests.filter((r) => r.method === "POST" && r.path === "/messages" && (r.body as { chat?: number })?.chat === chat.id);
const send = async (client: Client, chat: StoredChat, text: string) =>
  (await client.callTool({ name: "send_message", arguments: { chat_id: chat.id, text } })) as CallToolResult;

beforeAll(async () => {
  if (redisMissing) return; // skipped loudly by the global setup
  redis = await startRedis();
  sandbox = await startSandbox({ seed: 21 });
  opened = [...sandbox.state.chats.values()].filter((c) => c.status === "opened");
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  for (const r of replicas) r.stop();
  await sandbox?.stop();
  await redis?.close();
});
beforeEach(() => sandbox?.clearRequests());

describe.skipIf(Boolean(redisMissing))("a customer reply approved across two replicas behind one Redis", () => {
  it("a form started on replica A and answered against replica B sends the approved text once; a replay on A sends nothing", async () => {
    const [a, b] = [await replica({ MCP_STATE_SECRET: SECRET }), await replica({ MCP_STATE_SECRET: SECRET })];
    const chat = opened[0] as StoredChat;
    const routed: Routed = { retries: [] };
    let forms = 0;
    const client = await clientAcross(
      a,
      b,
      () => {
        forms++;
        return { action: "accept", content: { text: "Approved on one replica, sent by the other." } };
      },
      routed,
    );

    const r = await send(client, chat, "Drafted on replica A.");
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(forms).toBe(1);
    expect(routed.retries.map((x) => x.url)).toEqual([`${b.base}/mcp`]);
    expect(postsTo(chat).map((p) => (p.body as { text: string }).text)).toEqual(["Approved on one replica, sent by the other."]);

    // The very retry (the same sealed state, the same answer) replayed against replica A.
    const retry = routed.retries[0] as Routed["retries"][number];
    const replayed = await fetch(`${a.base}/mcp`, retry.init);
    const reply = (await replayed.text()).trim();
    const payload = JSON.parse(reply.startsWith("{") ? reply : (reply.split("\n").find((l) => l.startsWith("data:")) ?? "").slice(5)) as {
      result?: CallToolResult;
    };
    expect(payload.result?.isError).toBe(true);
    expect(textOf(payload.result as CallToolResult)).toMatch(/not sending it twice/);
    expect(postsTo(chat)).toHaveLength(1);
  });

  it("without a shared MCP_STATE_SECRET, replica B cannot read A's state and sends nothing", async () => {
    const [a, b] = [await replica(), await replica()];
    const chat = opened[1] as StoredChat;
    const client = await clientAcross(a, b, () => ({ action: "accept", content: { text: "Never sent." } }), { retries: [] });
    await expect(send(client, chat, "Drafted on replica A.")).rejects.toThrow(/Invalid or expired requestState/);
    expect(postsTo(chat)).toHaveLength(0);
  });
});
