/**
 * A per-call cap on HelpCrunch requests. HelpCrunch's limit is per key (120 a minute): one read that
 * pages through thousands of chats would spend most of it and leave the next call a rate-limit
 * error, so a read spends at most its budget and answers with what it fetched by then.
 *
 * The HTTP layer takes one unit per attempt (a retry counts against HelpCrunch's limit like any
 * request) before it waits for the rate limiter; a refused request is never sent.
 */
import { HelpCrunchError } from "./errors.js";

export class RequestBudget {
  private spent = 0;
  private refused = false;

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new Error("RequestBudget: the limit must be at least 1");
  }

  /** Takes one request; false when none is left (remembered: the call's answer is then partial). */
  take(): boolean {
    if (this.spent >= this.limit) {
      this.refused = true;
      return false;
    }
    this.spent++;
    return true;
  }

  /** True once a request was refused: something the call wanted was not fetched. */
  get exhausted(): boolean {
    return this.refused;
  }
}

/** The error for a request the budget refused; paging code stops on it and keeps what it has. */
export function budgetSpent(line: string, limit: number): HelpCrunchError {
  return new HelpCrunchError({
    kind: "budget",
    message: `This call used its budget of ${limit} HelpCrunch requests before ${line}; nothing more was sent. Narrow the request and try again.`,
    request: line,
  });
}

export function isBudgetSpent(error: unknown): boolean {
  return error instanceof HelpCrunchError && error.kind === "budget";
}
