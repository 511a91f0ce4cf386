/**
 * Business-hours arithmetic for SLA clocks.
 *
 * Semantics (the one rule everything follows): an instant is business time iff its
 * wall-clock weekday and time *in the given time zone* fall inside one of the ranges.
 * Consequences at DST changes:
 * - spring forward: wall times in the gap never occur, so they contribute nothing
 *   (Berlin "Sun 01:00-04:00" on 2026-03-29 is 2 h, not 3 h);
 * - fall back: the repeated wall hour occurs twice, so it counts twice
 *   (the same range on 2026-10-25 is 4 h).
 * Durations are real elapsed time, so "24/7" always equals wall-clock minutes.
 *
 * Units: instants are epoch milliseconds; minutes are returned as fractional numbers
 * (elapsed ms / 60 000), so nothing is rounded. With integer-ms inputs all internal
 * sums are exact integers (ms) and only the final division rounds.
 *
 * Time zones go through Intl.DateTimeFormat (no dependency). Assumption: a zone changes
 * its UTC offset at most once per local day, true for every tzdb zone.
 */

export interface TimeRange {
  /** Minutes after local midnight, inclusive. */
  readonly start: number;
  /** Minutes after local midnight, exclusive; at most 1440 ("24:00"). */
  readonly end: number;
}

export interface BusinessHours {
  /** True only for the "24/7" spec (then every day is 00:00–24:00). */
  readonly alwaysOpen: boolean;
  /** Index 0 = Sunday … 6 = Saturday (as Date#getUTCDay); ranges sorted and disjoint. */
  readonly days: readonly (readonly TimeRange[])[];
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const DAY_MINUTES = 1440;
const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
/** Week order used for ranges like "Mon-Fri" and for descriptions. */
const WEEK_ORDER: readonly number[] = [1, 2, 3, 4, 5, 6, 0];

// ---------------------------------------------------------------------------
// Parsing

function formatTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

function parseTime(text: string, isEnd: boolean): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  const h = m ? Number(m[1]) : NaN;
  const min = m ? Number(m[2]) : NaN;
  if (h === 24 && min === 0 && isEnd) return DAY_MINUTES; // "24:00" closes a day
  if (!(h <= 23 && min <= 59)) throw new Error(`Invalid time "${text}"; use HH:MM between 00:00 and 23:59 (24:00 only as an end).`);
  return h * 60 + min;
}

function parseRange(text: string): TimeRange {
  const parts = text.split("-");
  if (parts.length !== 2) throw new Error(`Invalid time range "${text}"; use HH:MM-HH:MM.`);
  const start = parseTime(parts[0] ?? "", false);
  const end = parseTime(parts[1] ?? "", true);
  if (start > end) {
    throw new Error(`Time range "${text}" crosses midnight, which is not supported; split it, e.g. "Mon 22:00-24:00, Tue 00:00-06:00".`);
  }
  if (start === end) throw new Error(`Time range "${text}" is empty; the start must be before the end.`);
  return { start, end };
}

function dayIndex(name: string): number {
  const i = DAY_NAMES.findIndex((d) => d.toLowerCase() === name.toLowerCase());
  if (i < 0) throw new Error(`Unknown day "${name}"; use Mon, Tue, Wed, Thu, Fri, Sat or Sun.`);
  return i;
}

/** "Mon-Fri", "Sat", "Mon,Wed,Fri", "Fri-Mon" (wraps over the weekend) → day indexes. */
function parseDays(text: string): number[] {
  const days: number[] = [];
  for (const item of text.split(",").map((s) => s.trim())) {
    if (item === "") throw new Error(`Empty day name in "${text}".`);
    const ends = item.split("-");
    if (ends.length > 2) throw new Error(`Invalid day range "${item}"; use e.g. Mon-Fri.`);
    const from = WEEK_ORDER.indexOf(dayIndex(ends[0] ?? ""));
    const to = WEEK_ORDER.indexOf(dayIndex(ends[1] ?? ends[0] ?? ""));
    for (let k = from; ; k = (k + 1) % 7) {
      days.push(WEEK_ORDER[k] ?? 0);
      if (k === to) break;
    }
  }
  return days;
}

/**
 * Parse "Mon-Fri 09:00-18:00", "Mon-Thu 08:30-17:00, Fri 08:30-14:00", "Mon,Wed,Fri 09:00-12:00",
 * "Mon-Fri 09:00-12:00 13:00-18:00" (several ranges), "24/7". Day names are case-insensitive
 * 3-letter English; "–" is accepted for "-" (so describeBusinessHours output parses back).
 * A clause that starts with a time reuses the previous clause's days ("Mon-Fri 09:00-12:00, 13:00-18:00").
 * @throws Error with one sentence naming the problem.
 */
