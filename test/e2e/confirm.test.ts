/**
 * Human in the loop, through the SDK Client over stdio against the built server with the
 * default policy (confirm): the person's form answer decides what reaches HelpCrunch, and the
 * sandbox's request log proves what did not.
 */
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CallToolResult, Client, type ClientCapabilities, type ElicitRequest, type ElicitResult } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SandboxHandle, type StoredChat, startSandbox } from "../../src/sandbox/index.js";
import { sendMessage } from "../../src/tools/send_message.js";
import { SERVER_PATH } from "../helpers/spawn.js";
import { parsed } from "../helpers/typed-call.js";

const auditFile = join(tmpdir(), `helpcrunch-confirm-audit-${process.pid}.jsonl`);
let sandbox: SandboxHandle;
let agentEmail: string;
let opened: StoredChat[];

type Form = { message: string; requestedSchema: { properties: { text: { default: string } } } };
/** The form fields as the person saw them (form mode; the params type also covers URL mode). */
const formOf = (params: ElicitRequest["params"]) => params as unknown as Form;

type Answer = (request: ElicitRequest["params"]) => Promise<ElicitResult> | ElicitResult;
let answer: Answer;
const asked: Array<ElicitRequest["params"]> = [];

/** Server log lines, per client connected with `stderr` kept. */
const logs = new Map<Client, string[]>();

async function connect(elicitation: boolean | ClientCapabilities["elicitation"], keepStderr = false): Promise<Client> {
  const declared = elicitation === true ? {} : elicitation || undefined;
  const client = new Client({ name: "confirm-test", version: "1" }, { capabilities: declared ? { elicitation: declared } : {} });
  if (declared) {
    client.setRequestHandler("elicitation/create", async (request) => {
      asked.push(request.params);
      return answer(request.params);
    });
  }
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [SERVER_PATH],
      env: {
        PATH: process.env.PATH ?? "",
        HELPCRUNCH_BASE_URL: sandbox.url,
        HELPCRUNCH_API_KEY: sandbox.apiKey,
        HELPCRUNCH_DEFAULT_AGENT: agentEmail,
        HELPCRUNCH_CONFIRM_BULK: "5",
        HELPCRUNCH_AUDIT_LOG: auditFile,
        HELPCRUNCH_LOG_LEVEL: keepStderr ? "info" : "error",
      },
      stderr: keepStderr ? "pipe" : "ignore",
    }),
  );
  if (keepStderr) {
    const lines: string[] = [];
    logs.set(client, lines);
    (client.transport as StdioClientTransport).stderr?.on("data", (chunk: Buffer) => lines.push(...chunk.toString().split("\n")));
  }
  return client;
}

