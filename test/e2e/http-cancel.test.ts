/**
 * Cancellation over stateless HTTP for 2025-era clients: notifications/cancelled arrives in a POST of
 * its own, and stops the call it names when exactly one such call (same sender, same id) is in flight
 * in this process; when two clients sharing the token have the same id in flight, it stops neither.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";
import { postLegacy, spawnHttp } from "../helpers/spawn.js";

const TOKEN = "cancel-token-0123456789abcdef";
const HELD_MS = 400;
let sandbox: SandboxHandle;
let server: Awaited<ReturnType<typeof spawnHttp>>;
let opened: number[];

const post = (body: unknown) => postLegacy(server.base, TOKEN, body);

/** An assign_chat of five chats, each write held HELD_MS by the sandbox; resolves to the whole SSE answer. */
const assign = (id: number, chats: number[]) =>
  post({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "assign_chat", arguments: { chat_ids: chats, agent: "none" }, _meta: { progressToken: `p${id}` } },
  }).then((res) => res.text());
const cancel = (id: number) => post({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason: "test" } });
const assignments = (chats: number[]) =>
  sandbox.requests.filter(
    (r) => r.method === "PUT" && r.path === "/chats/assignee" && chats.includes((r.body as { id?: number })?.id ?? -1),
  ).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 31 });
  opened = [...sandbox.state.chats.values()].filter((c) => c.status === "opened").map((c) => c.id);
  sandbox.addFault({ method: "PUT", path: "/chats/assignee", times: Number.POSITIVE_INFINITY, fault: { type: "delay", ms: HELD_MS } });
  server = await spawnHttp({ HELPCRUNCH_BASE_URL: sandbox.url, HELPCRUNCH_API_KEY: sandbox.apiKey, MCP_HTTP_TOKEN: TOKEN }, []);
});
afterAll(async () => {
  server?.stop();
  await sandbox?.stop();
});

describe("notifications/cancelled over stateless HTTP (2025-11-25)", () => {
  it("stops the one call in flight with that id: its stream ends without a result and the remaining writes are not made", async () => {
    const chats = opened.slice(0, 5);
    const answer = assign(41, chats);
    await sleep(HELD_MS / 2);
    expect((await cancel(41)).status).toBe(202);
    const text = await answer;
    expect(text).not.toContain('"result"');
    await sleep(HELD_MS * 3);
    expect(assignments(chats)).toBeLessThan(chats.length);
  });

  it("stops neither of two calls with the same id (two clients sharing the token): both run to their answer", async () => {
    const [first, second] = [opened.slice(5, 10), opened.slice(10, 15)];
    const answers = [assign(42, first), assign(42, second)];
    await sleep(HELD_MS / 2);
    expect((await cancel(42)).status).toBe(202);
    for (const text of await Promise.all(answers)) expect(text).toContain('"succeeded":5');
    expect(assignments([...first, ...second])).toBe(10);
  });
});
