/**
 * The approval card over stateless `--http` for 2025 clients (claude.ai and ChatGPT connect to remote
 * servers this way): the answer to initialize names the MCP Apps extension in the session id the
 * client echoes, so every later request, on a fresh server, knows the client shows views. Without the
 * extension, or without the echoed id, the client sees what it saw before: no views, the refusal.
 */
import { type CallToolResult, Client, type ClientCapabilities, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, type StoredChat, startSandbox } from "../../src/sandbox/index.js";
import { APPROVAL_META_KEY, APPS } from "../helpers/apps-host.js";
import { postLegacy, spawnHttp } from "../helpers/spawn.js";

const TOKEN = "apps-http-token-0123456789abcdef";
let sandbox: SandboxHandle;
let http: Awaited<ReturnType<typeof spawnHttp>>;
let opened: StoredChat[];
const clients: Client[] = [];

async function connect(capabilities: ClientCapabilities): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: "apps-http", version: "1" }, { capabilities });
  const transport = new StreamableHTTPClientTransport(new URL(`${http.base}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

const textOf = (r: CallToolResult) => (r.content[0]?.type === "text" ? r.content[0].text : "");
const posts = (chat: StoredChat) =>
  sandbox.requests.filter((r) => r.method === "POST" && r.path === "/messages" && (r.body as { chat?: number })?.chat === chat.id);

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 8 });
  opened = [...sandbox.state.chats.values()].filter((c) => c.status === "opened");
  http = await spawnHttp(
    {
      HELPCRUNCH_BASE_URL: sandbox.url,
      HELPCRUNCH_API_KEY: sandbox.apiKey,
      HELPCRUNCH_DEFAULT_AGENT: [...sandbox.state.agents.values()][0]?.email as string,
      MCP_HTTP_TOKEN: TOKEN,
    },
    [],
  );
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  http?.stop();
  await sandbox?.stop();
});

describe("the approval card over stateless HTTP, 2025-11-25", () => {
  it("a client with MCP Apps gets the views and the card; Send posts the approved text once", async () => {
    const { client, transport } = await connect(APPS);
    expect(transport.sessionId).toMatch(/^hc1\.ui\.[0-9a-f]{32}$/);
    const { tools } = await client.listTools();
    expect(tools.find((t) => t.name === "triage_queue")?._meta?.ui).toEqual({ resourceUri: "ui://helpcrunch/queue" });
    expect(tools.map((t) => t.name)).toContain("send_approved_reply");

    const chat = opened[0] as StoredChat;
    const drafted = (await client.callTool({
      name: "send_message",
      arguments: { chat_id: chat.id, text: "Drafted over HTTP." },
    })) as CallToolResult;
    expect(drafted.isError, textOf(drafted)).toBeFalsy();
    expect(textOf(drafted)).toMatch(/Nothing was sent yet.*approval card/);
    expect(posts(chat)).toHaveLength(0);
    const { token } = drafted._meta?.[APPROVAL_META_KEY] as { token: string };
    const sent = (await client.callTool({
      name: "send_approved_reply",
      arguments: { token, text: "Approved in the card." },
    })) as CallToolResult;
    expect(sent.isError, textOf(sent)).toBeFalsy();
    expect(posts(chat).map((p) => (p.body as { text: string }).text)).toEqual(["Approved in the card."]);
  });

  it("a client without MCP Apps sees no views and gets the refusal, as before", async () => {
    const { client, transport } = await connect({});
    expect(transport.sessionId).toMatch(/^hc1\.plain\./);
    const { tools } = await client.listTools();
    expect(tools.some((t) => t._meta !== undefined)).toBe(false);
    expect(tools.map((t) => t.name)).not.toContain("send_approved_reply");
    const chat = opened[1] as StoredChat;
    const r = (await client.callTool({ name: "send_message", arguments: { chat_id: chat.id, text: "No card here." } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/cannot show a confirmation form/);
    expect(posts(chat)).toHaveLength(0);
  });

  it("a request without our session id (or with one we did not make) is served as for a client without views", async () => {
    const list = async (sessionId?: string) => {
      const res = await postLegacy(
        http.base,
        TOKEN,
        { jsonrpc: "2.0", id: 1, method: "tools/list" },
        sessionId ? { "mcp-session-id": sessionId } : {},
      );
      return ((await res.json()) as { result: { tools: Array<{ name: string }> } }).result.tools.map((t) => t.name);
    };
    expect(await list()).not.toContain("send_approved_reply");
    expect(await list("hc1.ui.not-ours")).not.toContain("send_approved_reply");
    expect(await list(`hc1.ui.${"0".repeat(32)}`)).toContain("send_approved_reply");
  });

  it("a repeated tools/list (answered from the kept bytes) is the first answer with the new id, per kind of client", async () => {
    const ui = { "mcp-session-id": `hc1.ui.${"1".repeat(32)}` };
    const plain = { "mcp-session-id": `hc1.plain.${"2".repeat(32)}` };
    const body = async (id: number | string, headers: Record<string, string>) => {
      const res = await postLegacy(http.base, TOKEN, { jsonrpc: "2.0", id, method: "tools/list" }, headers);
      expect(res.status).toBe(200);
      return res.text();
    };
    const [firstUi, firstPlain] = [await body(1, ui), await body(1, plain)];
    expect(firstUi).not.toBe(firstPlain);
    for (const [id, headers, first] of [
      [7, ui, firstUi],
      ['x"y', plain, firstPlain],
      [8, plain, firstPlain],
      [9, ui, firstUi],
    ] as const) {
      const again = await body(id, headers);
      expect(again).toBe(first.replace(/"id":1}$/, `"id":${JSON.stringify(id)}}`));
    }
  });
});
