/** Status spelling: one normalised name on read, a switchable filter encoding, on-hold write fallbacks. */
import { describe, expect, it } from "vitest";
import { CHAT_STATUSES, WRITABLE_STATUSES, encodeStatusFilter, isKnownStatus, normaliseStatus, statusWriteSpellings } from "../../src/client/status.js";

describe("normaliseStatus", () => {
  it.each([
    ["onhold", "onhold"],
    ["on hold", "onhold"],
    ["On-Hold", "onhold"],
    ["ON_HOLD", "onhold"],
    ["  on   hold ", "onhold"],
    ["open", "opened"],
    ["Opened", "opened"],
    ["no-communication", "no communication"],
    ["No Communication", "no communication"],
    ["CLOSED", "closed"],
  ])("%j → %j", (raw, expected) => {
    expect(normaliseStatus(raw)).toBe(expected);
  });

  it("keeps unknown values (lower-cased) instead of guessing", () => {
    expect(normaliseStatus("Archived")).toBe("archived");
    expect(isKnownStatus(normaliseStatus("Archived"))).toBe(false);
  });

  it("is idempotent and maps every known status to itself", () => {
    for (const s of CHAT_STATUSES) {
      expect(normaliseStatus(s)).toBe(s);
      expect(normaliseStatus(normaliseStatus(s.toUpperCase()))).toBe(s);
    }
  });
});

describe("encodeStatusFilter", () => {
  it("sends names by default", () => {
    for (const s of CHAT_STATUSES) expect(encodeStatusFilter(s, "name")).toBe(s);
  });

  it("codes are distinct numeric strings that read back as the same status", () => {
    const codes = CHAT_STATUSES.map((s) => encodeStatusFilter(s, "code"));
    expect(new Set(codes).size).toBe(CHAT_STATUSES.length);
    for (const [i, s] of CHAT_STATUSES.entries()) {
      expect(codes[i]).toMatch(/^\d+$/);
      expect(normaliseStatus(codes[i] as string)).toBe(s);
    }
  });
});

describe("statusWriteSpellings", () => {
  it("only on-hold has alternatives, 'on hold' first as the current docs say", () => {
    for (const s of WRITABLE_STATUSES.filter((w) => w !== "onhold")) expect(statusWriteSpellings(s)).toEqual([s]);
    expect(statusWriteSpellings("onhold")).toEqual(["on hold", "onhold", "on-hold"]);
  });

  it("tries the remembered spelling first, without repeating it", () => {
    expect(statusWriteSpellings("onhold", "on-hold")).toEqual(["on-hold", "on hold", "onhold"]);
    expect(statusWriteSpellings("closed", "on-hold")).toEqual(["closed"]);
  });

  it("every on-hold spelling reads back as onhold", () => {
    for (const s of statusWriteSpellings("onhold")) expect(normaliseStatus(s)).toBe("onhold");
  });

  it("empty is not writable", () => {
    expect((WRITABLE_STATUSES as readonly string[]).includes("empty")).toBe(false);
  });
});
