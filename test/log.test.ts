/** RepeatedWarning: a warning anyone can cause costs one line, then one summary per window while it goes on. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { RepeatedWarning } from "../src/log.js";

afterEach(() => vi.useRealTimers());

describe("RepeatedWarning", () => {
  it("writes the first at once, summarises the rest per window, and starts afresh after a quiet window", () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const warning = new RepeatedWarning((line) => lines.push(line), "refused", 60_000);
    for (let i = 0; i < 100; i++) warning.note();
    expect(lines).toEqual(["refused"]);
    vi.advanceTimersByTime(60_000);
    expect(lines).toEqual(["refused", "refused (99 more in the last 60 s)"]);
    warning.note();
    warning.note();
    vi.advanceTimersByTime(60_000);
    expect(lines.at(-1)).toBe("refused (2 more in the last 60 s)");
    // A window with nothing in it ends the summaries; the next one is written at once.
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(3);
    warning.note();
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toBe("refused");
  });
});
