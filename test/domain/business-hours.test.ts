import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addBusinessMinutes,
  type BusinessHours,
  businessMinutesBetween,
  describeBusinessHours,
  isValidTimeZone,
  parseBusinessHours,
} from "../../src/domain/business-hours.js";

const MIN = 60_000;
/** Elapsed minutes, the oracle business minutes never exceed. */
const wallMinutes = (fromMs: number, toMs: number) => Math.max(0, toMs - fromMs) / MIN;
const DAY = 86_400_000;
const utc = (iso: string): number => Date.parse(iso);

// Zones with 1 h DST, none, a 30-min DST (Lord Howe), a +12:45/+13:45 zone (Chatham) and zones that change
// at local midnight (Santiago: Saturday 24:00 → 23:00 / → Sunday 01:00; Havana: 00:00 → 01:00).
const ZONES = [
  "UTC",
  "Europe/Berlin",
  "America/New_York",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "America/Santiago",
  "America/Havana",
] as const;

// ---------------------------------------------------------------------------
// Test-side time-zone helpers, deliberately built on different Intl features than the module
// (timeZoneName "longOffset" and weekday names) so that the oracle is not the code under test.

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
function offsetMsOf(tz: string, ms: number): number {
  let f = offsetFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" });
    offsetFormatters.set(tz, f);
  }
  const name = f.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * MIN : 0;
}

const wallFormatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
function wallOf(tz: string, ms: number): { weekday: number; minuteOfDay: number } {
  let f = wallFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    wallFormatters.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]));
  return { weekday: WEEKDAYS.indexOf(parts.weekday ?? ""), minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The instant of a wall-clock time in a zone (must exist and be unambiguous enough for our use). */
function zoned(tz: string, y: number, mo: number, d: number, h = 0, mi = 0): number {
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  let t = guess;
  for (let i = 0; i < 3; i++) t = guess - offsetMsOf(tz, t);
  if (t + offsetMsOf(tz, t) !== guess) throw new Error(`wall time ${y}-${mo}-${d} ${h}:${mi} does not exist in ${tz}`);
  return t;
}

/** Offset changes of a zone during 2025-2027, to the hour (enough to aim generators at DST days). */
function transitions(tz: string): number[] {
  const out: number[] = [];
  let prev = offsetMsOf(tz, Date.UTC(2025, 0, 1));
  for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2028, 0, 1); t += 3_600_000) {
    const off = offsetMsOf(tz, t);
    if (off !== prev) out.push(t);
    prev = off;
  }
  return out;
}
const TRANSITIONS = ZONES.flatMap((tz) => transitions(tz).map((t) => ({ tz, t })));

/** Oracle: count whole minutes [from, to) whose wall clock is inside the hours (both minute-aligned). */
function bruteForceMinutes(from: number, to: number, hours: BusinessHours, tz: string): number {
  let n = 0;
  for (let t = from; t < to; t += MIN) {
    const { weekday, minuteOfDay } = wallOf(tz, t);
    if ((hours.days[weekday] ?? []).some((r) => r.start <= minuteOfDay && minuteOfDay < r.end)) n++;
  }
  return n;
}

// ---------------------------------------------------------------------------
// Generators

const FIXED_SPECS = [
  "Mon-Fri 09:00-18:00",
  "Mon-Thu 08:30-17:00, Fri 08:30-14:00",
  "Sat 10:00-14:00",
  "Mon,Wed,Fri 09:00-12:00",
  "Mon-Sun 01:00-04:00",
  "Sun 02:00-03:00, Sat 23:00-24:00",
  "Mon-Fri 09:00-12:00 13:00-18:00",
  "24/7",
];

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;

/** Random valid specs: per day up to three disjoint ranges with arbitrary minute boundaries. */
const randomSpec = fc
  .array(fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 6 }), { minLength: 7, maxLength: 7 })
  .map((perDay) => {
    const clauses = perDay.flatMap((bounds, day) => {
      const sorted = [...bounds].sort((a, b) => a - b);
      const ranges: string[] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push(`${hhmm(sorted[i] ?? 0)}-${hhmm(sorted[i + 1] ?? 0)}`);
      return ranges.length ? [`${DAY_NAMES[day]} ${ranges.join(" ")}`] : [];
    });
    return clauses.length ? clauses.join(", ") : "Wed 12:00-12:01";
  });

