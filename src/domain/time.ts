/** Times out: ISO 8601 UTC without milliseconds, plus short human ages ("2h 15m"). */

export function isoUtc(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** How long ago, for freshness lines: seconds under a minute ("35s"), then as humanDuration. */
export function humanAgo(ms: number): string {
  return ms < 60_000 ? `${Math.max(0, Math.round(ms / 1000))}s` : humanDuration(ms);
}

/** 0m, 45m, 2h 15m, 3d 4h, 5w 2d: two units at most, enough for triage. */
export function humanDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return pair(hours, "h", minutes % 60, "m");
  const days = Math.floor(hours / 24);
  if (days < 14) return pair(days, "d", hours % 24, "h");
  return pair(Math.floor(days / 7), "w", days % 7, "d");
}

function pair(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor > 0 ? `${major}${majorUnit} ${minor}${minorUnit}` : `${major}${majorUnit}`;
}