export function parseBusinessHours(spec: string): BusinessHours {
  const text = spec.trim().replace(/\s*[-–]\s*/g, "-");
  if (text === "") throw new Error("Business hours spec is empty.");
  if (/^24\/7$/.test(text)) {
    const all = Object.freeze({ start: 0, end: DAY_MINUTES });
    return Object.freeze({ alwaysOpen: true, days: Object.freeze(DAY_NAMES.map(() => Object.freeze([all]))) });
  }
  if (text.includes("24/7")) throw new Error(`"24/7" cannot be combined with other clauses.`);

  const byDay: TimeRange[][] = DAY_NAMES.map(() => []);
  let days: number[] | undefined;
  // Clauses are separated by commas that follow a time; commas between day names are day lists.
  for (const clause of text.split(/(?<=\d)\s*,\s*/)) {
    const m = /^([^\d]*)(.*)$/s.exec(clause.trim());
    const dayText = (m?.[1] ?? "").trim();
    const timeText = (m?.[2] ?? "").trim();
    if (dayText === "" && timeText === "") throw new Error(`Empty clause in "${spec}".`);
    if (timeText === "") throw new Error(`Clause "${clause.trim()}" has no time range.`);
    if (dayText !== "") days = parseDays(dayText);
    if (days === undefined) throw new Error(`Clause "${clause.trim()}" names no days; start with e.g. Mon-Fri.`);
    for (const rangeText of timeText.split(/\s+/)) {
      const range = parseRange(rangeText);
      for (const d of days) byDay[d]?.push(range);
    }
  }

  byDay.forEach((ranges, d) => {
    ranges.sort((a, b) => a.start - b.start);
    for (let i = 1; i < ranges.length; i++) {
      const prev = ranges[i - 1];
      const cur = ranges[i];
      if (prev && cur && cur.start < prev.end) {
        throw new Error(
          `Overlapping ranges on ${DAY_NAMES[d]}: ${formatTime(prev.start)}-${formatTime(prev.end)} and ${formatTime(cur.start)}-${formatTime(cur.end)}.`,
        );
      }
    }
  });
  return Object.freeze({ alwaysOpen: false, days: Object.freeze(byDay.map((r) => Object.freeze(r.map((x) => Object.freeze({ ...x }))))) });
}

/** For logs: "Mon–Fri 09:00–18:00 Europe/Berlin", "Mon,Wed,Fri 09:00–12:00", "24/7 UTC". Parses back. */
export function describeBusinessHours(hours: BusinessHours, timeZone?: string): string {
  const suffix = timeZone ? ` ${timeZone}` : "";
  if (hours.alwaysOpen) return `24/7${suffix}`;
  // Group days with identical ranges (in Mon..Sun order), then compress consecutive runs.
  const groups = new Map<string, number[]>();
  WEEK_ORDER.forEach((day, pos) => {
    const ranges = hours.days[day] ?? [];
    if (ranges.length === 0) return;
    const key = ranges.map((r) => `${formatTime(r.start)}–${formatTime(r.end)}`).join(" ");
    groups.set(key, [...(groups.get(key) ?? []), pos]);
  });
  const clauses = [...groups].map(([key, positions]) => {
    const runs: string[] = [];
    for (let i = 0; i < positions.length; ) {
      let j = i;
      while (j + 1 < positions.length && positions[j + 1] === (positions[j] ?? 0) + 1) j++;
      const name = (k: number): string => DAY_NAMES[WEEK_ORDER[positions[k] ?? 0] ?? 0] ?? "?";
      runs.push(i === j ? name(i) : `${name(i)}–${name(j)}`);
      i = j + 1;
    }
    return `${runs.join(",")} ${key}`;
  });
  return `${clauses.length ? clauses.join(", ") : "closed"}${suffix}`;
}

// ---------------------------------------------------------------------------
// Time zones

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      throw new RangeError(`Unknown time zone "${timeZone}".`);
    }
    formatters.set(timeZone, fmt);
  }
  return fmt;
}

/** True for names Intl knows (IANA zones such as "Europe/Berlin", and "UTC"). */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== "string" || timeZone.trim() === "") return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** UTC offset (local − UTC, ms) at an instant. tzdb offsets change on whole seconds, so we format whole seconds. */
function offsetAt(fmt: Intl.DateTimeFormat, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(whole)) p[part.type] = Number(part.value);
  const local = new Date(0);
  local.setUTCFullYear(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1); // not Date.UTC: it maps years 0–99 to 19xx
  local.setUTCHours(p.hour ?? 0, p.minute ?? 0, p.second ?? 0, 0);
  return local.getTime() - whole;
}

