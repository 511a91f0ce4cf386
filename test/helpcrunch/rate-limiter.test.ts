/** The sliding-window limiter and concurrency cap, on fake timers so a 1 s window costs no real time. */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RateLimiter, type RateWindow } from "../../src/helpcrunch/rate-limiter.js";

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Acquires, records the start time, and releases after `holdMs`. */
async function run(limiter: RateLimiter, holdMs: number, starts: number[], signal?: AbortSignal): Promise<void> {
  const release = await limiter.acquire(signal);
  starts.push(Date.now());
  if (holdMs > 0) await new Promise((r) => setTimeout(r, holdMs));
  release();
}

describe("sliding window", () => {
  it("starts at most N requests in any window, even from a burst", async () => {
    const limiter = new RateLimiter(3, 1_000, 100);
    const starts: number[] = [];
    const all = Promise.all(Array.from({ length: 10 }, () => run(limiter, 0, starts)));
    await vi.runAllTimersAsync();
    await all;
    expect(starts).toHaveLength(10);
    for (let i = 0; i + 3 < starts.length; i++) expect((starts[i + 3] as number) - (starts[i] as number)).toBeGreaterThanOrEqual(1_000);
    // The first three go at once; the window is stretched 2% against clock jitter.
    expect(starts.slice(0, 4).map((t) => t - 1_000_000)).toEqual([0, 0, 0, 1_021]);
  });

  it("does not behave like a token bucket: no 2N burst across a window boundary", async () => {
    const limiter = new RateLimiter(5, 1_000, 100);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => run(limiter, 0, starts)));
    await vi.advanceTimersByTimeAsync(990); // a bucket would have refilled most tokens by now
    const second = Promise.all(Array.from({ length: 5 }, () => run(limiter, 0, starts)));
    await vi.advanceTimersByTimeAsync(20);
    expect(starts).toHaveLength(5);
    await vi.runAllTimersAsync();
    await second;
    expect(Math.min(...starts.slice(5)) - Math.max(...starts.slice(0, 5))).toBeGreaterThanOrEqual(1_000);
  });

  it("a request in flight keeps its place until it ends, then for a full window", async () => {
    const limiter = new RateLimiter(2, 1_000, 10);
    const releaseA = await limiter.acquire();
    const releaseB = await limiter.acquire();
    let third = false;
    const waiting = limiter.acquire().then((release) => {
      third = true;
      return release;
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(third).toBe(false);
    releaseA();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(third).toBe(false);
    await vi.advanceTimersByTimeAsync(30);
    expect(third).toBe(true);
    releaseB();
    (await waiting)();
  });

  it("property: random bursts and durations never put N+1 requests in one window", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 0, max: 1_500 })), { minLength: 1, maxLength: 25 }),
        async (perWindow, concurrency, requests) => {
          vi.setSystemTime(1_000_000);
          const limiter = new RateLimiter(perWindow, 1_000, concurrency);
          const spans: Array<{ start: number; end: number }> = [];
          let inFlight = 0;
          let maxInFlight = 0;
          const done = Promise.all(
            requests.map(async ([arriveMs, holdMs]) => {
              await new Promise((r) => setTimeout(r, arriveMs));
              const release = await limiter.acquire();
              const span = { start: Date.now(), end: Number.POSITIVE_INFINITY };
              spans.push(span);
              maxInFlight = Math.max(maxInFlight, ++inFlight);
              await new Promise((r) => setTimeout(r, holdMs));
              inFlight--;
              span.end = Date.now();
              release();
            }),
          );
          await vi.runAllTimersAsync();
          await done;
          expect(maxInFlight).toBeLessThanOrEqual(concurrency);
          // HelpCrunch counts a request somewhere in [start, end]: when one starts, fewer than N
          // earlier ones may have ended less than a window ago (or still be running).
          spans.forEach((span, k) => {
            const sharing = spans.slice(0, k).filter((earlier) => earlier.end > span.start - 1_000);
            expect(sharing.length).toBeLessThan(perWindow);
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("concurrency cap", () => {
  it("never lets more than maxConcurrency hold a slot", async () => {
    const limiter = new RateLimiter(1_000, 1_000, 2);
    const starts: number[] = [];
    const all = Promise.all(Array.from({ length: 6 }, () => run(limiter, 100, starts)));
    await vi.advanceTimersByTimeAsync(0);
    expect(limiter.active).toBe(2);
    expect(starts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(starts).toHaveLength(4);
    expect(limiter.active).toBe(2);
    await vi.runAllTimersAsync();
    await all;
    expect(limiter.active).toBe(0);
    expect(starts.map((t) => t - 1_000_000)).toEqual([0, 0, 100, 100, 200, 200]);
  });
});

describe("abort while waiting", () => {
  it("a caller waiting for a slot leaves the queue at once and takes nothing", async () => {
    const limiter = new RateLimiter(100, 1_000, 1);
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error("cancelled"));
    await expect(waiting).rejects.toThrow("cancelled");
    release();
    expect(limiter.active).toBe(0);
    (await limiter.acquire())();
  });

  it("a caller waiting for the window leaves at once and frees its concurrency slot", async () => {
    const limiter = new RateLimiter(1, 60_000, 1);
    (await limiter.acquire())();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    const outcome = waiting.then(
      () => "acquired",
      (e: Error) => e.message,
    );
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error("cancelled"));
    await vi.advanceTimersByTimeAsync(0);
    expect(await outcome).toBe("cancelled");
    expect(limiter.active).toBe(0);
  });

  it("an already aborted signal is refused without waiting", async () => {
    const limiter = new RateLimiter(1, 1_000, 1);
    await expect(limiter.acquire(AbortSignal.abort(new Error("late")))).rejects.toThrow("late");
    expect(limiter.active).toBe(0);
  });
});

it("refuses nonsense limits", () => {
  expect(() => new RateLimiter(0, 1_000, 1)).toThrow();
  expect(() => new RateLimiter(1, 1_000, 0)).toThrow();
  expect(() => new RateLimiter(1, 0, 1)).toThrow();
});

describe("an injected window", () => {
  it("replaces the in-process log (e.g. Redis, shared by processes); the concurrency cap stays the limiter's own", async () => {
    const events: string[] = [];
    const window: RateWindow = {
      take: async () => {
        events.push("take");
        return () => events.push("end");
      },
    };
    // One per window in-process would hold the second request for a second; the injected window decides instead.
    const limiter = new RateLimiter(1, 1_000, 2, Date.now, window);
    const first = await limiter.acquire();
    const second = await limiter.acquire();
    let third: (() => void) | undefined;
    const waiting = limiter.acquire().then((release) => (third = release));
    await vi.advanceTimersByTimeAsync(10);
    expect(third).toBeUndefined(); // two in flight: the cap
    first();
    await waiting;
    second();
    third?.();
    third?.(); // a second release is a no-op
    expect(events).toEqual(["take", "take", "end", "take", "end", "end"]);
    expect(limiter.active).toBe(0);
  });
});
