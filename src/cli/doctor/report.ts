/**
 * The doctor's report as a person reads it: a header, one line per endpoint, then the dialect with
 * its evidence, in three parts so each endpoint line can be printed as soon as its check ends.
 */
import type { DoctorReport, EndpointCheck } from "./checks.js";

/** Printed before the first check; `baseUrl` as it should be shown (credentials redacted). */
export function reportHeader(baseUrl: string, timeoutSeconds: number): string {
  return `HelpCrunch account check (${baseUrl}) — read-only, nothing was changed; stops after ${timeoutSeconds} s\n\nEndpoints:\n`;
}

export function formatCheck(e: EndpointCheck): string {
  const mark = e.ok ? "✓" : e.required || e.timedOut ? "✗" : "!";
  const facts = [e.status ? `HTTP ${e.status}` : undefined, e.ms !== undefined ? `${e.ms} ms` : undefined, e.envelope]
    .filter(Boolean)
    .join(", ");
  return `  ${mark} ${e.endpoint.padEnd(26)} ${facts}${e.error ? ` — ${e.error}` : ""}\n      used by: ${e.usedFor}${e.required ? "" : " (optional)"}\n`;
}

/** Everything after the endpoint lines. */
export function reportTail(report: DoctorReport): string {
  const lines: string[] = [];
  const { statusFilter, snoozedUntil, onHoldSpelling, searchSort, searchOrders, requests } = report.dialect;
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
  const orders = Object.entries(searchOrders);
  lines.push(
    `  search orders (triage's exact top needs lastCustomerMessageAt asc): ${orders.length ? orders.map(([order, kept]) => `${order} ${kept ? "kept" : "NOT kept"}`).join("; ") : "not checked yet"}`,
  );
  lines.push(`  requests spent learning: ${requests.probes} probe(s), ${requests.fallbacks} fallback(s)`);
  if (report.team) {
    const yesNo = (v: boolean | null) => (v === null ? "unknown" : v ? "yes" : "no");
    lines.push("", `Team: an agent online: ${yesNo(report.team.teamOnline)}; chat widget on: ${yesNo(report.team.chatEnabled)}`);
  }
  if (report.liveQueue) lines.push("", `Live queue: ${report.liveQueue.summary}`);
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
