import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_SPAN_MS, parseDurationMs, parseTimeSpec } from "../../src/domain/time-spec.js";
import { ToolError } from "../../src/tool-error.js";
import { NOW } from "../helpers/chats.js";

describe("time specs", () => {
  it("reads durations forward and backward", () => {
    expect(parseTimeSpec("2h", NOW, "future", "until")).toBe(NOW + 7_200_000);
    expect(parseTimeSpec("3d", NOW, "past", "created_after")).toBe(NOW - 3 * 86_400_000);
    expect(parseTimeSpec("1h30m", NOW, "future", "until")).toBe(NOW + 5_400_000);
    expect(parseDurationMs("1w")).toBe(604_800_000);
  });

  it("reads ISO 8601 dates and times, UTC when no zone is given", () => {
    expect(parseTimeSpec("2026-11-26", NOW, "future", "until")).toBe(Date.parse("2026-11-26T00:00:00Z"));
    expect(parseTimeSpec("2026-11-26T09:30", NOW, "future", "until")).toBe(Date.parse("2026-11-26T09:30:00Z"));
    expect(parseTimeSpec("2026-11-26T09:30:00+02:00", NOW, "future", "until")).toBe(Date.parse("2026-11-26T07:30:00Z"));
  });

  it("rejects anything else with a message naming the parameter and the formats", () => {
    expect(() => parseTimeSpec("tomorrow-ish", NOW, "future", "until")).toThrow(ToolError);
    expect(() => parseTimeSpec("tomorrow-ish", NOW, "future", "until")).toThrow(/until .* ISO 8601 .* 30m/);
  });

  it("never throws anything but a ToolError, for any input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (input) => {
        try {
          const ms = parseTimeSpec(input, NOW, "past", "created_before");
          expect(Number.isFinite(ms)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ToolError);
        }
      }),
    );
  });

  it("is bounded: any duration or ISO time gives a time within 10 years of now that a Date can show, or a ToolError naming the parameter", () => {
    const durations = fc
      .array(fc.tuple(fc.oneof(fc.nat(), fc.bigInt({ min: 0n, max: 10n ** 20n })), fc.constantFrom("s", "m", "h", "d", "w")), {
        minLength: 1,
        maxLength: 4,
      })
      .map((parts) => parts.map(([n, unit]) => `${n}${unit}`).join(""));
    const isoTimes = fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString());
    fc.assert(
      fc.property(fc.oneof(durations, isoTimes), fc.constantFrom("future" as const, "past" as const), (input, direction) => {
        try {
          const ms = parseTimeSpec(input, NOW, direction, "until");
          expect(Math.abs(ms - NOW)).toBeLessThanOrEqual(MAX_SPAN_MS);
          expect(() => new Date(ms).toISOString()).not.toThrow();
        } catch (error) {
          expect(error).toBeInstanceOf(ToolError);
          expect((error as Error).message).toMatch(/^until ".*" is (more than 10 years|too far from now|not a time)/);
        }
      }),
    );
  });
});
