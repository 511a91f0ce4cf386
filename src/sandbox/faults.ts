/**
 * Fault injection: which request gets which fault, and what the faulty answers look like.
 * Rules are checked in the order they were added; a request one rule takes is not seen by the
 * rules after it, so three one-shot rules on the same path fault three requests in turn.
 */
import { STATUS_CODES } from "node:http";
import { type ErrorEntry, errorBody } from "./api-error.js";
import type { Fault, FaultRule } from "./types.js";

interface ActiveRule {
  rule: FaultRule;
  /** Matching requests this rule has seen (its `after` counts these). */
  seen: number;
}

export class FaultBook {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ rule, seen: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault for this request, if a rule matches and is within its after/times window. */
  take(method: string, path: string): Fault | undefined {
    for (const active of this.rules) {
      if (!matches(active.rule, method, path)) continue;
      const index = active.seen++;
      const after = active.rule.after ?? 0;
      if (index >= after && index < after + (active.rule.times ?? 1)) return active.rule.fault;
    }
    return undefined;
  }
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method) return false;
  if (rule.path === undefined) return true;
  if (typeof rule.path === "string") return rule.path === path;
  rule.path.lastIndex = 0; // a /g or /y RegExp would otherwise remember where it stopped
  return rule.path.test(path);
}

/** HelpCrunch's code and wording for an injected status, where it documents one. */
const KNOWN: Record<number, ErrorEntry> = {
  400: { code: "invalid_request", message: "Invalid request" },
  401: { code: "invalid_token", message: "Invalid token" },
  403: { code: "forbidden", message: "Forbidden" },
  404: { code: "not_found", message: "Not found" },
  429: { code: "too_many_requests", message: "You have exceeded your requests limit" },
};

/** The JSON error body for an injected status without a custom body. */
export function injectedErrorBody(status: number) {
  const entry = KNOWN[status] ?? { code: status >= 500 ? "server_error" : "error", message: STATUS_CODES[status] ?? `HTTP ${status}` };
  return errorBody(entry);
}

/** The page a proxy in front of the API (nginx, a load balancer) sends instead of JSON. */
export function htmlPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/**
 * A JSON text cut in half. A strict prefix of a JSON object or array never parses, because its
 * closing bracket is the last character; the cut is at least one character.
 */
export function truncatedJson(text: string): string {
  return text.slice(0, Math.max(1, Math.min(text.length - 1, Math.floor(text.length / 2))));
}
