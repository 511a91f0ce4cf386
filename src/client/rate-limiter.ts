/**
 * Client-side rate limiting shared by every call of one client.
 *
 * HelpCrunch allows 120 requests per rolling minute. A classic token bucket (burst N, refill N per
 * minute) can start 2N requests inside one rolling window, earning 429s; a sliding-window log never
 * starts more than N in any window. A small margin absorbs the gap between our clock and theirs.
 * A concurrency cap bounds requests in flight on top of that.
 */
import { sleep } from "./retry.js";

export class RateLimiter {
  private readonly starts: number[] = [];
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
    try {
      // Serialise window bookkeeping so concurrent acquirers cannot both take the last start.
      const turn = this.queue.then(() => this.waitForWindow(signal));
      this.queue = turn.catch(() => undefined);
      await turn;
    } catch (error) {
      this.release();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  private async waitForWindow(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.starts.length > 0 && (this.starts[0] as number) <= now - this.windowMs) this.starts.shift();
      if (this.starts.length < this.perWindow) {
        this.starts.push(now);
        return;
      }
      await sleep((this.starts[0] as number) + this.windowMs - now + 1, signal);
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
