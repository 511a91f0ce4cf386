/**
 * A small mirror runs at full speed; one that passes LARGE_MIRROR open chats turns V8's
 * --optimize-for-size on, for the rest of the process (bench sections 8 and 9 measure both sides).
 */
import { describe, expect, it } from "vitest";
import { MemoryMirror } from "../../src/services/live-queue.js";
import { LARGE_MIRROR, prefersMemory } from "../../src/services/memory-mode.js";
import { NOW, spreadQueue } from "../helpers/chats.js";

describe("memory mode", () => {
  it("turns on once the in-process mirror holds more than LARGE_MIRROR open chats, not before", async () => {
    const mirror = new MemoryMirror(() => NOW);
    const chats = spreadQueue(LARGE_MIRROR + 1, 9);
    for (const chat of chats.slice(0, LARGE_MIRROR)) await mirror.apply(chat.id, chat, NOW, "seed");
    expect(await mirror.size()).toBe(LARGE_MIRROR);
    expect(prefersMemory()).toBe(false);
    const last = chats[LARGE_MIRROR];
    if (last) await mirror.apply(last.id, last, NOW, "seed");
    expect(prefersMemory()).toBe(true);
  });
});
