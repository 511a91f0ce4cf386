/**
 * A live answer from the mirror's index and tally equals ranking and counting every chat, after
 * churn (chats changed, snoozed, answered, closed), for top sizes and with snoozed chats or not.
 * An answer is kept while the mirror is unchanged within its minute, and only then.
 * (Over Redis: test/redis/mirror-index.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { isOpen } from "../../src/domain/conversation.js";
import { countQueue, rankQueue } from "../../src/domain/triage.js";
import type { Chat, HelpCrunchApi } from "../../src/helpcrunch/index.js";
import { createLogger } from "../../src/log.js";
import { Directory } from "../../src/services/directory.js";
import { LiveQueue, MemoryMirror, queueChat } from "../../src/services/live-queue.js";
import { NOW, spreadQueue } from "../helpers/chats.js";

const noApi = new Proxy({} as HelpCrunchApi, {
  get: (_target, name) => () => Promise.reject(new Error(`unexpected HelpCrunch request (${String(name)})`)),
});

describe("a live answer from the in-process mirror", () => {
  it("equals ranking and counting every chat, after churn", async () => {
    const mirror = new MemoryMirror(() => NOW);
    const model = new Map<number, Chat>();
    for (const chat of spreadQueue(5_000, 3)) {
      await mirror.apply(chat.id, chat, NOW - 600_000, "seed");
      model.set(chat.id, chat);
    }
    await mirror.markSeeded(NOW - 600_000);
    await mirror.longestWaiting(1); // the order index exists, so churn updates it in place
    const changes = spreadQueue(2_000, 4, 100_000 + 4_000); // ids 104,000–105,999: half replace, half new
    for (const [i, chat] of changes.entries()) {
      const changed: Chat = i % 7 === 0 ? { ...chat, status: "closed" } : chat;
      await mirror.apply(changed.id, changed, NOW - 300_000, "event");
      if (isOpen(changed)) model.set(changed.id, changed);
      else model.delete(changed.id);
    }
    const live = new LiveQueue({ store: mirror, client: noApi, log: createLogger("silent"), now: () => NOW, source: "webhooks" });
    live.stop();
    const kept = [...model.values()].map(queueChat);
    for (const includeSnoozed of [false, true])
      for (const limit of [1, 20, 50]) {
        const answer = await live.answer({ view: { includeSnoozed }, limit, directory: new Directory(noApi, () => NOW), call: {} });
        const ids = (chats: Chat[]) =>
          rankQueue(chats, NOW, includeSnoozed)
            .slice(0, limit)
            .map((r) => r.chat.id);
        expect(ids(answer.chats)).toEqual(ids(kept));
        expect(answer.counts).toEqual(countQueue(kept, NOW));
        expect(answer.chats.length).toBeLessThan(kept.length / 2);
      }
  });
});

describe("a kept live answer", () => {
  it("is reused while the mirror is unchanged in the same minute; a change or the next minute makes a new one", async () => {
    let now = NOW;
    const mirror = new MemoryMirror(() => now);
    const chats = spreadQueue(300, 5);
    for (const chat of chats) await mirror.apply(chat.id, chat, NOW - 600_000, "seed");
    await mirror.markSeeded(NOW - 60_000);
    const live = new LiveQueue({ store: mirror, client: noApi, log: createLogger("silent"), now: () => now, source: "webhooks" });
    live.stop();
    const ask = (limit = 20) =>
      live.answer({ view: { includeSnoozed: false }, limit, directory: new Directory(noApi, () => now), call: {} });

    const first = await ask();
    expect(first.memo).toBeDefined();
    now += 20_000;
    const again = await ask();
    expect(again.memo).toBe(first.memo);
    expect(again.asOf).toBe(first.asOf);
    expect((await ask(10)).memo).not.toBe(first.memo); // another limit, another answer

    // A change to a chat moves the mirror on: the next answer is made anew and shows it.
    const target = first.chats[5] as Chat;
    await mirror.apply(target.id, { ...target, status: "closed" }, now, "event");
    const changed = await ask();
    expect(changed.memo).not.toBe(first.memo);
    expect(changed.chats.map((c) => c.id)).not.toContain(target.id);

    // The next minute, waits have grown: a new answer, ranked as of then.
    now = Math.floor(now / 60_000) * 60_000 + 60_000;
    const later = await ask();
    expect(later.memo).not.toBe(changed.memo);
    expect(later.asOf).toBe(now);
  });
});
