/** Retry policy: Retry-After parsing, backoff bounds, abortable sleep. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelay, parseRetryAfter, sleep } from "../../src/helpcrunch/retry.js";

const NOW = Date.parse("2026-11-25T09:00:00Z");

describe("parseRetryAfter", () => {
  it("reads delta-seconds", () => {
    expect(parseRetryAfter("1", NOW)).toBe(1_000);
    expect(parseRetryAfter(" 120 ", NOW)).toBe(120_000);
    expect(parseRetryAfter("0", NOW)).toBe(0);
    expect(parseRetryAfter("1.5", NOW)).toBe(1_500);
    expect(parseRetryAfter(["7", "9"], NOW)).toBe(7_000);
  });

  it("reads all three HTTP-date forms relative to now", () => {
    expect(parseRetryAfter("Wed, 25 Nov 2026 09:00:30 GMT", NOW)).toBe(30_000); // IMF-fixdate
    expect(parseRetryAfter("Wednesday, 25-Nov-26 09:01:00 GMT", NOW)).toBe(60_000); // RFC 850
    expect(parseRetryAfter("Wed Nov 25 09:00:05 2026", NOW)).toBe(5_000); // asctime: no zone, GMT by definition
    expect(parseRetryAfter("Wed Nov  6 09:00:05 2026", Date.parse("2026-11-06T09:00:00Z"))).toBe(5_000);
  });

  it("a date in the past means retry now", () => {
    expect(parseRetryAfter("Tue, 24 Nov 2026 09:00:00 GMT", NOW)).toBe(0);
  });

  it("ignores absent and garbage values", () => {
    for (const junk of [undefined, "", "   ", "soon", "-1", "foo 12", "1a", "12 apples", "NaN", "Infinity", "2026-11-25"]) {
      expect(parseRetryAfter(junk, NOW), String(junk)).toBeUndefined();
    }
  });

  it("never returns a negative or non-finite wait", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (value) => {
        const ms = parseRetryAfter(value, NOW);
        if (ms !== undefined) expect(Number.isFinite(ms) && ms >= 0).toBe(true);
      }),
    );
  });
});

describe("backoffDelay", () => {
  it("is full jitter: within [0, base·2^attempt) and never above the cap", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        (attempt, base, cap, r) => {
          const delay = backoffDelay(attempt, base, cap, () => r);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(cap);
          expect(delay).toBeLessThan(base * 2 ** attempt);
          expect(Number.isInteger(delay)).toBe(true);
        },
      ),
    );
  });

  it("grows exponentially at the top of the jitter range", () => {
    const top = () => 0.999_999;
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, 500, 60_000, top))).toEqual([499, 999, 1_999, 3_999]);
    expect(backoffDelay(10, 500, 60_000, top)).toBe(60_000);
  });
});

describe("sleep", () => {
  it("rejects promptly with the signal's reason when aborted", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const slept = sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(new Error("stop")), 20);
    await expect(slept).rejects.toThrow("stop");
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("rejects at once on an already aborted signal, even for zero ms", async () => {
    await expect(sleep(0, AbortSignal.abort(new Error("gone")))).rejects.toThrow("gone");
  });

  it("resolves after the delay", async () => {
    const started = Date.now();
    await sleep(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
