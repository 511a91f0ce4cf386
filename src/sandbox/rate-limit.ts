/**
 * HelpCrunch's "120 requests per minute" as a rolling window per API key. No rate-limit headers and
 * no Retry-After are sent: none are documented. Only answered requests take a place in the window
 * [guess], so a client that waits out the window gets through again.
 */
export class RollingLimit {
  /** Per key, the arrival times (ms) of accepted requests inside the window, oldest first. */
  private readonly accepted = new Map<string, number[]>();

  constructor(
    /** Requests allowed per window; undefined or 0 switches the limit off. */
    public perWindow: number | undefined,
    private readonly windowMs: number,
  ) {}

  /** Takes a place in the window for `key`; false when the window is full (answer 429). */
  admit(key: string, now: number): boolean {
    if (!this.perWindow) return true;
    const times = (this.accepted.get(key) ?? []).filter((t) => t > now - this.windowMs);
    this.accepted.set(key, times);
    if (times.length >= this.perWindow) return false;
    times.push(now);
    return true;
  }
}
