/**
 * SLA clocks: the policy's arithmetic on hand-made chats, and the tools on a
 * crafted queue: breached chats first (most overdue first), then at-risk, then the usual score.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseBusinessHours } from "../../src/domain/business-hours.js";
import { SlaPolicy } from "../../src/domain/sla.js";
import type { StoredChat } from "../../src/sandbox/index.js";
import { getChat } from "../../src/tools/get_chat.js";
import { searchChats } from "../../src/tools/search_chats.js";
import { triageQueue } from "../../src/tools/triage_queue.js";
import { craftedChat, makeChat, minutesAgo, NOW } from "../helpers/chats.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { callOk } from "../helpers/typed-call.js";

const min = 60_000;

describe("SlaPolicy", () => {
  const policy = new SlaPolicy({ firstReply: 15, nextReply: 60, timeZone: "UTC" });
  const firstContact = (createdMinutesAgo: number) =>
    makeChat({
      id: 1,
      agents: [],
      lastCommunicatedAgentId: null,
      createdAt: minutesAgo(createdMinutesAgo),
      lastCustomerMessageAt: minutesAgo(createdMinutesAgo),
      lastMessageAt: minutesAgo(createdMinutesAgo),
    });

  it("first reply: ok, at risk under 20% of the target left, breached past it", () => {
    expect(policy.clockFor(firstContact(5), NOW)).toMatchObject({ kind: "first_reply", minutesLeft: 10, state: "ok" });
    expect(policy.clockFor(firstContact(13), NOW)).toMatchObject({ minutesLeft: 2, state: "at_risk" });
    expect(policy.clockFor(firstContact(27), NOW)).toMatchObject({ minutesLeft: -12, state: "breached", dueAt: NOW - 12 * min });
  });

  it("next reply counts from the customer's last message once an agent has written", () => {
    const chat = makeChat({
      id: 2,
      agents: [{ id: 1, name: "Priya", email: null, role: null }],
      lastCustomerMessageAt: minutesAgo(70),
      lastMessageAt: minutesAgo(70),
    });
    expect(policy.clockFor(chat, NOW)).toMatchObject({ kind: "next_reply", minutesLeft: -10, state: "breached" });
  });

  it("no clock when no reply is owed, or without targets", () => {
    expect(policy.clockFor(makeChat({ id: 3, lastCustomerMessageAt: minutesAgo(90), lastMessageAt: minutesAgo(5) }), NOW)).toBeUndefined();
    expect(new SlaPolicy().clockFor(firstContact(60), NOW)).toBeUndefined();
  });

  it("in business hours, a chat at Friday 17:55 Berlin is due Monday 09:10", () => {
    const hours = parseBusinessHours("Mon-Fri 09:00-18:00");
    const berlin = new SlaPolicy({ firstReply: 15, businessHours: hours, timeZone: "Europe/Berlin" });
    const friday = Date.parse("2026-11-20T16:55:00Z"); // 17:55 in Berlin (UTC+1)
    const chat = makeChat({
      id: 4,
      agents: [],
      lastCommunicatedAgentId: null,
      createdAt: friday,
      lastCustomerMessageAt: friday,
      lastMessageAt: friday,
    });
    const saturday = Date.parse("2026-11-21T12:00:00Z");
    expect(berlin.clockFor(chat, saturday)).toMatchObject({ dueAt: Date.parse("2026-11-23T08:10:00Z"), minutesLeft: 10, state: "ok" });
  });
});

describe("tools with SLA targets", () => {
  const T = Date.parse("2026-11-25T12:00:00Z");
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  async function crafted(): Promise<Harness> {
    const harness = await startHarness({
      sandbox: { chatCount: 0, now: () => T },
      now: () => T,
      config: { sla: { firstReply: 15, nextReply: 60 } },
    });
    const base = craftedChat(T);
    const put = (id: number, over: Partial<StoredChat>) => harness.sandbox.state.chats.set(id, { ...base, id, status: "opened", ...over });
    const fresh = (ago: number): Partial<StoredChat> => ({
      agentIds: [],
      lastCommunicatedAgentId: null,
      createdAt: T - ago * min,
      lastCustomerMessageAt: T - ago * min,
      lastMessageAt: T - ago * min,
    });
    put(1, { ...fresh(20), status: "new" }); // first reply overdue by 5m
    put(2, { lastCustomerMessageAt: T - 90 * min, lastMessageAt: T - 90 * min }); // next reply overdue by 30m
    put(3, { ...fresh(13), status: "new" }); // first reply due in 2m: at risk
    put(4, { assigneeId: null, readByAgent: false, lastCustomerMessageAt: T - 30 * min, lastMessageAt: T - 30 * min }); // ok, high score
    put(5, { status: "pending" }); // nothing owed
    h = harness;
    return harness;
  }

  it("triage_queue puts breached chats first, most overdue first, then at-risk, then the score", async () => {
    const harness = await crafted();
    const { text, structured: s } = await callOk(harness, triageQueue, {});
    expect(s.chats.map((c) => c.id)).toEqual([2, 1, 3, 4, 5]);
    expect(s.chats.map((c) => c.reason.split(", ")[0])).toEqual([
      "next reply overdue by 30m",
      "first reply overdue by 5m",
      "first reply due in 2m",
      "unassigned",
      "waiting on the customer",
    ]);
    expect(s.chats[0]?.sla).toMatchObject({ state: "breached", minutes_left: -30 });
    expect(s.counts).toMatchObject({ sla_breached: 2, sla_at_risk: 1 });
    expect(text.split("\n")[0]).toContain("SLA: 2 breached, 1 at risk");
  });

  it("search_chats and get_chat carry the clock; the text says when it is not ok", async () => {
    const harness = await crafted();
    const search = await callOk(harness, searchChats, { status: ["new"] });
    const chats = search.structured.chats;
    expect(chats.find((c) => c.id === 1)?.sla).toMatchObject({ kind: "first_reply", due_at: (T - 5 * min) / 1000 });
    expect(search.text).toContain("first reply overdue by 5m");
    const one = (await callOk(harness, getChat, { chat_id: 4, messages: 0 })).structured;
    expect(one.chat.sla?.state).toBe("ok");
  });

  it("without targets there is no clock and the ranking is the score alone", async () => {
    const harness = await startHarness({ sandbox: { seed: 2 } });
    h = harness;
    const s = (await callOk(harness, triageQueue, {})).structured;
    expect(s.counts.sla_breached).toBeUndefined();
    expect(s.chats.every((c) => c.sla === undefined)).toBe(true);
  });
});
