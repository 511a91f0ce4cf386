/** Fault rules: which request gets which fault, counted per rule. */
import type { Fault, FaultRule } from "./types.js";

interface ActiveRule {
  rule: FaultRule;
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
      const { rule } = active;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (rule.path !== undefined && (typeof rule.path === "string" ? rule.path !== path : !rule.path.test(path))) continue;
      const index = active.seen++;
      const after = rule.after ?? 0;
      if (index >= after && index < after + (rule.times ?? 1)) return rule.fault;
    }
    return undefined;
  }
}

/** HelpCrunch's error code for a status, for faults that give none. */
export function codeForStatus(status: number): string {
  if (status === 401) return "invalid_token";
  if (status === 404) return "not_found";
  if (status === 429) return "too_many_requests";
  if (status === 400) return "invalid_request";
  return "server_error";
}

/** Rolling-window request counter per key, as HelpCrunch's 120/min limit. */
export class RollingLimit {
  private readonly hits = new Map<string, number[]>();

  constructor(
    public perWindow: number | undefined,
    private readonly windowMs: number,
  ) {}

  /** Records the hit; true when it is over the limit. */
  exceeded(key: string, now: number): boolean {
    if (!this.perWindow) return false;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    recent.push(now);
    this.hits.set(key, recent);
    return recent.length > this.perWindow;
  }
}
