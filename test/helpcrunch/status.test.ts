/** Status spelling: one normalised name on read; what filters and writes send is learned (dialect.test.ts). */
import { describe, expect, it } from "vitest";
import { CHAT_STATUSES, isKnownStatus, normaliseStatus, ON_HOLD_SPELLINGS, WRITABLE_STATUSES } from "../../src/helpcrunch/status.js";

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

describe("writable statuses", () => {
  it("empty is not writable", () => {
    expect((WRITABLE_STATUSES as readonly string[]).includes("empty")).toBe(false);
  });

  it("every on-hold spelling reads back as onhold", () => {
    for (const s of ON_HOLD_SPELLINGS) expect(normaliseStatus(s)).toBe("onhold");
  });

  it("numeric codes are not read as statuses: their meaning is learned per account", () => {
    expect(isKnownStatus(normaliseStatus("3"))).toBe(false);
  });
});
