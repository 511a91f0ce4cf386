/**
 * The threshold scan's promise, as a property: reading chats oldest-first (by the customer's last
 * message, and by creation when a first-reply target is set) and stopping as soon as provenCount
 * covers K gives exactly the top K of ranking every chat — for random queues, page sizes, K, and
 * SLA settings (business hours included). Ties in the order are broken either way a server might.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBusinessHours } from "../../src/domain/business-hours.js";
import { SlaPolicy } from "../../src/domain/sla.js";
import { rankQueue } from "../../src/domain/triage.js";
import { provenCount, unreadBounds } from "../../src/domain/triage-proof.js";
import type { Chat, ChatSort, Frontier } from "../../src/helpcrunch/index.js";
import { makeChat, NOW } from "../helpers/chats.js";

const MIN = 60_000;
const HOURS = parseBusinessHours("Mon-Fri 09:00-17:00");

const chatArb = (id: number) =>
  fc
    .record({
      status: fc.constantFrom("new", "opened", "pending", "onhold"),
      createdAgo: fc.integer({ min: 0, max: 8_000 }),
      // How long after creation the customer last wrote, and whether an agent answered since.
      customerAfter: fc.option(fc.integer({ min: 0, max: 8_000 }), { nil: null }),
      answeredAfter: fc.option(fc.integer({ min: 1, max: 600 }), { nil: null }),
      assigned: fc.boolean(),
      unread: fc.boolean(),
      snooze: fc.option(fc.integer({ min: -600, max: 600 }), { nil: null }),
      agentSpoke: fc.boolean(),
      extraMs: fc.integer({ min: 0, max: 59_999 }),
    })
    .map((r): Chat => {
      const createdAt = NOW - r.createdAgo * MIN - r.extraMs;
      const customer = r.customerAfter === null ? null : Math.min(NOW, createdAt + r.customerAfter * MIN);
      const answered = customer !== null && r.answeredAfter !== null ? Math.min(NOW, customer + r.answeredAfter * MIN) : null;
      return makeChat({
        id,
        status: r.status,
        createdAt,
        lastCustomerMessageAt: customer,
        lastMessageAt: answered ?? customer ?? createdAt,
        assignee: r.assigned ? { id: 1, name: "A", email: null, role: null } : null,
        readByAgent: !r.unread,
        snoozedUntil: r.snooze === null ? null : NOW + r.snooze * MIN,
        agents: r.agentSpoke || answered !== null ? [{ id: 1, name: "A", email: null, role: null }] : [],
        lastCommunicatedAgentId: r.agentSpoke || answered !== null ? 1 : null,
      });
    });

const queueArb = fc.integer({ min: 0, max: 60 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => chatArb(i + 1))));

const slaArb = (hours: boolean) =>
  fc.oneof(
    fc.constant(undefined),
    fc.record({
      firstReply: fc.option(fc.integer({ min: 5, max: 600 }), { nil: undefined }),
      nextReply: fc.option(fc.integer({ min: 5, max: 2_000 }), { nil: undefined }),
      hours: fc.constant(hours),
    }),
  );

const VALUE: Record<ChatSort, (c: Chat) => number> = {
  lastCustomerMessage: (c) => c.lastCustomerMessageAt ?? 0,
  created: (c) => c.createdAt ?? 0,
  lastMessage: (c) => c.lastMessageAt ?? 0,
};

/** Ascending in whole seconds (how HelpCrunch stores them), ties by id one way or the other. */
function ordered(chats: Chat[], sort: ChatSort, tiesUp: boolean): Chat[] {
  const second = (c: Chat) => Math.floor(VALUE[sort](c) / 1000);
  return [...chats].sort((a, b) => second(a) - second(b) || (tiesUp ? a.id - b.id : b.id - a.id));
}

