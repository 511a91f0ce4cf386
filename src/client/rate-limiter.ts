/**
 * Client-side rate limiting shared by every call of one client.
 *
 * HelpCrunch allows 120 requests per rolling minute. A classic token bucket (burst N, refill N per
 * minute) can start 2N requests inside one rolling window, earning 429s; a sliding-window log never
 * lets more than N into any window. HelpCrunch counts a request when it *arrives*, somewhere between
 * our start and our completion, so each log entry holds the completion time (in flight = now):
 * a new request starting a full window after an old one completed cannot share its window.
 * A concurrency cap bounds requests in flight on top of that.
 */
import { sleep } from "./retry.js";

export class RateLimiter {
  /** One entry per request in the current window: its completion time, Infinity while in flight. */
  private readonly log: Array<{ doneAt: number }> = [];
  private readonly windowMs: number;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly perWindow: number,
    windowMs: number,
    private readonly maxConcurrency: number,
    private readonly now: () => number = Date.now,
  ) {
    this.windowMs = Math.ceil(windowMs * 1.02);
  }

  /** Waits for a concurrency slot and a window slot; call `release` when the request ends. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    await this.slot(signal);
    let entry: { doneAt: number };
    try {
      // Serialise window bookkeeping so concurrent acquirers cannot both take the last place.
      const turn = this.queue.then(() => this.waitForWindow(signal));
      this.queue = turn.then(
        () => undefined,
        () => undefined,
      );
      entry = await turn;
    } catch (error) {
      this.release();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.doneAt = this.now();
      this.release();
    };
  }

  private async waitForWindow(signal?: AbortSignal): Promise<{ doneAt: number }> {
    for (;;) {
      const now = this.now();
      for (let i = this.log.length - 1; i >= 0; i--) if ((this.log[i] as { doneAt: number }).doneAt <= now - this.windowMs) this.log.splice(i, 1);
      if (this.log.length < this.perWindow) {
        const entry = { doneAt: Number.POSITIVE_INFINITY };
        this.log.push(entry);
        return entry;
      }
      const oldest = Math.min(...this.log.map((e) => e.doneAt));
      // All places held by requests still in flight: look again shortly.
      await sleep(Number.isFinite(oldest) ? oldest + this.windowMs - now + 1 : 10, signal);
    }
  }

  private async slot(signal?: AbortSignal): Promise<void> {
    if (this.inFlight < this.maxConcurrency) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next(); // hand the slot over directly; inFlight stays the same
    else this.inFlight--;
  }
}
