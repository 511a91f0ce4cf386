/**
 * The in-process mirror at size: 100,000 open chats must fit the server's 120 MB RSS, so a chat may
 * cost well under a kilobyte of heap, the longest-waiting index, the tally and the change log included. Measured at
 * 20,000 chats (heap after a full GC, before and after), with texts and names as a real queue has.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import type { Chat } from "../../src/helpcrunch/index.js";
import { MemoryMirror } from "../../src/services/mirror-store.js";
import { NOW, spreadQueue } from "../helpers/chats.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const afterGc = () => {
  gc();
  gc();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, offHeap: usage.arrayBuffers };
};

/**
 * Per chat at 20,000, the bounded change log (5,000 changes, about 100 bytes a chat here) included.
 * Chats as parsed objects took 915 bytes of heap here; records on the heap about 600.
 */
const MAX_HEAP_PER_CHAT = 250;
const MAX_OFF_HEAP_PER_CHAT = 450;

describe("MemoryMirror at 20,000 open chats", () => {
  it(`holds a chat in under ${MAX_HEAP_PER_CHAT} bytes of heap and ${MAX_OFF_HEAP_PER_CHAT} off it, its indexes included`, async () => {
    const mirror = new MemoryMirror(() => NOW);
    const before = afterGc();
    // In batches, so the chats given (the caller's, garbage after) do not count: only what the mirror keeps.
    for (let batch = 0; batch < 20; batch++)
      // As parsed from HelpCrunch's JSON: no string shared with another chat.
      for (const chat of spreadQueue(1_000, batch + 1, 100_000 + batch * 1_000))
        await mirror.apply(chat.id, JSON.parse(JSON.stringify(chat)) as Chat, NOW, "seed");
    await mirror.longestWaiting(20); // builds the order index
    const after = afterGc();
    const heap = (after.heap - before.heap) / 20_000;
    const offHeap = (after.offHeap - before.offHeap) / 20_000;
    console.error(`MemoryMirror at 20,000 open chats: ${Math.round(heap)} bytes of heap and ${Math.round(offHeap)} off it per chat`);
    expect(await mirror.size()).toBe(20_000);
    expect(heap).toBeLessThan(MAX_HEAP_PER_CHAT);
    expect(offHeap).toBeLessThan(MAX_OFF_HEAP_PER_CHAT);
  });
});
