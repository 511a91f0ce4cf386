/** The duplicate-reply guard under concurrency, gateway errors and audiences. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LocalReplyGuard } from "../../src/services/reply-guard.js";
import { type Harness, startHarness } from "../helpers/harness.js";

let h: Harness;
let chats: number[];
let agent: string;

beforeAll(async () => {
  h = await startHarness({ sandbox: { seed: 9 }, config: { customerMessages: "on" } });
  chats = [...h.sandbox.state.chats.values()].filter((c) => c.status === "opened").map((c) => c.id);
  agent = (await h.api.listAgents())[0]?.email as string;
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.clearFaults();
  h.sandbox.clearRequests();
});

const posts = () => h.sandbox.requests.filter((r) => r.method === "POST" && r.path === "/messages");
let round = 0;
const text = () => `Your refund is on its way (${++round}).`;

describe("reply guard", () => {
  it("two identical replies in parallel post once, in every round", async () => {
    for (let i = 0; i < 10; i++) {
      const args = { chat_id: chats[i] as number, text: text(), agent };
      const results = await Promise.all([h.call("send_message", args), h.call("send_message", args)]);
      expect(results.filter((r) => !r.isError)).toHaveLength(1);
      expect(h.text(results.find((r) => r.isError) ?? (results[0] as never))).toMatch(/not sending it twice/);
    }
    expect(posts()).toHaveLength(10);
  });

  it.each([500, 502, 504])(
    "a gateway error (HTML %i) on POST /messages is an unknown outcome: not retried, and a resend is refused",
    async (status) => {
      const args = { chat_id: chats[20] as number, text: text(), agent };
      h.sandbox.addFault({ method: "POST", path: "/messages", fault: { type: "html", status } });
      const first = await h.call("send_message", args);
      expect(first.isError).toBe(true);
      expect(h.text(first)).toMatch(/may or may not have been posted/);
      const again = await h.call("send_message", args);
      expect(h.text(again)).toMatch(/not sending it twice/);
      expect(posts()).toHaveLength(1);
    },
  );

  it("a private note does not block a customer reply with the same text, nor the reverse", async () => {
    const same = text();
    const note = await h.call("send_message", { chat_id: chats[30] as number, text: same, agent, private: true });
    const reply = await h.call("send_message", { chat_id: chats[30] as number, text: same, agent });
    expect([note.isError, reply.isError]).toEqual([undefined, undefined]);
    expect(posts()).toHaveLength(2);
  });

  it("a send HelpCrunch certainly refused can be sent again", async () => {
    const args = { chat_id: chats[31] as number, text: text(), agent };
    h.sandbox.addFault({
      method: "POST",
      path: "/messages",
      fault: { type: "status", status: 400, body: { errors: [{ code: "invalid_chat_value", message: "Invalid chat ID" }] } },
    });
    expect((await h.call("send_message", args)).isError).toBe(true);
    expect((await h.call("send_message", args)).isError).toBeFalsy();
    expect(posts()).toHaveLength(2);
  });

  it("dry_run neither reserves nor is blocked by itself", async () => {
    const args = { chat_id: chats[32] as number, text: text(), agent };
    expect((await h.call("send_message", { ...args, dry_run: true })).isError).toBeFalsy();
    expect((await h.call("send_message", args)).isError).toBeFalsy();
    expect(posts()).toHaveLength(1);
  });
});

describe("LocalReplyGuard", () => {
  it("release deletes only the caller's own reservation, not a later one forced over it", async () => {
    const guard = new LocalReplyGuard(Date.now);
    const first = await guard.reserve(1, "customer", "Hello");
    const forced = await guard.reserve(1, "customer", "Hello", true);
    if (!first.ok || !forced.ok) throw new Error("expected both reserved");
    await first.release(); // the first send failed; the forced one may have landed
    expect(await guard.previous(1, "customer", "Hello")).toEqual(expect.any(Number));
    await forced.release();
    expect(await guard.previous(1, "customer", "Hello")).toBeUndefined();
  });
});
