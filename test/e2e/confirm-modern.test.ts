/**
 * Human in the loop on protocol revision 2026-07-28, where the server cannot send the client a
 * request: send_message answers "input required" with the form and a sealed state, the client calls
 * again with the person's answer, and only then is anything sent. Over stateless HTTP (which could
 * never confirm on the 2025 protocol) and over stdio; the sandbox's request log proves what was sent.
 */
import {
  type CallToolResult,
  Client,
  type ElicitRequest,
  type ElicitResult,
  StreamableHTTPClientTransport,
  type Transport,
} from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SandboxHandle, type StoredChat, startSandbox } from "../../src/sandbox/index.js";
import { sendMessage } from "../../src/tools/send_message.js";
import { SERVER_PATH, spawnHttp } from "../helpers/spawn.js";
import { parsed } from "../helpers/typed-call.js";

const TOKEN = "test-token-0123456789abcdef";
type Form = { message: string; requestedSchema: { properties: { text: { default: string } } } };
const formOf = (params: ElicitRequest["params"]) => params as unknown as Form;

let sandbox: SandboxHandle;
let env: Record<string, string>;
let opened: StoredChat[];
let http: Awaited<ReturnType<typeof spawnHttp>>;
let answer: (params: ElicitRequest["params"]) => ElicitResult;
const asked: Array<ElicitRequest["params"]> = [];
const clients: Client[] = [];