describe("the threshold scan's top K equals the full ranking's top K", () => {
  // Business-hours clocks cost far more to compute: fewer runs.
  it.each([
    ["wall-clock", false, 200],
    ["business-hours", true, 6],
  ] as const)(
    "for random queues, orders, page sizes and %s SLA settings",
    (_name, hours, numRuns) => {
      fc.assert(
        fc.property(
          queueArb,
          slaArb(hours),
          fc.integer({ min: 1, max: 30 }),
          fc.integer({ min: 1, max: 40 }),
          fc.boolean(),
          fc.boolean(),
          (queue, slaSettings, k, page, tiesUp, withSnoozed) => {
            const sla = slaSettings
              ? new SlaPolicy({
                  firstReply: slaSettings.firstReply,
                  nextReply: slaSettings.nextReply,
                  timeZone: "Europe/Berlin",
                  ...(slaSettings.hours ? { businessHours: HOURS } : {}),
                })
              : undefined;
            const orders: ChatSort[] =
              sla?.target("first_reply") !== undefined ? ["lastCustomerMessage", "created"] : ["lastCustomerMessage"];
            const streams = orders.map((sort) => ({ sort, chats: ordered(queue, sort, tiesUp), offset: 0 }));
            const read = new Map<number, Chat>();
            const topOf = () => rankQueue([...read.values()], NOW, withSnoozed, sla).slice(0, k);
            for (;;) {
              const frontier: Frontier = {};
              for (const s of streams) {
                const last = s.chats[s.offset - 1];
                frontier[s.sort] =
                  s.offset >= s.chats.length ? Number.POSITIVE_INFINITY : last ? Math.floor(VALUE[s.sort](last) / 1000) * 1000 : 0;
              }
              if (provenCount(topOf(), unreadBounds(frontier, NOW, sla)) >= k || streams.some((s) => s.offset >= s.chats.length)) break;
              for (const s of streams) {
                for (const chat of s.chats.slice(s.offset, s.offset + page)) read.set(chat.id, chat);
                s.offset += page;
              }
            }
            const full = rankQueue(queue, NOW, withSnoozed, sla).slice(0, k);
            expect(topOf().map((r) => r.chat.id)).toEqual(full.map((r) => r.chat.id));
          },
        ),
        { numRuns },
      );
    },
    60_000,
  );

  it("a scan that proves early reads far less than the queue (the point of it)", () => {
    // 2,000 chats, waits spread over four days; the top 20 are the longest waiting give or take 6 h of bonuses.
    const queue = Array.from({ length: 2_000 }, (_, i) =>
      makeChat({
        id: i + 1,
        lastCustomerMessageAt: NOW - (i * 3 + 1) * MIN,
        lastMessageAt: NOW - (i * 3 + 1) * MIN,
        createdAt: NOW - 10_000 * MIN,
      }),
    );
    const stream = ordered(queue, "lastCustomerMessage", true);
    let offset = 0;
    const topOf = () => rankQueue(stream.slice(0, offset), NOW, false).slice(0, 20);
    while (
      provenCount(
        topOf(),
        unreadBounds({ lastCustomerMessage: VALUE.lastCustomerMessage(stream[offset - 1] ?? (stream[0] as Chat)) }, NOW),
      ) < 20
    )
      offset += 100;
    expect(offset).toBeLessThanOrEqual(300);
    expect(topOf().map((r) => r.chat.id)).toEqual(
      rankQueue(queue, NOW, false)
        .slice(0, 20)
        .map((r) => r.chat.id),
    );
  });

  it("proves nothing without a frontier, and everything once all is read", () => {
    const ranked = rankQueue([makeChat({ id: 1 })], NOW, false);
    expect(provenCount(ranked, unreadBounds({}, NOW))).toBe(0);
    expect(provenCount(ranked, unreadBounds({ lastCustomerMessage: Number.POSITIVE_INFINITY }, NOW))).toBe(1);
    const firstReply = new SlaPolicy({ firstReply: 30, timeZone: "UTC" });
    // The first-reply clock starts at creation: the customer order alone bounds nothing.
    expect(unreadBounds({ lastCustomerMessage: NOW - MIN }, NOW, firstReply)).toBeUndefined();
  });
});
