/** Wall-clock times in a named time zone, in the browser (Intl only). */

/** Minutes `zone` is ahead of UTC at `epochMs`. */
function offsetMinutes(epochMs: number, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(epochMs))
      .map((p) => [p.type, Number(p.value)]),
  );
  const asUtc = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60_000);
}

/** Tomorrow at `hour`:00 in `zone`, as ISO 8601 UTC (what snooze_chat's `until` takes). */
export function tomorrowAt(hour: number, zone: string, now = Date.now()): string {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(now),
  );
  const [y, m, d] = today.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d + 1, hour);
  // The offset at that very moment (daylight saving may change overnight): one correction step.
  const guess = wall - offsetMinutes(wall, zone) * 60_000;
  return new Date(wall - offsetMinutes(guess, zone) * 60_000).toISOString();
}

/** "2026-11-25" in `zone`. */
export function dayIn(epochMs: number, zone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(epochMs);
}

/** Every calendar day in `zone` that [fromMs, toMs) touches, in order, as "2026-11-25". */
export function daysBetween(fromMs: number, toMs: number, zone: string): string[] {
  const last = dayIn(toMs - 1, zone);
  const [y, m, d] = dayIn(fromMs, zone).split("-").map(Number) as [number, number, number];
  const days: string[] = [];
  // Calendar arithmetic on the date alone: a day is a day, whatever daylight saving does to its length.
  for (let i = 0; days.at(-1) !== last && i < 3_700; i++) days.push(new Date(Date.UTC(y, m - 1, d + i)).toISOString().slice(0, 10));
  return days;
}
