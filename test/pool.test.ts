import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runPool } from "../src/pool.js";

describe("runPool", () => {
  it("runs every item once, in order of start, never more than `concurrency` at a time", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(5), { maxLength: 30 }), fc.integer({ min: 1, max: 6 }), async (delays, concurrency) => {
        let running = 0;
        let most = 0;
        const started: number[] = [];
        const left = await runPool(delays, concurrency, async (delay, index) => {
          started.push(index);
          most = Math.max(most, ++running);
          await new Promise((r) => setTimeout(r, delay));
          running--;
        });
        expect(left).toEqual([]);
        expect(started).toEqual(delays.map((_, i) => i));
        expect(most).toBeLessThanOrEqual(concurrency);
      }),
      { numRuns: 30 },
    );
  });

  it("starts nothing once stop() says so, lets running items finish, and returns the items never started", async () => {
    const finished: number[] = [];
    let stopping = false;
    const left = await runPool(
      [1, 2, 3, 4, 5, 6],
      2,
      async (item) => {
        if (item === 3) stopping = true;
        await new Promise((r) => setTimeout(r, 5));
        finished.push(item);
      },
      () => stopping,
    );
    expect(finished.sort()).toEqual([1, 2, 3]);
    expect(left).toEqual([4, 5, 6]);
  });
});