const anySpec = fc.oneof(fc.constantFrom(...FIXED_SPECS), randomSpec);
const zone = fc.constantFrom(...ZONES);
const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
/** An instant within a day or two of some zone's DST change, with that zone. */
const nearTransition = fc
  .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -2 * DAY, max: DAY }))
  .map(([{ tz, t }, delta]) => ({ tz, t: t + delta }));

// ---------------------------------------------------------------------------

describe("parseBusinessHours", () => {
  it("reads the documented forms into Sunday-indexed days of minute ranges", () => {
    const h = parseBusinessHours("Mon-Thu 08:30-17:00, Fri 08:30-14:00");
    expect(h.alwaysOpen).toBe(false);
    expect(h.days).toEqual([[], ...Array(4).fill([{ start: 510, end: 1020 }]), [{ start: 510, end: 840 }], []]);
    expect(parseBusinessHours("Mon,Wed,Fri 09:00-12:00").days.map((r) => r.length)).toEqual([0, 1, 0, 1, 0, 1, 0]);
    expect(parseBusinessHours("Sat 10:00-14:00").days[6]).toEqual([{ start: 600, end: 840 }]);
    expect(parseBusinessHours("24/7")).toEqual({ alwaysOpen: true, days: Array(7).fill([{ start: 0, end: 1440 }]) });
  });

  it("is case-insensitive, tolerates spaces and en dashes, wraps day ranges, and allows 24:00 as an end", () => {
    expect(parseBusinessHours("mon-FRI 09:00 - 18:00")).toEqual(parseBusinessHours("Mon–Fri 09:00–18:00"));
    expect(parseBusinessHours("Fri-Mon 10:00-12:00").days.map((r) => r.length)).toEqual([1, 1, 0, 0, 0, 1, 1]);
    expect(parseBusinessHours("Sun 00:00-24:00").days[0]).toEqual([{ start: 0, end: 1440 }]);
  });

  it("takes several ranges per day, space-separated or as a comma clause that reuses the days", () => {
    const lunch = parseBusinessHours("Mon-Fri 09:00-12:00 13:00-18:00");
    expect(lunch.days[3]).toEqual([
      { start: 540, end: 720 },
      { start: 780, end: 1080 },
    ]);
    expect(parseBusinessHours("Mon-Fri 13:00-18:00, 09:00-12:00")).toEqual(lunch); // sorted per day
  });

  it.each([
    ["", /spec is empty/],
    ["   ", /spec is empty/],
    ["Mon-Fry 09:00-18:00", /Unknown day "Fry"/],
    ["Monday 09:00-18:00", /Unknown day "Monday"/],
    ["Mon 9:75-18:00", /Invalid time "9:75"/],
    ["Mon 25:00-26:00", /Invalid time "25:00"/],
    ["Mon 09-18", /Invalid time "09"/],
    ["Mon 24:00-24:00", /Invalid time "24:00"/], // 24:00 only closes a day
    ["Mon 09:00-12:00-13:00", /Invalid time range/],
    ["Mon 18:00-09:00", /crosses midnight, which is not supported/],
    ["Mon 22:00-02:00", /crosses midnight, which is not supported/],
    ["Mon 09:00-09:00", /is empty; the start must be before the end/],
    ["Mon-Fri 09:00-18:00, Wed 17:00-19:00", /Overlapping ranges on Wed: 09:00-18:00 and 17:00-19:00/],
    ["Mon,Mon 09:00-10:00", /Overlapping ranges on Mon/],
    ["Mon-Fri", /has no time range/],
    ["09:00-18:00", /names no days/],
    ["Mon 09:00-18:00,", /Empty clause/],
    ["24/7, Sat 10:00-14:00", /cannot be combined/],
  ])("rejects %j with one short sentence", (spec, message) => {
    expect(() => parseBusinessHours(spec)).toThrow(message);
    try {
      parseBusinessHours(spec);
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).message.length).toBeLessThan(140);
      expect((e as Error).message).toMatch(/\.$/);
    }
  });

  it("for any string, either throws an Error or returns sorted, disjoint ranges inside the day", () => {
    const specLike = fc.stringMatching(/^[MonTueWdhFriSatu,\- 0-9:]{0,30}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), specLike), (spec) => {
        let h: BusinessHours;
        try {
          h = parseBusinessHours(spec);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          return;
        }
        for (const ranges of h.days) {
          ranges.forEach((r, i) => {
            expect(0 <= r.start && r.start < r.end && r.end <= 1440).toBe(true);
            if (i > 0) expect(r.start).toBeGreaterThanOrEqual(ranges[i - 1]?.end ?? 0);
          });
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("describeBusinessHours", () => {
  it("writes compact log lines", () => {
    expect(describeBusinessHours(parseBusinessHours("Mon-Fri 09:00-18:00"), "Europe/Berlin")).toBe("Mon–Fri 09:00–18:00 Europe/Berlin");
    expect(describeBusinessHours(parseBusinessHours("Mon-Thu 08:30-17:00, Fri 08:30-14:00"))).toBe("Mon–Thu 08:30–17:00, Fri 08:30–14:00");
    expect(describeBusinessHours(parseBusinessHours("Mon,Wed,Fri 09:00-12:00"))).toBe("Mon,Wed,Fri 09:00–12:00");
    expect(describeBusinessHours(parseBusinessHours("Fri-Mon 10:00-12:00"))).toBe("Mon,Fri–Sun 10:00–12:00");
    expect(describeBusinessHours(parseBusinessHours("24/7"), "UTC")).toBe("24/7 UTC");
    expect(describeBusinessHours({ alwaysOpen: false, days: Array(7).fill([]) })).toBe("closed");
  });

  it("parses back to the same hours (property)", () => {
    fc.assert(
      fc.property(anySpec, (spec) => {
        const h = parseBusinessHours(spec);
        expect(parseBusinessHours(describeBusinessHours(h))).toEqual(h);
      }),
    );
  });
});

describe("isValidTimeZone", () => {
  it("accepts IANA names and UTC, rejects the rest", () => {
    for (const tz of [...ZONES, "Etc/GMT+5", "utc"]) expect(isValidTimeZone(tz)).toBe(true);
    for (const tz of ["", " ", "Mars/Olympus", "Europe/Berlinn", "CEST+1"]) expect(isValidTimeZone(tz)).toBe(false);
  });

  it("the arithmetic refuses unknown zones", () => {
    const h = parseBusinessHours("24/7");
    expect(() => businessMinutesBetween(0, MIN, h, "Mars/Olympus")).toThrow(/Unknown time zone "Mars\/Olympus"/);
    expect(() => addBusinessMinutes(0, 1, h, "Nowhere")).toThrow(RangeError);
  });
});

describe("businessMinutesBetween: examples", () => {
  const weekdays = parseBusinessHours("Mon-Fri 09:00-18:00");

  it("a Mon-Fri 09-18 week is 45 h; nothing backwards", () => {
    // Mon 2026-06-01 00:00 CEST → Mon 2026-06-08 00:00 CEST
    expect(businessMinutesBetween(utc("2026-05-31T22:00Z"), utc("2026-06-07T22:00Z"), weekdays, "Europe/Berlin")).toBe(45 * 60);
    // The same UTC span in New York starts Sunday 18:00 and ends Sunday 18:00 local: still one full week.
    expect(businessMinutesBetween(utc("2026-05-31T22:00Z"), utc("2026-06-07T22:00Z"), weekdays, "America/New_York")).toBe(45 * 60);
    expect(businessMinutesBetween(utc("2026-06-03T12:00Z"), utc("2026-06-03T11:00Z"), weekdays, "UTC")).toBe(0);
    expect(businessMinutesBetween(utc("2026-06-03T09:00Z"), utc("2026-06-03T09:00:30Z"), weekdays, "UTC")).toBe(0.5);
  });

  it("a long span is counted per day, and right: Berlin 2026 has 261 weekdays × 9 h", () => {
    // 2026-01-01 is a Thursday: 52 full weeks + Thu 31 Dec. Local year = CET midnight to CET midnight.
    expect(businessMinutesBetween(utc("2025-12-31T23:00Z"), utc("2026-12-31T23:00Z"), weekdays, "Europe/Berlin")).toBe(261 * 540);
  });

  // Business hours are wall-clock times: an instant counts iff its local wall time is inside a range.
  // Spring forward skips wall times (they never happen, so they cannot count); fall back repeats an hour
  // (it happens twice, so it counts twice). Hence "24/7" is always real elapsed time.
  it("Europe/Berlin spring forward (2026-03-29, 02:00 CET → 03:00 CEST): the day loses the skipped hour", () => {
    const nightly = parseBusinessHours("Mon-Sun 01:00-04:00");
    // A normal Sunday, Mar 22: 00:00 CET = 23:00Z the day before; 3 h.
    expect(businessMinutesBetween(utc("2026-03-21T23:00Z"), utc("2026-03-22T23:00Z"), nightly, "Europe/Berlin")).toBe(180);
    // Mar 29 00:00 CET = 28th 23:00Z; Mar 30 00:00 CEST = 29th 22:00Z. 01:00-02:00 CET and 03:00-04:00 CEST: 2 h.
    expect(businessMinutesBetween(utc("2026-03-28T23:00Z"), utc("2026-03-29T22:00Z"), nightly, "Europe/Berlin")).toBe(120);
    // A range entirely inside the gap has no business time at all.
    expect(
      businessMinutesBetween(utc("2026-03-28T23:00Z"), utc("2026-03-29T22:00Z"), parseBusinessHours("Sun 02:00-03:00"), "Europe/Berlin"),
    ).toBe(0);
    // The whole local day is 23 h long.
    expect(businessMinutesBetween(utc("2026-03-28T23:00Z"), utc("2026-03-29T22:00Z"), parseBusinessHours("24/7"), "Europe/Berlin")).toBe(
      23 * 60,
    );
  });

  it("Europe/Berlin fall back (2026-10-25, 03:00 CEST → 02:00 CET): the repeated hour counts twice", () => {
    const nightly = parseBusinessHours("Mon-Sun 01:00-04:00");
    // Oct 25 00:00 CEST = 24th 22:00Z; Oct 26 00:00 CET = 25th 23:00Z.
    // 01:00-03:00 CEST (2 h) then 02:00-04:00 CET (2 h) = 4 h.
    expect(businessMinutesBetween(utc("2026-10-24T22:00Z"), utc("2026-10-25T23:00Z"), nightly, "Europe/Berlin")).toBe(240);
    // 02:00-03:00 happens twice: 00:00Z-01:00Z (CEST) and 01:00Z-02:00Z (CET).
    expect(
      businessMinutesBetween(utc("2026-10-24T22:00Z"), utc("2026-10-25T23:00Z"), parseBusinessHours("Sun 02:00-03:00"), "Europe/Berlin"),
    ).toBe(120);
    expect(
      businessMinutesBetween(utc("2026-10-25T00:30Z"), utc("2026-10-25T01:30Z"), parseBusinessHours("Sun 02:00-03:00"), "Europe/Berlin"),
    ).toBe(60);
    expect(businessMinutesBetween(utc("2026-10-24T22:00Z"), utc("2026-10-25T23:00Z"), parseBusinessHours("24/7"), "Europe/Berlin")).toBe(
      25 * 60,
    );
  });

  it("America/New_York: Sunday 2026-03-08 is 23 h and Sunday 2026-11-01 is 25 h of 'Sun 00:00-24:00'", () => {
    const sunday = parseBusinessHours("Sun 00:00-24:00");
    // Mar 8 00:00 EST = 05:00Z; Mar 9 00:00 EDT = 04:00Z (02:00 EST → 03:00 EDT at 07:00Z).
    expect(businessMinutesBetween(utc("2026-03-08T05:00Z"), utc("2026-03-09T04:00Z"), sunday, "America/New_York")).toBe(23 * 60);
    // Nov 1 00:00 EDT = 04:00Z; Nov 2 00:00 EST = 05:00Z (02:00 EDT → 01:00 EST at 06:00Z).
    expect(businessMinutesBetween(utc("2026-11-01T04:00Z"), utc("2026-11-02T05:00Z"), sunday, "America/New_York")).toBe(25 * 60);
    // Whole weeks around them: only the Sunday is open, so a week is that Sunday's length.
    expect(businessMinutesBetween(utc("2026-03-02T05:00Z"), utc("2026-03-14T04:00Z"), sunday, "America/New_York")).toBe(23 * 60);
  });

  it("zones whose clocks jump at midnight: America/Santiago's Sunday 2026-09-06 starts at 01:00", () => {
    // Saturday 24:00 (-04) → Sunday 01:00 (-03) at 04:00Z. Sunday 01:00 -03 = 04:00Z; Monday 00:00 -03 = 03:00Z.
    const sunday = parseBusinessHours("Sun 00:00-24:00");
    expect(businessMinutesBetween(utc("2026-09-05T00:00Z"), utc("2026-09-08T00:00Z"), sunday, "America/Santiago")).toBe(23 * 60);
    expect(
      businessMinutesBetween(utc("2026-09-05T00:00Z"), utc("2026-09-08T00:00Z"), parseBusinessHours("Sun 00:00-01:00"), "America/Santiago"),
    ).toBe(0);
  });
});

describe("addBusinessMinutes: examples", () => {
  const weekdays = parseBusinessHours("Mon-Fri 09:00-18:00");
  const berlin = "Europe/Berlin";

  it("carries over the weekend, stops at a closing time, and starts at the next opening", () => {
    // Fri 2026-06-05 17:00 CEST + 2 h → Mon 10:00 CEST.
    expect(addBusinessMinutes(utc("2026-06-05T15:00Z"), 120, weekdays, berlin)).toBe(utc("2026-06-08T08:00Z"));
    // Landing exactly on 18:00 returns 18:00 (the earliest instant), not Monday 09:00.
    expect(addBusinessMinutes(utc("2026-06-05T15:00Z"), 60, weekdays, berlin)).toBe(utc("2026-06-05T16:00Z"));
    // Saturday: the clock starts Monday 09:00; 0 minutes is that opening.
    expect(addBusinessMinutes(utc("2026-06-06T10:00Z"), 0, weekdays, berlin)).toBe(utc("2026-06-08T07:00Z"));
    expect(addBusinessMinutes(utc("2026-06-06T10:00Z"), 30, weekdays, berlin)).toBe(utc("2026-06-08T07:30Z"));
    // Open already: 0 minutes is now; fractions are kept.
    expect(addBusinessMinutes(utc("2026-06-08T08:00Z"), 0, weekdays, berlin)).toBe(utc("2026-06-08T08:00Z"));
    expect(addBusinessMinutes(utc("2026-06-08T08:00Z"), 0.5, weekdays, berlin)).toBe(utc("2026-06-08T08:00:30Z"));
  });

  it("across DST: New York Fri 16:00 EST + 2 h of Mon-Fri 09-17 → Mon 10:00 EDT", () => {
    expect(addBusinessMinutes(utc("2026-03-06T21:00Z"), 120, parseBusinessHours("Mon-Fri 09:00-17:00"), "America/New_York")).toBe(
      utc("2026-03-09T14:00Z"),
    );
  });

  it("across the Berlin gap: the skipped hour is not counted", () => {
    const nightly = parseBusinessHours("Mon-Sun 01:00-04:00");
    // Sat 2026-03-28 03:30 CET: 30 min Saturday, then Sunday 01:00-02:00 CET (00:00Z-01:00Z) gives 60 more,
    // the clock then reads 03:00 CEST (still 01:00Z), and 03:00-03:30 CEST gives the last 30.
    expect(addBusinessMinutes(utc("2026-03-28T02:30Z"), 90, nightly, berlin)).toBe(utc("2026-03-29T01:00Z"));
    expect(addBusinessMinutes(utc("2026-03-28T02:30Z"), 120, nightly, berlin)).toBe(utc("2026-03-29T01:30Z"));
  });

  it("refuses bad input and gives up (bounded) when there is no business time at all", () => {
    expect(() => addBusinessMinutes(0, -1, weekdays, berlin)).toThrow(RangeError);
    expect(() => addBusinessMinutes(0, Number.NaN, weekdays, berlin)).toThrow(RangeError);
    expect(() => addBusinessMinutes(Number.POSITIVE_INFINITY, 1, weekdays, berlin)).toThrow(RangeError);
    const closed: BusinessHours = { alwaysOpen: false, days: Array(7).fill([]) };
    expect(() => addBusinessMinutes(utc("2026-01-01T00:00Z"), 1, closed, berlin)).toThrow(/No business time within 366 days/);
    expect(businessMinutesBetween(utc("2026-01-01T00:00Z"), utc("2027-01-01T00:00Z"), closed, berlin)).toBe(0);
  });
});

describe("business time properties (fast-check)", () => {
  const closeTo = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

  it("never exceeds wall minutes, never negative", () => {
    fc.assert(
      fc.property(anySpec, zone, instant, fc.integer({ min: -DAY, max: 90 * DAY }), (spec, tz, from, span) => {
        const b = businessMinutesBetween(from, from + span, parseBusinessHours(spec), tz);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThanOrEqual(wallMinutes(from, from + span));
      }),
    );
  });

  it("is additive over any split point, including near DST changes", () => {
    const start = fc.oneof(
      fc.tuple(zone, instant).map(([tz, t]) => ({ tz, t })),
      nearTransition,
    );
    fc.assert(
      fc.property(
        anySpec,
        start,
        fc.integer({ min: 0, max: 40 * DAY }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (spec, { tz, t }, span, at) => {
          const h = parseBusinessHours(spec);
          const m = t + Math.floor(span * at);
          const whole = businessMinutesBetween(t, t + span, h, tz);
          const parts = businessMinutesBetween(t, m, h, tz) + businessMinutesBetween(m, t + span, h, tz);
          expect(closeTo(whole, parts)).toBe(true);
        },
      ),
    );
  });

  it("'24/7' equals wall minutes exactly, in every zone", () => {
    const always = parseBusinessHours("24/7");
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(zone, instant).map(([tz, t]) => ({ tz, t })),
          nearTransition,
        ),
        fc.integer({ min: 0, max: 60 * DAY }),
        ({ tz, t }, span) => {
          expect(businessMinutesBetween(t, t + span, always, tz)).toBe(wallMinutes(t, t + span));
        },
      ),
    );
  });

  it("is zero over a weekend for Mon-Fri 09:00-18:00 (Sat 00:00 → Mon 00:00 local), and counts Friday and Monday", () => {
    const weekdays = parseBusinessHours("Mon-Fri 09:00-18:00");
    const firstSaturday = Date.UTC(2020, 0, 4);
    fc.assert(
      fc.property(zone, fc.integer({ min: 0, max: 520 }), (tz, week) => {
        const sat = new Date(firstSaturday + week * 7 * DAY);
        const at = (dayOffset: number, h = 0, mi = 0): number =>
          zoned(tz, sat.getUTCFullYear(), sat.getUTCMonth() + 1, sat.getUTCDate() + dayOffset, h, mi);
        expect(businessMinutesBetween(at(0), at(2), weekdays, tz)).toBe(0);
        expect(businessMinutesBetween(at(-1), at(0), weekdays, tz)).toBe(540);
        expect(businessMinutesBetween(at(0), at(2, 9, 30), weekdays, tz)).toBe(30);
      }),
    );
  });

  it("addBusinessMinutes inverts businessMinutesBetween, and returns the earliest such instant", () => {
    const start = fc.oneof(
      fc.tuple(zone, instant).map(([tz, t]) => ({ tz, t })),
      nearTransition,
    );
    const minutes = fc.oneof(
      fc.integer({ min: 0, max: 20_000 }),
      fc.integer({ min: 0, max: 2_000 }).map((q) => q / 4),
    );
    fc.assert(
      fc.property(anySpec, start, minutes, (spec, { tz, t }, n) => {
        const h = parseBusinessHours(spec);
        const due = addBusinessMinutes(t, n, h, tz);
        expect(due).toBeGreaterThanOrEqual(t);
        expect(closeTo(businessMinutesBetween(t, due, h, tz), n)).toBe(true);
        // One second earlier, less than n has elapsed (for n > 0; all values are whole ms here).
        if (n > 0) expect(businessMinutesBetween(t, due - 1000, h, tz)).toBeLessThan(n);
      }),
    );
  });

  it("matches a minute-by-minute brute force built on other Intl features, around DST changes", () => {
    fc.assert(
      fc.property(anySpec, nearTransition, fc.integer({ min: 0, max: 3 * 24 * 60 }), (spec, { tz, t }, spanMinutes) => {
        const h = parseBusinessHours(spec);
        const from = Math.floor(t / MIN) * MIN;
        const to = from + spanMinutes * MIN;
        expect(businessMinutesBetween(from, to, h, tz)).toBe(bruteForceMinutes(from, to, h, tz));
      }),
      { numRuns: 60 },
    );
  });
});
