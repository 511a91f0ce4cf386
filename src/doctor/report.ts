/** The doctor's report as a person reads it: one line per endpoint, then the dialect with its evidence. */
import type { DoctorReport } from "./checks.js";

export function formatReport(report: DoctorReport): string {
  const lines = [`HelpCrunch account check (${report.baseUrl}) — read-only, nothing was changed`, "", "Endpoints:"];
  for (const e of report.endpoints) {
    const mark = e.ok ? "✓" : e.required ? "✗" : "!";
    const facts = [e.status ? `HTTP ${e.status}` : undefined, e.ms !== undefined ? `${e.ms} ms` : undefined, e.envelope]
      .filter(Boolean)
      .join(", ");
    lines.push(`  ${mark} ${e.endpoint.padEnd(26)} ${facts}${e.error ? ` — ${e.error}` : ""}`);
    lines.push(`      used by: ${e.usedFor}${e.required ? "" : " (optional)"}`);
  }
  const { statusFilter, snoozedUntil, onHoldSpelling, searchSort, requests } = report.dialect;
  lines.push("", "Dialect learned:");
  lines.push(`  status filter: ${statusFilterLine(report)}`);
  for (const line of statusFilter.evidence) lines.push(`      ${line}`);
  lines.push(
    `  snoozedUntil: ${snoozedUntil.learned ? `${snoozedUntil.encoding} (learned)` : `sent as ${snoozedUntil.encoding} until a write shows otherwise (learned on the first snooze, which doctor does not make)`}`,
  );
  lines.push(
    `  on-hold write: ${onHoldSpelling.learned ? `"${onHoldSpelling.spelling}" (learned)` : `"${onHoldSpelling.spelling}" first, then the other spellings, learned on the first write`}`,
  );
  const sorts = Object.entries(searchSort);
  lines.push(
    `  search sort: ${sorts.length ? sorts.map(([from, to]) => `${from} refused, ${to} used`).join("; ") : "as requested (no refusal seen)"}`,
  );
  lines.push(`  requests spent learning: ${requests.probes} probe(s), ${requests.fallbacks} fallback(s)`);
  lines.push("", `Timestamp encodings seen: ${report.timestampEncodings.join(", ") || "none"}`);
  const headers = Object.entries(report.rateLimitHeaders);
  lines.push(
    `Rate-limit headers seen: ${headers.length ? headers.map(([k, v]) => `${k}: ${v}`).join(", ") : "none (the client keeps to 120 requests/min on its own)"}`,
  );
  lines.push("");
  if (report.ok) lines.push("Result: OK — every endpoint the tools need answered.");
  else lines.push("Result: PROBLEMS", ...report.problems.map((p) => `  - ${p}`));
  return `${lines.join("\n")}\n`;
}

function statusFilterLine(report: DoctorReport): string {
  const { encoding, values } = report.dialect.statusFilter;
  if (encoding === "name") return "status names";
  if (encoding === "unknown") return "not learned (names sent, results guarded)";
  return `numeric codes: ${Object.entries(values)
    .map(([status, code]) => `${code} = ${status}`)
    .join(", ")}`;
}
