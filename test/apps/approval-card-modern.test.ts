/**
 * The approval card on protocol 2026-07-28, over stdio against the built server: the client sends
 * its capabilities (the MCP Apps extension, no forms) with every request, and the card path follows
 * them as on the 2025 protocols.
 */
import type { CallToolResult, Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";
import { APPROVAL_META_KEY, APPS } from "../helpers/apps-host.js";
import { connectStdio } from "../helpers/spawn.js";

let sandbox: SandboxHandle;
let client: Client;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 5 });
  const agent = [...sandbox.state.agents.values()][0];
  const connected = await connectStdio(
    { HELPCRUNCH_BASE_URL: sandbox.url, HELPCRUNCH_API_KEY: sandbox.apiKey, HELPCRUNCH_DEFAULT_AGENT: String(agent?.id) },
    [],
    { capabilities: APPS, versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  client = connected.client;
});
afterAll(async () => {
  await client?.close();
  await sandbox?.stop();
});

it("a 2026-07-28 client with MCP Apps gets the card, and Send posts the approved text once", async () => {
  expect(client.getProtocolEra()).toBe("modern");
  const { tools } = await client.listTools();
  expect(tools.find((t) => t.name === "send_approved_reply")?._meta).toEqual({ ui: { visibility: ["app"] } });
  const chat = [...sandbox.state.chats.values()].find((c) => c.status === "opened");
  const drafted = (await client.callTool({ name: "send_message", arguments: { chat_id: chat?.id, text: "On its way" } })) as CallToolResult;
  expect(drafted.isError).toBeFalsy();
  const { token } = drafted._meta?.[APPROVAL_META_KEY] as { token: string };
  const sent = (await client.callTool({ name: "send_approved_reply", arguments: { token, text: "On its way!" } })) as CallToolResult;
  expect(sent.isError).toBeFalsy();
  const posts = sandbox.requests.filter((r) => r.method === "POST" && r.path === "/messages");
  expect(posts.map((r) => (r.body as { text: string }).text)).toEqual(["On its way!"]);
});
