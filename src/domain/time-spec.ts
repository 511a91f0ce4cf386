/**
 * Times in: ISO 8601 (`2026-11-25T09:00:00Z`, `2026-11-25`) or a relative duration (`30m`, `2h`,
 * `3d`, `1w`, combinations like `1h30m`). A duration points forward for `until` and back for
 * `created_after`/`created_before`.
 *
 * Bounded: a duration is at most 10 years, and so is the distance of an ISO time from now (the API's
 * history and any sensible snooze fit; beyond, `new Date()` overflows or the filter silently means
 * nothing). A time outside is refused naming the parameter.
 */
import { ToolError } from "../tool-error.js";

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(?:\d+[smhdw])+$/;
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The longest duration, and the farthest from now a time may be: 10 years of 365.25 days. */
export const MAX_SPAN_MS = 10 * 365.25 * 86_400_000;

/** Milliseconds, or undefined when `text` is not a duration. May exceed MAX_SPAN_MS (even be Infinity): callers check. */
export function parseDurationMs(text: string): number | undefined {
  const compact = text.trim().toLowerCase().replace(/\s+/g, "");
  if (!DURATION.test(compact)) return undefined;
  let total = 0;
  for (const [, n, unit] of compact.matchAll(/(\d+)([smhdw])/g)) total += Number(n) * (UNIT_MS[unit as string] as number);
  return total;
}

/** Epoch ms for `input`; durations are added to (`future`) or taken from (`past`) `now`. */
export function parseTimeSpec(input: string, now: number, direction: "future" | "past", param: string): number {
  const shown = input.slice(0, 40);
  const duration = parseDurationMs(input);
  if (duration !== undefined) {
    if (duration > MAX_SPAN_MS)
      throw new ToolError(`${param} "${shown}" is more than 10 years; give a duration of at most 10 years (e.g. 520w).`);
    return direction === "future" ? now + duration : now - duration;
  }
  const text = input.trim();
  if (ISO.test(text)) {
    // A date or time without a zone means UTC: the server's clock zone must not change the meaning.
    const zoned = /T|\s/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? `${text.replace(" ", "T")}Z` : text;
    const ms = Date.parse(zoned.length === 10 ? `${zoned}T00:00:00Z` : zoned);
    if (Number.isFinite(ms)) {
      if (Math.abs(ms - now) > MAX_SPAN_MS)
        throw new ToolError(`${param} "${shown}" is too far from now; give a time within 10 years of today.`);
      return ms;
    }
  }
  throw new ToolError(
    `${param} "${input.slice(0, 40)}" is not a time. Use ISO 8601 (2026-11-25T09:00:00Z or 2026-11-25) or a duration like 30m, 2h, 3d, 1w.`,
  );
}
