import { describe, expect, it } from "vitest";
import { countQueue, rankChat, rankQueue } from "../../src/domain/triage.js";
import { makeChat, minutesAgo, NOW } from "../helpers/chats.js";

const agentAnswered = { lastMessageAt: minutesAgo(10), lastCustomerMessageAt: minutesAgo(20) };

describe("triage ranking (fixed clock)", () => {
  it("puts the longest-waiting customer first when nothing else differs", () => {
    const ranked = rankQueue(
      [
        makeChat({ id: 1, lastCustomerMessageAt: minutesAgo(30), lastMessageAt: minutesAgo(30) }),
        makeChat({ id: 2, lastCustomerMessageAt: minutesAgo(190), lastMessageAt: minutesAgo(190) }),
      ],
      NOW,
      false,
    );
    expect(ranked.map((r) => r.chat.id)).toEqual([2, 1]);
    expect(ranked[0]?.reason).toBe("customer waiting 3h 10m");
    expect(ranked[0]?.score).toBe(190 + 30); // wait + opened bonus
  });

  it("raises unassigned (+120) and unread (+60) chats above a longer wait", () => {
    const waitingLong = makeChat({ id: 1, lastCustomerMessageAt: minutesAgo(150), lastMessageAt: minutesAgo(150) });
    const unassignedUnread = makeChat({
      id: 2,
      assignee: null,
      readByAgent: false,
      lastCustomerMessageAt: minutesAgo(10),
      lastMessageAt: minutesAgo(10),
    });
    const ranked = rankQueue([waitingLong, unassignedUnread], NOW, false);
    expect(ranked.map((r) => r.chat.id)).toEqual([2, 1]);
    expect(ranked[0]?.score).toBe(10 + 120 + 60 + 30);
    expect(ranked[0]?.reason).toBe("unassigned, customer waiting 10m, unread");
  });

  it("orders new before opened before onhold before pending when waits are equal", () => {
    const statuses = ["pending", "onhold", "new", "opened"];
    const ranked = rankQueue(
      statuses.map((status, i) => makeChat({ id: i + 1, status, ...agentAnswered })),
      NOW,
      false,
    );
    expect(ranked.map((r) => r.chat.status)).toEqual(["new", "opened", "onhold", "pending"]);
    expect(ranked.find((r) => r.chat.status === "pending")?.reason).toBe("waiting on the customer");
  });

  it("leaves running snoozes out unless asked, and raises ended snoozes", () => {
    const snoozed = makeChat({ id: 1, snoozedUntil: NOW + 3_600_000, assignee: null });
    const ended = makeChat({ id: 2, snoozedUntil: minutesAgo(40), ...agentAnswered });
    const plain = makeChat({ id: 3, ...agentAnswered });
    expect(rankQueue([snoozed, ended, plain], NOW, false).map((r) => r.chat.id)).toEqual([2, 3]);
    expect(rankQueue([snoozed, ended, plain], NOW, true).map((r) => r.chat.id)).toEqual([1, 2, 3]);
    expect(rankChat(ended, NOW).reason).toBe("snooze ended 40m ago");
    expect(rankChat(ended, NOW).score).toBe(120 + 30);
  });

  it("breaks exact ties by lower id, deterministically", () => {
    const chats = [5, 3, 9].map((id) => makeChat({ id, ...agentAnswered }));
    expect(rankQueue(chats, NOW, false).map((r) => r.chat.id)).toEqual([3, 5, 9]);
    expect(rankQueue([...chats].reverse(), NOW, false).map((r) => r.chat.id)).toEqual([3, 5, 9]);
  });

  it("counts the queue: statuses, unassigned, awaiting, unread, snoozes due, oldest wait", () => {
    const counts = countQueue(
      [
        makeChat({
          id: 1,
          status: "new",
          assignee: null,
          readByAgent: false,
          lastCustomerMessageAt: minutesAgo(95),
          lastMessageAt: minutesAgo(95),
        }),
        makeChat({ id: 2, status: "opened", ...agentAnswered }),
        makeChat({ id: 3, status: "pending", snoozedUntil: minutesAgo(5), ...agentAnswered }),
        makeChat({ id: 4, status: "onhold", snoozedUntil: NOW + 60_000 }),
      ],
      NOW,
    );
    expect(counts).toEqual({
      open: 3,
      by_status: { new: 1, opened: 1, pending: 1 },
      unassigned: 1,
      awaiting_reply: 1,
      unread: 1,
      snoozes_due: 1,
      snoozed: 1,
      oldest_wait_minutes: 95,
    });
  });
});
