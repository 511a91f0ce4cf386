/**
 * The live queue's reads under load, on the sandbox with HelpCrunch's real limit (120 a minute):
 * a storm of webhooks for chats the mirror does not hold must not spend the tools' minute nor hold
 * back a change that needs no read; a read that fails is retried, not dropped; and a mirror whose
 * polls fail is not called live.
 */
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { triageQueue } from "../../src/tools/triage_queue.js";
import { type LiveRig, startLiveRig, WEBHOOK_SECRET } from "../helpers/live.js";
import { sandboxApi } from "../helpers/live-changes.js";
import { parsed } from "../helpers/typed-call.js";

let rig: LiveRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const sign = (body: string) => createHmac("sha1", WEBHOOK_SECRET).update(body).digest("hex");

async function deliver(url: string, envelope: unknown): Promise<number> {
  const body = JSON.stringify(envelope);
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-helpcrunch-signature": sign(body) },
    body,
  });
  await response.body?.cancel();
  return response.status;
}

/** A customer's message in chat `chatId`, as HelpCrunch's webhook carries it. */
const customerMessage = (chatId: number, n: number) => {
  const at = Math.floor(Date.now() / 1000);
  return {
    id: `storm-${n}`,
    event: "message.chat.customer",
    createdAt: at,
    attempts: 1,
    eventData: { id: 90_000_000 + n, text: `storm ${n}`, from: "customer", type: "message", createdAt: at, chat_id: chatId },
  };
};

async function until(check: () => Promise<boolean>, ms: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

const realLimit = { rateLimitPerMinute: 120, rateLimitWindowMs: 60_000 };

describe("live reads", () => {
  it("150 webhooks for chats the mirror does not hold: get_chat answers at once, a status change after them is applied within a second", async () => {
    rig = await startLiveRig({ sandbox: { rateLimitPerMinute: 120 }, config: realLimit });
    await rig.call("triage_queue", {});
    await rig.settle();
    const chats = [...rig.sandbox.state.chats.values()];
    const closed = chats.filter((c) => c.status === "closed").map((c) => c.id);
    const unknown = Array.from({ length: 150 }, (_, i) => closed[i] ?? 9_000_000 + i);
    const statuses = await Promise.all(unknown.map((id, n) => deliver(rig?.webhookUrl ?? "", customerMessage(id, n))));
    expect(statuses.every((s) => s === 202)).toBe(true);

    const open = chats.find((c) => c.status === "opened") ?? chats[0];
    const started = Date.now();
    const read = await rig.call("get_chat", { chat_id: open?.id });
    expect(read.isError).toBeFalsy();
    expect(Date.now() - started).toBeLessThan(2_000);

    const target = chats.find((c) => c.status === "new" || c.status === "opened");
    if (!target) throw new Error("no open chat in the sandbox");
    await sandboxApi(rig.sandbox)("PUT", "/chats/status", { id: target.id, status: "pending" });
    const live = rig.services.liveQueue;
    await until(async () => (await live.chat(target.id))?.status === "pending", 1_000);

    // The background kept to its share: at most 30 of the minute's 120 went to reads of single chats.
    const reads = rig.sandbox.requests.filter(
      (r) => r.method === "GET" && /^\/chats\/\d+$/.test(r.path) && r.path !== `/chats/${open?.id}`,
    );
    expect(reads.length).toBeLessThanOrEqual(30);
  }, 30_000);

  it("a read that fails is retried later, and the change it stands for reaches the mirror", async () => {
    rig = await startLiveRig();
    await rig.call("triage_queue", {});
    await rig.settle();
    const live = rig.services.liveQueue;
    // Reopened without a webhook (as a department move would be): the mirror does not hold it.
    const chat = [...rig.sandbox.state.chats.values()].find((c) => c.status === "closed");
    if (!chat) throw new Error("no closed chat in the sandbox");
    chat.status = "opened";
    rig.sandbox.addFault({ method: "GET", path: `/chats/${chat.id}`, times: 3, fault: { type: "status", status: 503 } });
    rig.sandbox.customerWrites(chat.id, "still there?");
    await rig.sandbox.webhooks.settle();
    await until(async () => (await live.chat(chat.id))?.lastMessageText === "still there?", 15_000);
  }, 30_000);

  it("with polls failing (searches answer 503), the next triage answer is not the live queue", async () => {
    rig = await startLiveRig({ config: { webhookSecret: undefined, pollSeconds: 10 } });
    const live = rig.services.liveQueue;
    await until(async () => (await live.freshness()).fresh, 10_000);
    const before = parsed(triageQueue, await rig.call("triage_queue", {}));
    expect(before.source).toMatch(/^Live queue \(polling every 10 s/);

    rig.sandbox.addFault({
      method: "POST",
      path: "/chats/search",
      times: Number.POSITIVE_INFINITY,
      fault: { type: "status", status: 503 },
    });
    const chat = [...rig.sandbox.state.chats.values()].find((c) => c.status === "opened");
    rig.sandbox.customerWrites(chat?.id ?? 0, "hello? anyone?");
    await live.pollOnce();
    const after = await rig.call("triage_queue", {});
    const text = JSON.stringify(after.content);
    expect(text).not.toMatch(/Live queue/);
    if (!after.isError) expect(parsed(triageQueue, after).source).toMatch(/stale: its polls have failed/);
  }, 30_000);
});