/** First whole second in (lo, hi] whose offset differs from `offset` (offset(lo) = offset, offset(hi) ≠ offset). */
function findTransition(fmt: Intl.DateTimeFormat, lo: number, hi: number, offset: number): number {
  let loS = Math.floor(lo / 1000);
  let hiS = Math.floor(hi / 1000);
  while (hiS - loS > 1) {
    const mid = Math.floor((loS + hiS) / 2);
    if (offsetAt(fmt, mid * 1000) === offset) loS = mid;
    else hiS = mid;
  }
  return hiS * 1000;
}

interface Segment {
  readonly startMs: number;
  readonly endMs: number;
  /** Local weekday of the whole segment (0 = Sunday). */
  readonly weekday: number;
  /** Local wall-clock ms after midnight at startMs; the segment spans [fromMsOfDay, fromMsOfDay + length). */
  readonly fromMsOfDay: number;
}

/**
 * Split [fromMs, toMs) into pieces within one local day and one UTC offset, so that inside a piece
 * wall-clock time advances exactly like real time. About one piece per day (two on a DST day).
 */
function* segments(fromMs: number, toMs: number, fmt: Intl.DateTimeFormat): Generator<Segment> {
  let t = fromMs;
  while (t < toMs) {
    const offset = offsetAt(fmt, t);
    const localDayStart = Math.floor((t + offset) / DAY_MS) * DAY_MS;
    let end = Math.min(toMs, localDayStart + DAY_MS - offset); // next local midnight if the offset holds
    if (end - 1 > t && offsetAt(fmt, end - 1) !== offset) end = findTransition(fmt, t, end - 1, offset);
    yield { startMs: t, endMs: end, weekday: new Date(localDayStart).getUTCDay(), fromMsOfDay: t + offset - localDayStart };
    t = end;
  }
}

function checkInstant(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number of epoch milliseconds.`);
}

// ---------------------------------------------------------------------------
// Arithmetic

/** Business minutes (fractional, ms precision) in [fromMs, toMs); 0 if toMs ≤ fromMs. */
export function businessMinutesBetween(fromMs: number, toMs: number, hours: BusinessHours, timeZone: string): number {
  checkInstant("fromMs", fromMs);
  checkInstant("toMs", toMs);
  const fmt = formatterFor(timeZone);
  let totalMs = 0;
  for (const seg of segments(fromMs, toMs, fmt)) {
    const segFrom = seg.fromMsOfDay;
    const segTo = segFrom + (seg.endMs - seg.startMs);
    for (const r of hours.days[seg.weekday] ?? []) {
      totalMs += Math.max(0, Math.min(segTo, r.end * MINUTE_MS) - Math.max(segFrom, r.start * MINUTE_MS));
    }
  }
  return totalMs / MINUTE_MS;
}

/** Give up after this long without any business time (impossible for a parsed spec; guards hand-made ones). */
const MAX_IDLE_MS = 366 * DAY_MS;

/**
 * The earliest instant T with businessMinutesBetween(startMs, T) = minutes (the SLA due time).
 * Outside business hours the clock starts at the next opening; with minutes = 0 the result is
 * that opening (or startMs itself when open). Landing exactly on a closing time returns the
 * closing time, not the next opening.
 * @throws RangeError for negative or non-finite minutes, Error if no business time within 366 days.
 */
export function addBusinessMinutes(startMs: number, minutes: number, hours: BusinessHours, timeZone: string): number {
  checkInstant("startMs", startMs);
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError("minutes must be a finite number ≥ 0.");
  const fmt = formatterFor(timeZone);
  let remainingMs = minutes * MINUTE_MS;
  let lastBusinessMs = startMs;
  for (const seg of segments(startMs, Infinity, fmt)) {
    if (seg.startMs - lastBusinessMs > MAX_IDLE_MS) {
      throw new Error(`No business time within 366 days after ${new Date(startMs).toISOString()}.`);
    }
    const segFrom = seg.fromMsOfDay;
    const segTo = segFrom + (seg.endMs - seg.startMs);
    for (const r of hours.days[seg.weekday] ?? []) {
      const lo = Math.max(segFrom, r.start * MINUTE_MS);
      const hi = Math.min(segTo, r.end * MINUTE_MS);
      if (hi <= lo) continue;
      if (remainingMs <= hi - lo) return seg.startMs + (lo - segFrom) + remainingMs;
      remainingMs -= hi - lo;
      lastBusinessMs = seg.endMs;
    }
  }
  throw new Error("unreachable: segments() is infinite");
}