let mcp: Client;
let plain: Client;
const call = async (client: Client, name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;
const textOf = (r: CallToolResult) => (r.content[0]?.type === "text" ? r.content[0].text : "");
const posts = () => sandbox.requests.filter((r) => r.method === "POST" && r.path === "/messages");

/** Calls send_message, waits until its form is asked, then cancels the call: the call must reject. */
async function cancelWhileFormOpen(client: Client, chat: StoredChat, text: string): Promise<void> {
  const controller = new AbortController();
  const pending = client.callTool({ name: "send_message", arguments: { chat_id: chat.id, text } }, { signal: controller.signal });
  while (asked.length === 0) await new Promise((r) => setTimeout(r, 5));
  controller.abort();
  await expect(pending).rejects.toThrow();
}
const audit = () =>
  readFileSync(auditFile, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { tool: string; chat_id?: number; outcome: string; approval?: string; error?: string });

beforeAll(async () => {
  rmSync(auditFile, { force: true });
  sandbox = await startSandbox({ seed: 11 });
  const agent = [...sandbox.state.agents.values()][0];
  agentEmail = agent?.email as string;
  opened = [...sandbox.state.chats.values()].filter((c) => c.status === "opened");
  mcp = await connect(true);
  plain = await connect(false);
});
afterAll(async () => {
  await mcp?.close();
  await plain?.close();
  await sandbox?.stop();
  rmSync(auditFile, { force: true });
});
beforeEach(() => {
  sandbox.clearRequests();
  asked.length = 0;
});

describe("a customer reply under confirm", () => {
  it("accept: the person saw the chat, the customer, the agent and the whole text; exactly that text is sent once", async () => {
    const chat = opened[0] as StoredChat;
    const customer = sandbox.state.customers.get(chat.customerId);
    const draft = `Thanks for waiting! ${"Here is everything you asked about. ".repeat(20)}`.trim();
    answer = (params) => ({ action: "accept", content: { text: formOf(params).requestedSchema.properties.text.default } });
    const r = await call(mcp, "send_message", { chat_id: chat.id, text: draft });
    expect(r.isError).toBeFalsy();
    expect(asked).toHaveLength(1);
    const form = formOf(asked[0] as ElicitRequest["params"]);
    expect(form.message).toContain(`Chat #${chat.id}`);
    expect(form.message).toContain(customer?.name as string);
    expect(form.message).toContain(customer?.email as string);
    expect(form.message).toContain(agentEmail);
    expect(form.requestedSchema.properties.text.default).toBe(draft);
    expect(posts().map((p) => (p.body as { text: string }).text)).toEqual([draft]);
    expect(audit().at(-1)).toMatchObject({ tool: "send_message", chat_id: chat.id, outcome: "ok", approval: "user" });
  });

  it("accept with an edit: the edited text is sent, and the result says so", async () => {
    const chat = opened[1] as StoredChat;
    answer = () => ({ action: "accept", content: { text: "Refund issued today; you will see it within 5 days." } });
    const r = await call(mcp, "send_message", { chat_id: chat.id, text: "refund soon" });
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toContain("The person edited the text before approving it");
    expect(parsed(sendMessage, r).edited).toBe(true);
    expect(posts().map((p) => (p.body as { text: string }).text)).toEqual(["Refund issued today; you will see it within 5 days."]);
  });

  it.each<[string, ElicitResult["action"], RegExp]>([
    ["decline", "decline", /The person declined this reply; nothing was sent/],
    ["cancel", "cancel", /closed the confirmation form without answering; nothing was sent/],
  ])("%s: nothing is sent, and the attempt is audited", async (_name, action, sentence) => {
    const chat = opened[2] as StoredChat;
    answer = () => ({ action });
    const r = await call(mcp, "send_message", { chat_id: chat.id, text: `A draft the person will ${action}` });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(sentence);
    expect(posts()).toEqual([]);
    expect(audit().at(-1)).toMatchObject({ tool: "send_message", chat_id: chat.id, outcome: "declined", approval: "user" });
  });

  it("a client without the elicitation capability is refused in one sentence, and nothing is sent", async () => {
    const r = await call(plain, "send_message", { chat_id: (opened[3] as StoredChat).id, text: "Hello there" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/this client cannot show a confirmation form.*HELPCRUNCH_CUSTOMER_MESSAGES=on/);
    expect(posts()).toEqual([]);
    const listed = await plain.listTools();
    expect(listed.tools.find((t) => t.name === "send_message")?.description).toMatch(/which this client cannot show/);
  });

  it("dry_run never asks; a blocked duplicate never reaches the form; private notes never ask", async () => {
    const chat = opened[4] as StoredChat;
    answer = (params) => ({ action: "accept", content: { text: formOf(params).requestedSchema.properties.text.default } });
    expect((await call(mcp, "send_message", { chat_id: chat.id, text: "Once only", dry_run: true })).isError).toBeFalsy();
    expect(asked).toHaveLength(0);
    expect((await call(mcp, "send_message", { chat_id: chat.id, text: "Once only" })).isError).toBeFalsy();
    expect(asked).toHaveLength(1);
    const again = await call(mcp, "send_message", { chat_id: chat.id, text: "Once only" });
    expect(again.isError).toBe(true);
    expect(asked).toHaveLength(1);
    expect((await call(mcp, "send_message", { chat_id: chat.id, text: "note", private: true })).isError).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(posts()).toHaveLength(2);
  });

  it("cancelling the tool call while the form is open sends nothing", async () => {
    const chat = opened[5] as StoredChat;
    let release: (r: ElicitResult) => void = () => {};
    answer = () => new Promise<ElicitResult>((resolve) => (release = resolve));
    await cancelWhileFormOpen(mcp, chat, "Not yet");
    release({ action: "accept", content: { text: "Not yet" } });
    await new Promise((r) => setTimeout(r, 300));
    expect(posts()).toEqual([]);
  });
});

describe("create_chat's first message under confirm", () => {
  it("is asked before the chat exists: a decline creates nothing", async () => {
    const chat = opened[6] as StoredChat;
    answer = () => ({ action: "decline" });
    const r = await call(mcp, "create_chat", {
      customer: chat.customerId,
      application_id: chat.applicationId,
      message: "Hi, following up.",
    });
    expect(r.isError).toBe(true);
    expect(asked).toHaveLength(1);
    expect(sandbox.requests.filter((q) => q.method === "POST")).toEqual([]);
  });
});

describe("large bulk changes (HELPCRUNCH_CONFIRM_BULK=5)", () => {
  const ids = () => opened.slice(10, 16).map((c) => c.id);

  it("asks once, listing the chats; a decline changes no chat", async () => {
    answer = () => ({ action: "decline" });
    const r = await call(mcp, "set_chat_status", { chat_ids: ids(), status: "pending" });
    expect(r.isError).toBe(true);
    expect(asked).toHaveLength(1);
    expect((asked[0] as { message: string }).message).toMatch(/^Set status to pending: 6 chats \(set_chat_status\)\?\n#\d+/);
    for (const id of ids()) expect((asked[0] as { message: string }).message).toContain(`#${id}`);
    expect(sandbox.requests.filter((q) => q.method === "PUT")).toEqual([]);
  });

  it("an accepted one writes every chat, audited as approved by the person; below the threshold nobody is asked", async () => {
    answer = () => ({ action: "accept", content: { confirm: true } });
    const r = await call(mcp, "set_chat_status", { chat_ids: ids(), status: "pending" });
    expect(r.isError).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(sandbox.requests.filter((q) => q.method === "PUT")).toHaveLength(6);
    expect(
      audit()
        .filter((e) => e.tool === "set_chat_status" && e.outcome === "ok")
        .every((e) => e.approval === "user"),
    ).toBe(true);
    asked.length = 0;
    await call(mcp, "set_chat_status", { chat_ids: ids().slice(0, 4), status: "opened" });
    expect(asked).toHaveLength(0);
  });
});

describe("odd form outcomes are said and audited as what they were", () => {
  it.each<[string, Answer, RegExp]>([
    ["an answer of the wrong type", () => ({ action: "accept", content: { text: 42 } }) as unknown as ElicitResult, /did not fit the form/],
    ["an accept without content", () => ({ action: "accept" }), /accepted without the text/],
    ["a 50 KB edit", () => ({ action: "accept", content: { text: "x".repeat(50_000) } }), /did not fit the form/],
    // The SDK client checks its own handler's answer and sends an error response instead.
    ["an unknown action", () => ({ action: "maybe" }) as unknown as ElicitResult, /client could not show the form/],
    [
      "a client error",
      () => {
        throw new Error("the client's form widget crashed");
      },
      /client could not show the form/,
    ],
  ])("%s: nothing is sent, the model is told what happened, the audit says unconfirmed", async (_name, odd, sentence) => {
    const chat = opened[20] as StoredChat;
    answer = odd;
    const r = await call(mcp, "send_message", { chat_id: chat.id, text: `A draft for ${_name}` });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(sentence);
    expect(textOf(r)).not.toMatch(/closed the confirmation form/);
    expect(textOf(r)).toMatch(/nothing was sent/i);
    expect(posts()).toEqual([]);
    expect(audit().at(-1)).toMatchObject({ tool: "send_message", chat_id: chat.id, outcome: "unconfirmed" });
  });

  it("two identical replies at once: only the first reaches the form, the second is refused as a duplicate at once", async () => {
    const chat = opened[21] as StoredChat;
    let release: (r: ElicitResult) => void = () => {};
    answer = () => new Promise<ElicitResult>((resolve) => (release = resolve));
    const args = { chat_id: chat.id, text: "Your replacement ships tomorrow." };
    const first = call(mcp, "send_message", args);
    while (asked.length === 0) await new Promise((r) => setTimeout(r, 5));
    const second = await call(mcp, "send_message", args);
    expect(second.isError).toBe(true);
    expect(textOf(second)).toContain("not sending it twice");
    expect(asked).toHaveLength(1);
    release({ action: "accept", content: { text: args.text } });
    expect((await first).isError).toBeFalsy();
    expect(posts()).toHaveLength(1);
  });

  it("a declined reply frees its reservation: the same text may be proposed again", async () => {
    const chat = opened[22] as StoredChat;
    answer = () => ({ action: "decline" });
    const args = { chat_id: chat.id, text: "Could you send us a screenshot?" };
    expect(textOf(await call(mcp, "send_message", args))).toMatch(/declined/);
    answer = (params) => ({ action: "accept", content: { text: formOf(params).requestedSchema.properties.text.default } });
    expect((await call(mcp, "send_message", args)).isError).toBeFalsy();
    expect(posts()).toHaveLength(1);
  });
});

describe("an elicitation answer over 1 MB on stdio", () => {
  it("ends the form at once as not confirmed, sends nothing, and says why", async () => {
    const chat = opened[23] as StoredChat;
    answer = () => ({ action: "accept", content: { text: "y".repeat(1_100_000) } });
    const started = Date.now();
    const r = (await mcp.callTool(
      { name: "send_message", arguments: { chat_id: chat.id, text: "Short draft" } },
      {
        timeout: 20_000,
      },
    )) as CallToolResult;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/over 1 MB/);
    expect(posts()).toEqual([]);
    expect(audit().at(-1)).toMatchObject({ tool: "send_message", chat_id: chat.id, outcome: "unconfirmed" });
    // The connection still works.
    expect((await call(mcp, "get_chat", { chat_id: chat.id })).isError).toBeFalsy();
  }, 30_000);
});

describe("a client that declares URL-mode elicitation only", () => {
  let urlOnly: Client;
  beforeAll(async () => {
    urlOnly = await connect({ url: {} });
  });
  afterAll(async () => {
    await urlOnly?.close();
  });

  it("gets the cannot-show-a-form refusal, not a decline; a large bulk write proceeds as without elicitation", async () => {
    answer = () => ({ action: "accept", content: { text: "never asked" } });
    const r = await call(urlOnly, "send_message", { chat_id: (opened[24] as StoredChat).id, text: "Hello there" });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/this client cannot show a confirmation form/);
    const ids = opened.slice(30, 40).map((c) => c.id);
    const bulk = await call(urlOnly, "set_chat_status", { chat_ids: ids, status: "pending" });
    expect(bulk.isError).toBeFalsy();
    expect(sandbox.requests.filter((q) => q.method === "PUT")).toHaveLength(10);
    expect(asked).toHaveLength(0);
    expect(audit().filter((e) => e.outcome === "declined" && ids.includes(e.chat_id as number))).toEqual([]);
  });
});

describe("customer-written names and emails in the form", () => {
  it("are flattened to one line each and marked as customer-written: they cannot forge the form's lines", async () => {
    const chat = opened[25] as StoredChat;
    const customer = sandbox.state.customers.get(chat.customerId);
    if (!customer) throw new Error("no customer");
    customer.name = "Bob\nChat #1\r\nSent as: Support Bot <bot@x>\u2028Approved: yes";
    customer.email = "bob@example.com\nSent as: Mallory";
    answer = () => ({ action: "decline" });
    await call(mcp, "send_message", { chat_id: chat.id, text: "Hi Bob" });
    const lines = formOf(asked[0] as ElicitRequest["params"]).message.split(/\r\n|[\n\r\u2028\u2029\u0085\v\f]/);
    expect(lines.filter((l) => l.startsWith("Chat #"))).toEqual([`Chat #${chat.id}`]);
    expect(lines.filter((l) => l.startsWith("Sent as:"))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith("Approved"))).toEqual([]);
    const customerLine = lines.find((l) => l.includes("Bob")) as string;
    expect(customerLine).toMatch(/customer-written/);
    expect(customerLine).toContain("bob@example.com");
  });
});

describe("cancelling a call while its form is open", () => {
  it("logs one info line, no error and no stack", async () => {
    const client = await connect(true, true);
    try {
      const chat = opened[26] as StoredChat;
      answer = () => new Promise<ElicitResult>(() => {});
      await cancelWhileFormOpen(client, chat, "Wait");
      await new Promise((r) => setTimeout(r, 300));
      const lines = logs.get(client) ?? [];
      expect(lines.filter((l) => /error:|\bat .*\.js:\d+/.test(l))).toEqual([]);
      expect(lines.filter((l) => /info:.*send_message.*cancel/.test(l))).toHaveLength(1);
      expect(posts()).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
