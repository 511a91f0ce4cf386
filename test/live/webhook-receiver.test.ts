/**
 * POST /webhooks/helpcrunch over real HTTP, fed by the sandbox's signed webhooks: a signed delivery
 * is answered 2xx and changes the mirror; an unsigned or wrongly signed one is a 401 and changes
 * nothing; a repeated delivery id is applied once; a body over 1 MB is refused unread.
 */
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { triageQueue } from "../../src/tools/triage_queue.js";
import { type LiveRig, startLiveRig, WEBHOOK_SECRET } from "../helpers/live.js";
import { parsed } from "../helpers/typed-call.js";

let rig: LiveRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const sign = (body: string, key = WEBHOOK_SECRET) => createHmac("sha1", key).update(body).digest("hex");

async function post(url: string, body: string, signature?: string): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(signature === undefined ? {} : { "x-helpcrunch-signature": signature }) },
    body,
  });
  await response.body?.cancel();
  return response.status;
}

/** An open chat of the sandbox, as a chat event's payload would carry it, reassigned to nobody. */
function openChatEnvelope(live: LiveRig, id = "delivery-1") {
  const chat = [...live.sandbox.state.chats.values()].find((c) => c.status === "opened" && c.assigneeId !== null);
  if (!chat) throw new Error("the seed has no assigned open chat");
  return {
    chatId: chat.id,
    body: JSON.stringify({
      id,
      event: "assigned",
      createdAt: Date.now() + 60_000,
      attempts: 1,
      lastAttemptAt: Date.now(),
      eventData: { chat: { id: chat.id, status: "opened", assignee: null, customer: { id: chat.customerId, name: "x", email: null } } },
    }),
  };
}

describe("webhook receiver", () => {
  it("refuses unsigned and wrongly signed deliveries with 401 and leaves the mirror unchanged", async () => {
    rig = await startLiveRig();
    await rig.call("triage_queue", {}); // seeds the mirror
    await rig.settle(); // and so does the background pass, started with the server
    const before = await rig.services.liveQueue.snapshot();
    const { body } = openChatEnvelope(rig);
    expect(await post(rig.webhookUrl, body)).toBe(401);
    expect(await post(rig.webhookUrl, body, sign(body, "another-key"))).toBe(401);
    expect(await post(rig.webhookUrl, body, "")).toBe(401);
    expect(await post(rig.webhookUrl, body, `${sign(body)}00`)).toBe(401);
    // The sandbox's own bad-signature fault is refused the same way.
    rig.sandbox.webhooks.setFaults({ badSignature: true });
    const chat = [...rig.sandbox.state.chats.values()].find((c) => c.status === "opened");
    rig.sandbox.customerWrites(chat?.id ?? 0, "hello?");
    await rig.settle();
    expect(rig.sandbox.webhooks.deliveries.map((d) => d.status)).toEqual([401]);
    expect(await rig.services.liveQueue.snapshot()).toEqual(before);
  });

  it("answers a signed delivery 202, applies it once however often it comes, and refuses a body over 1 MB", async () => {
    rig = await startLiveRig();
    await rig.call("triage_queue", {});
    const { body, chatId } = openChatEnvelope(rig);
    const seq = (await rig.services.liveQueue.snapshot()).seq;
    expect(await post(rig.webhookUrl, body, sign(body))).toBe(202);
    expect(await post(rig.webhookUrl, body, sign(body))).toBe(202);
    await rig.services.liveQueue.settled();
    const after = await rig.services.liveQueue.snapshot();
    expect(after.seq).toBe(seq + 1);
    expect(after.chats.find((c) => c.id === chatId)?.assignee).toBeNull();

    const huge = JSON.stringify({ id: "big", event: "chat.new", createdAt: 1, eventData: { pad: "x".repeat(1_100_000) } });
    expect(await post(rig.webhookUrl, huge, sign(huge)).catch(() => 413)).toBe(413);
    expect(await post(rig.webhookUrl, "not json", sign("not json"))).toBe(400);
  });

  it("a flood of refused deliveries writes one warning, and the rest are summarised in one more line", async () => {
    // The route needs no token: anyone who can reach it once wrote a warn line per request (409 for 409).
    rig = await startLiveRig();
    const { body } = openChatEnvelope(rig);
    const logs = rig.logs;
    const refused = () => logs.filter((l) => l.includes("webhook refused"));
    for (let i = 0; i < 40; i++) expect(await post(rig.webhookUrl, i % 2 ? body : `${body} `, i % 3 ? undefined : "bad")).toBe(401);
    expect(refused()).toHaveLength(1);
    // Closing writes the summary of the window still open instead of dropping it.
    await rig.close();
    rig = undefined;
    const lines = refused();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/39 more/);
  });

  it("is off (404) without HELPCRUNCH_WEBHOOK_SECRET, and needs no MCP bearer token when on", async () => {
    rig = await startLiveRig({ config: { webhookSecret: undefined } });
    const { body } = openChatEnvelope(rig);
    expect(await post(rig.webhookUrl, body, sign(body))).toBe(404);
  });

  it("before the first seed, messages in chats it does not hold cost no read of their own; the seed covers them", async () => {
    rig = await startLiveRig();
    const chat = [...rig.sandbox.state.chats.values()].find((c) => c.status === "opened");
    rig.sandbox.customerWrites(chat?.id ?? 0, "first!");
    await rig.settle();
    // The server seeds itself in the background (searches); no chat is read one by one.
    expect(rig.sandbox.requests.filter((r) => r.method === "GET")).toEqual([]);
    const answer = parsed(triageQueue, await rig.call("triage_queue", { limit: 50 }));
    expect((await rig.services.liveQueue.chat(chat?.id ?? 0))?.lastMessageText).toBe("first!");
    expect(answer.chats.length).toBeGreaterThan(0);
  });
});