async function connect(transport: Transport, forms = true): Promise<Client> {
  const client = new Client(
    { name: "confirm-modern-test", version: "1" },
    { capabilities: forms ? { elicitation: {} } : {}, versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  if (forms)
    client.setRequestHandler("elicitation/create", async (request) => {
      asked.push(request.params);
      return answer(request.params);
    });
  await client.connect(transport);
  clients.push(client);
  return client;
}

/** Rewrites the requestState a retried tools/call echoes, as a hostile or buggy client could. */
type Rewrite = (state: string) => string;

const overHttp = (forms = true, rewrite?: Rewrite) =>
  connect(
    new StreamableHTTPClientTransport(new URL(`${http.base}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      fetch: async (url, init) => {
        const body = typeof init?.body === "string" ? (JSON.parse(init.body) as { params?: { requestState?: unknown } }) : undefined;
        const state = body?.params?.requestState;
        if (rewrite && body?.params && typeof state === "string") {
          body.params.requestState = rewrite(state);
          return fetch(url, { ...init, body: JSON.stringify(body) });
        }
        return fetch(url, init);
      },
    }),
    forms,
  );
const overStdio = () =>
  connect(new StdioClientTransport({ command: process.execPath, args: [SERVER_PATH], env: { PATH: process.env.PATH ?? "", ...env } }));

const send = async (client: Client, chat: StoredChat, text: string) =>
  (await client.callTool({ name: "send_message", arguments: { chat_id: chat.id, text } })) as CallToolResult;
const textOf = (r: CallToolResult) => (r.content[0]?.type === "text" ? r.content[0].text : "");
const posts = () => sandbox.requests.filter((r) => r.method === "POST" && r.path === "/messages");
const puts = () => sandbox.requests.filter((r) => r.method === "PUT");

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 12 });
  opened = [...sandbox.state.chats.values()].filter((c) => c.status === "opened");
  env = {
    HELPCRUNCH_BASE_URL: sandbox.url,
    HELPCRUNCH_API_KEY: sandbox.apiKey,
    HELPCRUNCH_DEFAULT_AGENT: [...sandbox.state.agents.values()][0]?.email as string,
    HELPCRUNCH_CONFIRM_BULK: "5",
    HELPCRUNCH_LOG_LEVEL: "error",
  };
  http = await spawnHttp({ ...env, MCP_HTTP_TOKEN: TOKEN, HELPCRUNCH_LOG_LEVEL: "info" }, []);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  http?.stop();
  await sandbox?.stop();
});
beforeEach(() => {
  sandbox.clearRequests();
  asked.length = 0;
});

describe("a customer reply under confirm, on 2026-07-28", () => {
  it("over stateless HTTP: the person sees the form, edits the text, and exactly the edit is sent once", async () => {
    const chat = opened[0] as StoredChat;
    const client = await overHttp();
    const draft = "Thanks for waiting, we are on it.";
    answer = () => ({ action: "accept", content: { text: "Thanks for waiting, fixed now." } });
    const r = await send(client, chat, draft);
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(formOf(asked[0] as ElicitRequest["params"]).message).toContain(`Chat #${chat.id}`);
    expect(formOf(asked[0] as ElicitRequest["params"]).requestedSchema.properties.text.default).toBe(draft);
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.body).toMatchObject({ chat: chat.id, text: "Thanks for waiting, fixed now." });
    expect(parsed(sendMessage, r).edited).toBe(true);
  });

  it("over stateless HTTP: a decline sends nothing and says so", async () => {
    const client = await overHttp();
    answer = () => ({ action: "decline" });
    const r = await send(client, opened[1] as StoredChat, "Declined draft");
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/declined/);
    expect(asked).toHaveLength(1);
    expect(posts()).toHaveLength(0);
  });

  it("an answer that does not fit the form sends nothing", async () => {
    const client = await overHttp();
    answer = () => ({ action: "accept", content: { text: "x".repeat(20_000) } });
    const r = await send(client, opened[2] as StoredChat, "Too long after the edit");
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/did not fit the form/);
    expect(posts()).toHaveLength(0);
  });

  it("a client that cannot show a form is refused before anything is sent, and tools/list says so", async () => {
    const client = await overHttp(false);
    const r = await send(client, opened[3] as StoredChat, "No form here");
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/cannot show a confirmation form/);
    expect(posts()).toHaveLength(0);
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === "send_message")?.description).toMatch(/which this client cannot show/);
    const { tools: withForms } = await (await overHttp()).listTools();
    expect(withForms.find((t) => t.name === "send_message")?.description).toMatch(/sees each customer-visible message in a form/);
  });

  it("an approval sealed for one chat does not send to another", async () => {
    const [first, second] = [opened[5] as StoredChat, opened[6] as StoredChat];
    let sealedForFirst: string | undefined;
    const recorder = await overHttp(true, (state) => {
      sealedForFirst ??= state;
      return state;
    });
    answer = () => ({ action: "decline" });
    await send(recorder, first, "For the first chat");
    expect(sealedForFirst).toBeDefined();
    sandbox.clearRequests();
    asked.length = 0;
    const replayer = await overHttp(true, () => sealedForFirst as string);
    answer = () => ({ action: "accept", content: { text: "For the second chat" } });
    // The form is asked again (the answer is refused under another chat's state) until the client gives up.
    await expect(send(replayer, second, "For the second chat")).rejects.toThrow(/still required input/);
    expect(asked.length).toBeGreaterThan(1);
    expect(posts()).toHaveLength(0);
  });

  it("a tampered state is refused and nothing is sent", async () => {
    const client = await overHttp(true, (state) => `${state.slice(0, -4)}AAAA`);
    answer = () => ({ action: "accept", content: { text: "Tampered" } });
    await expect(send(client, opened[7] as StoredChat, "Tampered")).rejects.toThrow(/Invalid or expired requestState/);
    expect(posts()).toHaveLength(0);
  });

  it("over stdio: accepted as drafted, sent once", async () => {
    const chat = opened[4] as StoredChat;
    const client = await overStdio();
    answer = (params) => ({ action: "accept", content: { text: formOf(params).requestedSchema.properties.text.default } });
    const r = await send(client, chat, "Sent over stdio after approval.");
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.body).toMatchObject({ chat: chat.id, text: "Sent over stdio after approval." });
  });
});

describe("a large bulk change (HELPCRUNCH_CONFIRM_BULK=5), on 2026-07-28 over stateless HTTP", () => {
  const ids = () => opened.slice(10, 16).map((c) => c.id);

  it("asks once, listing the chats; a decline changes no chat", async () => {
    const client = await overHttp();
    answer = () => ({ action: "decline" });
    const r = (await client.callTool({ name: "set_chat_status", arguments: { chat_ids: ids(), status: "pending" } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(asked).toHaveLength(1);
    expect((asked[0] as { message: string }).message).toMatch(/^Set status to pending: 6 chats \(set_chat_status\)\?\n#\d+/);
    expect(puts()).toEqual([]);
  });

  it("an accepted one writes every chat once", async () => {
    const client = await overHttp();
    answer = () => ({ action: "accept", content: { confirm: true } });
    const r = (await client.callTool({ name: "set_chat_status", arguments: { chat_ids: ids(), status: "pending" } })) as CallToolResult;
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(puts()).toHaveLength(6);
  });
});
