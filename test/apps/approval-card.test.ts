/**
 * The approval card's server side, through an MCP client that declares the MCP Apps extension (and
 * no forms): a customer reply becomes a draft under a one-time token in the result's `_meta`, and
 * only send_approved_reply with that token posts, once, exactly the text given. A client without the
 * extension sees the tools and the refusal it saw before.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.js";
import { sendApprovedReply } from "../../src/tools/send_approved_reply.js";
import { sendMessage } from "../../src/tools/send_message.js";
import { APPROVAL_META_KEY as APPROVAL, APPS } from "../helpers/apps-host.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { newChatWithMessage, replyTargets } from "../helpers/reply-targets.js";
import { parsed } from "../helpers/typed-call.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

let clock = Date.now();
async function setup(options: { apps?: boolean; config?: Partial<Config> } = {}) {
  clock = Date.now();
  h = await startHarness({
    sandbox: { seed: 3 },
    config: { customerMessages: "confirm", ...options.config },
    capabilities: options.apps === false ? {} : APPS,
    now: () => clock,
  });
  return { h, ...(await replyTargets(h)) };
}

const tokenOf = (r: CallToolResult) => (r._meta?.[APPROVAL] as { token: string; text: string }).token;
const posts = (h: Harness) => h.sandbox.requests.filter((q) => q.method === "POST" && (q.path === "/messages" || q.path === "/chats"));

describe("the approval card path", () => {
  it("send_message returns a draft for the card and sends nothing; the token is in _meta only", async () => {
    const { h, agent, chat } = await setup();
    const r = await h.call("send_message", { chat_id: chat.id, text: "Your refund is on its way.", agent: agent.id });
    expect(r.isError).toBeFalsy();
    expect(h.text(r)).toMatch(/Nothing was sent yet.*approval card/);
    const token = tokenOf(r);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(r.content)).not.toContain(token);
    expect(JSON.stringify(r.structuredContent)).not.toContain(token);
    const draft = parsed(sendMessage, r).draft;
    expect(draft).toMatchObject({ chat_id: chat.id, text: "Your refund is on its way.", agent: { id: agent.id } });
    expect(h.writes()).toHaveLength(0);
  });

  it("under HELPCRUNCH_REDACT=all the card's customer is the model's pseudonym (it reads structuredContent); _meta carries only token and text", async () => {
    const { h, agent, chat } = await setup({ config: { redact: "all" } });
    const r = await h.call("send_message", { chat_id: chat.id, text: "Hello", agent: agent.id });
    const customer = parsed(sendMessage, r).draft?.customer;
    expect(customer?.id).toBe(chat.customer?.id);
    expect(chat.customer?.name && chat.customer.email).toBeTruthy();
    expect(customer?.name).toBe(`customer ${chat.customer?.id}`);
    expect(customer?.email).toMatch(/^email#[0-9a-f]+$/);
    expect(Object.keys(r._meta?.[APPROVAL] as object).sort()).toEqual(["text", "token"]);
  });

  it("Send posts exactly the edited text once; a second Send, a forged and a malformed token post nothing", async () => {
    const { h, agent, chat } = await setup();
    const token = tokenOf(await h.call("send_message", { chat_id: chat.id, text: "Draft text", agent: agent.id }));
    const sent = await h.call("send_approved_reply", { token, text: "Edited by the person" });
    expect(sent.isError).toBeFalsy();
    expect(parsed(sendApprovedReply, sent)).toMatchObject({ chat_id: chat.id, edited: true });
    expect(posts(h).map((q) => q.body)).toEqual([{ chat: chat.id, text: "Edited by the person", agent: agent.id, type: "message" }]);
    const again = await h.call("send_approved_reply", { token, text: "Edited by the person" });
    expect(again.isError).toBe(true);
    expect(h.text(again)).toMatch(/^Nothing was sent: this draft was already sent or discarded/);
    const forged = await h.call("send_approved_reply", { token: "A".repeat(43), text: "x" });
    expect(forged.isError).toBe(true);
    const malformed = await h.call("send_approved_reply", { token: "not-a-token", text: "x" });
    expect(malformed.isError).toBe(true);
    expect(posts(h)).toHaveLength(1);
    const audit = h.logs.filter((l) => l.includes("audit ") && l.includes('"via":"app"'));
    expect(audit.some((l) => l.includes('"outcome":"ok"') && l.includes('"approval":"user"'))).toBe(true);
  });

  it("Send posts the field's text exactly, its spaces and line breaks included; a blank one sends nothing", async () => {
    const { h, agent, chat } = await setup();
    const token = tokenOf(await h.call("send_message", { chat_id: chat.id, text: "Draft", agent: agent.id }));
    const blank = await h.call("send_approved_reply", { token, text: " \n " });
    expect(blank.isError).toBe(true);
    const field = "  Dear Ana,\n\n  – the list:\n  1. refund\n\n";
    const sent = await h.call("send_approved_reply", { token, text: field });
    expect(sent.isError, h.text(sent)).toBeFalsy();
    expect(posts(h).map((q) => (q.body as { text: string }).text)).toEqual([field]);
  });

  it("Discard and an expired draft send nothing and are audited", async () => {
    const { h, agent, chat } = await setup();
    const discarded = tokenOf(await h.call("send_message", { chat_id: chat.id, text: "Not this one", agent: agent.id }));
    expect((await h.call("discard_reply", { token: discarded })).isError).toBeFalsy();
    expect((await h.call("send_approved_reply", { token: discarded, text: "Not this one" })).isError).toBe(true);
    const late = tokenOf(await h.call("send_message", { chat_id: chat.id, text: "Too late", agent: agent.id }));
    clock += 16 * 60_000;
    const expired = await h.call("send_approved_reply", { token: late, text: "Too late" });
    expect(expired.isError).toBe(true);
    expect(h.text(expired)).toMatch(/expired/);
    expect(posts(h)).toHaveLength(0);
    const audit = h.logs.filter((l) => l.includes("audit ") && l.includes('"via":"app"'));
    expect(audit.some((l) => l.includes('"outcome":"declined"'))).toBe(true);
    expect(audit.some((l) => l.includes('"outcome":"unconfirmed"') && l.includes("expired"))).toBe(true);
  });

  it("the duplicate guard applies to what Send posts", async () => {
    const { h, agent, chat } = await setup();
    const first = tokenOf(await h.call("send_message", { chat_id: chat.id, text: "Same words", agent: agent.id }));
    const second = tokenOf(await h.call("send_message", { chat_id: chat.id, text: "Same  WORDS", agent: agent.id }));
    expect((await h.call("send_approved_reply", { token: first, text: "Same words" })).isError).toBeFalsy();
    const twin = await h.call("send_approved_reply", { token: second, text: "Same words" });
    expect(twin.isError).toBe(true);
    expect(posts(h)).toHaveLength(1);
    // The refusal sent nothing, so the card is still the person's: their corrected text goes out.
    const corrected = await h.call("send_approved_reply", { token: second, text: "Other words" });
    expect(corrected.isError, h.text(corrected)).toBeFalsy();
    expect(posts(h).map((q) => (q.body as { text: string }).text)).toEqual(["Same words", "Other words"]);
  });

  it("another signed-in person's Send or Discard is refused and leaves the card to the person it was made for", async () => {
    const { h, agent, chat } = await setup();
    const person = (subject: string) => ({ subject, scopes: ["helpcrunch:use", "helpcrunch:send"] });
    h.signIn(person("person-a"));
    const token = tokenOf(await h.call("send_message", { chat_id: chat.id, text: "For A to approve", agent: agent.id }));
    h.signIn(person("person-b"));
    for (const [tool, args] of [
      ["send_approved_reply", { token, text: "For A to approve" }],
      ["discard_reply", { token }],
    ] as const) {
      const refused = await h.call(tool, args);
      expect(refused.isError).toBe(true);
      expect(h.text(refused)).toMatch(/made for another signed-in person/);
    }
    h.signIn(person("person-a"));
    const sent = await h.call("send_approved_reply", { token, text: "For A to approve" });
    expect(sent.isError, h.text(sent)).toBeFalsy();
    expect(posts(h)).toHaveLength(1);
  });

  it("a client that never declared MCP Apps cannot use a card's token; the card still works in the client that shows it", async () => {
    const { h, agent, chat } = await setup();
    const token = tokenOf(await h.call("send_message", { chat_id: chat.id, text: "Approve me", agent: agent.id }));
    // Another client of the same server (over --http: another request) that never declared the extension.
    const plain = await h.connect({});
    for (const [tool, args] of [
      ["send_approved_reply", { token, text: "Approve me" }],
      ["discard_reply", { token }],
    ] as const) {
      const refused = (await plain.callTool({ name: tool, arguments: args })) as CallToolResult;
      expect(refused.isError).toBe(true);
      expect(h.text(refused)).toMatch(/^Nothing was done: .* MCP Apps/);
    }
    expect(posts(h)).toHaveLength(0);
    expect((await h.call("send_approved_reply", { token, text: "Approve me" })).isError).toBeFalsy();
    expect(posts(h)).toHaveLength(1);
  });

  it("create_chat with a message creates nothing until Send, then the chat and exactly the approved text", async () => {
    const { h, agent, chat } = await setup();
    const r = await h.call("create_chat", newChatWithMessage(chat, agent, "Hi there"));
    expect(h.text(r)).toMatch(/Nothing was sent yet/);
    expect(posts(h)).toHaveLength(0);
    const sent = await h.call("send_approved_reply", { token: tokenOf(r), text: "Hi there!" });
    expect(sent.isError).toBeFalsy();
    expect(posts(h).map((q) => q.path)).toEqual(["/chats", "/messages"]);
    expect((posts(h)[1]?.body as { text: string }).text).toBe("Hi there!");
  });
});

describe("a client without MCP Apps", () => {
  it("gets the same refusal and the same tools as before: no views, no app-only tools", async () => {
    const { h, agent, chat } = await setup({ apps: false });
    const r = await h.call("send_message", { chat_id: chat.id, text: "Hello", agent: agent.id });
    expect(r.isError).toBe(true);
    expect(h.text(r)).toBe(
      "Nothing was sent: customer-visible messages need a person's confirmation (HELPCRUNCH_CUSTOMER_MESSAGES=confirm) and this client cannot show a confirmation form. Post a private note (private: true), or the operator can set HELPCRUNCH_CUSTOMER_MESSAGES=on to send without confirmation.",
    );
    const { tools } = await h.mcp.listTools();
    expect(tools.some((t) => t._meta !== undefined)).toBe(false);
    expect(tools.map((t) => t.name)).not.toContain("send_approved_reply");
  });

  it("gets byte-identical triage_queue and chat_stats results to a client with MCP Apps", async () => {
    const NOW = Date.parse("2026-11-25T12:00:00Z");
    const results = [];
    for (const capabilities of [{}, APPS]) {
      const harness = await startHarness({ sandbox: { seed: 42, now: () => NOW }, now: () => NOW, capabilities });
      results.push(
        JSON.stringify([
          await harness.call("triage_queue", { limit: 10 }),
          await harness.call("chat_stats", { from: "7d", group_by: "day" }),
        ]),
      );
      await harness.close();
    }
    // Each process's live-queue cursors carry a random epoch (a cursor from another process is unknown): the rest is identical.
    const sameEpoch = (json: string | undefined) => json?.replace(/q1\.[0-9a-z]+\./g, "q1.EPOCH.");
    expect(sameEpoch(results[0])).toMatch(/q1\.EPOCH\./);
    expect(sameEpoch(results[1])).toBe(sameEpoch(results[0]));
  });
});

describe("a client with MCP Apps", () => {
  it("sees the views in the tools' _meta and the card's buttons as app-only tools", async () => {
    const { h } = await setup();
    const { tools } = await h.mcp.listTools();
    const meta = Object.fromEntries(tools.map((t) => [t.name, t._meta?.ui]));
    expect(meta.triage_queue).toEqual({ resourceUri: "ui://helpcrunch/queue" });
    expect(meta.chat_stats).toEqual({ resourceUri: "ui://helpcrunch/stats" });
    expect(meta.send_message).toEqual({ resourceUri: "ui://helpcrunch/reply" });
    expect(meta.send_approved_reply).toEqual({ visibility: ["app"] });
    expect(meta.discard_reply).toEqual({ visibility: ["app"] });
    const view = await h.mcp.readResource({ uri: "ui://helpcrunch/queue" });
    expect(view.contents[0]).toMatchObject({ mimeType: "text/html;profile=mcp-app" });
  });
});
