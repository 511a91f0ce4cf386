/** The learning rules of dialect.ts with scripted answers: bounds, empty accounts, APIs that ignore filters. */
import { describe, expect, it } from "vitest";
import { CANDIDATE_CODES, Dialect, type DialectProbes, MAX_PROBES } from "../../src/helpcrunch/dialect.js";
import type { Chat } from "../../src/helpcrunch/index.js";

const chat = (id: number, status: string) => ({ id, status }) as Chat;

function scripted(sample: () => Chat[], search: (value: string) => Chat[]) {
  const calls: string[] = [];
  const probes: DialectProbes = {
    sample: async () => {
      calls.push("sample");
      return sample();
    },
    searchStatus: async (value) => {
      calls.push(value);
      return search(value);
    },
  };
  return { probes, calls };
}

describe("Dialect status learning", () => {
  it("an API that ignores the filter maps nothing, stays within the bound, and falls back to names", async () => {
    const everything = [chat(1, "opened"), chat(2, "closed")];
    const { probes, calls } = scripted(
      () => everything,
      () => everything,
    );
    const dialect = new Dialect("auto", () => {});
    const result = await dialect.statusFilterValues(["opened"], probes);
    expect(result).toEqual({ values: ["opened"], missing: [] });
    expect(calls.length).toBeLessThanOrEqual(MAX_PROBES);
    expect(dialect.report().statusFilter.encoding).toBe("unknown");
    expect(dialect.report().statusFilter.evidence.join("\n")).toMatch(/mixed statuses/);
    // Nothing left to try: later searches cost nothing.
    await dialect.statusFilterValues(["closed"], probes);
    expect(calls.length).toBeLessThanOrEqual(MAX_PROBES);
  });

  it("an empty account is asked again later, and learns once chats exist", async () => {
    let chats: Chat[] = [];
    const { probes, calls } = scripted(
      () => chats,
      (value) => (value === "pending" ? chats : []),
    );
    const dialect = new Dialect("auto", () => {});
    expect(await dialect.statusFilterValues(["pending"], probes)).toEqual({ values: ["pending"], missing: [] });
    expect(calls).toEqual(["sample"]);
    chats = [chat(1, "pending")];
    await dialect.statusFilterValues(["pending"], probes);
    expect(calls).toEqual(["sample", "sample", "pending"]);
    expect(dialect.report().statusFilter.encoding).toBe("name");
  });

  it("never spends more than MAX_PROBES, whatever is asked and however often", async () => {
    const { probes, calls } = scripted(
      () => [chat(1, "opened"), chat(2, "new")],
      () => [],
    );
    const dialect = new Dialect("auto", () => {});
    for (let i = 0; i < 5; i++) await dialect.statusFilterValues(["opened", "new", "empty"], probes);
    expect(calls.length).toBe(Math.min(MAX_PROBES, 2 + CANDIDATE_CODES.length));
  });

  it("concurrent callers share one learning run, and it is logged once", async () => {
    const logs: string[] = [];
    const codes: Record<string, string> = { "4": "opened", "2": "new" };
    const { probes, calls } = scripted(
      () => [chat(1, "opened"), chat(2, "new")],
      (value) => (codes[value] ? [chat(9, codes[value] as string)] : []),
    );
    const dialect = new Dialect("auto", (m) => logs.push(m));
    const results = await Promise.all([dialect.statusFilterValues(["opened"], probes), dialect.statusFilterValues(["new"], probes)]);
    expect(results).toEqual([
      { values: ["4"], missing: [] },
      { values: ["2"], missing: [] },
    ]);
    expect(calls.filter((c) => c === "sample")).toHaveLength(1);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/4 = opened/);
  });
});

describe("Dialect write encodings", () => {
  it("snoozedUntil switches once and no more", () => {
    const dialect = new Dialect("name", () => {});
    expect(dialect.snoozedUntil(1_700_000_000_999)).toBe(1_700_000_000);
    expect(dialect.snoozeRefused(1_700_000_000)).toBe(true);
    expect(dialect.snoozedUntil(1_700_000_000_999)).toBe("1700000000");
    // A parallel request sent as an integer before the switch: retried in the learned form, no switch back.
    expect(dialect.snoozeRefused(1_700_000_000)).toBe(true);
    expect(dialect.snoozedUntil(1_700_000_000_999)).toBe("1700000000");
    expect(dialect.snoozeRefused("1700000000")).toBe(false);
    expect(dialect.snoozedUntil(null)).toBeNull();
  });

  it("on-hold offers each spelling once", () => {
    const dialect = new Dialect("name", () => {});
    const tried = new Set<string>(["on hold"]);
    expect(dialect.onHoldRefused(tried)).toBe("onhold");
    tried.add("onhold");
    expect(dialect.onHoldRefused(tried)).toBe("on-hold");
    tried.add("on-hold");
    expect(dialect.onHoldRefused(tried)).toBeUndefined();
  });
});
