/**
 * Client-side rate limiting shared by every call of one client, so a burst queues here instead of
 * earning 429s there.
 *
 * HelpCrunch allows 120 requests per rolling minute. A classic token bucket (burst N, refill N per
 * minute) can start 2N requests inside one rolling window; a sliding-window log never lets more than
 * N into any window. HelpCrunch counts a request when it *arrives*, somewhere between our start and
 * our completion, so each log entry holds the completion time (Infinity while in flight): a request
 * starting a full window after an earlier one completed cannot share a window with it. The window
 * is stretched by 2% to absorb clock and network jitter. A concurrency cap bounds requests in
 * flight on top of that.
 *
 * Where the log lives is a RateWindow: this process's memory by default (LocalWindow), or Redis when
 * several processes share one API key (src/shared-state/rate-window.ts). The concurrency cap is
 * always this process's own.
 */
import { sleep } from "./retry.js";

/** Stretch of the window against jitter between our clock and HelpCrunch's. */
const SAFETY_MARGIN = 0.02;

/** The window actually enforced for a nominal one: stretched by the safety margin. */
export function stretchedWindow(windowMs: number): number {
  return Math.ceil(windowMs * (1 + SAFETY_MARGIN));
}

interface LogEntry {
  /** When the request ended; Infinity while it is in flight. */
  doneAt: number;
}

/** The window would hold the request past the caller's deadline; thrown before waiting at all. */
export class WaitPastDeadline extends Error {
  constructor(readonly waitMs: number) {
    super(`the rate limit would hold this request for ${waitMs} ms, past the deadline`);
    this.name = "WaitPastDeadline";
  }
}

export interface AcquireOptions {
  /** Epoch ms (same clock as `now`): a known wait ending past it throws WaitPastDeadline instead. */
  deadline?: number;
  /** Told before each known wait, e.g. to send a progress notification. */
  onWait?: (waitMs: number, reason: string) => void;
}

/**
 * The rolling window's log: where a request takes its place and marks its end. RateLimiter calls
 * `take` for one request at a time per process, after the request got a concurrency slot.
 */
export interface RateWindow {
  /**
   * Waits until the window has a place, takes it, and returns the function that marks the request
   * ended. Rejects with the signal's reason when it aborts, or WaitPastDeadline.
   */
  take(signal: AbortSignal | undefined, options: AcquireOptions): Promise<() => void>;
}

/** The sliding-window log in this process's memory. */
export class LocalWindow implements RateWindow {
  private readonly log: LogEntry[] = [];
  private readonly windowMs: number;
  /** Callers waiting for an in-flight request to end because every window place is held by one. */
  private releaseWaiters: Array<() => void> = [];

  constructor(
    private readonly perWindow: number,
    windowMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    if (!(perWindow >= 1) || !(windowMs > 0)) throw new Error("RateLimiter: limits must be positive");
    this.windowMs = stretchedWindow(windowMs);
  }

  async take(signal: AbortSignal | undefined, options: AcquireOptions): Promise<() => void> {
    const entry = await this.takePlace(signal, options);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.doneAt = this.now();
      const waiters = this.releaseWaiters;
      this.releaseWaiters = [];
      for (const wake of waiters) wake();
    };
  }

  private async takePlace(signal: AbortSignal | undefined, options: AcquireOptions): Promise<LogEntry> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const now = this.now();
      this.forgetBefore(now - this.windowMs);
      if (this.log.length < this.perWindow) {
        const entry = { doneAt: Number.POSITIVE_INFINITY };
        this.log.push(entry);
        return entry;
      }
      const oldest = Math.min(...this.log.map((e) => e.doneAt));
      if (Number.isFinite(oldest)) {
        const waitMs = oldest + this.windowMs - now + 1;
        if (options.deadline !== undefined && now + waitMs >= options.deadline) throw new WaitPastDeadline(waitMs);
        options.onWait?.(waitMs, "HelpCrunch's rate limit");
        await sleep(waitMs, signal);
      } else await parkUntilWoken(this.releaseWaiters, signal); // every place is held by a request still in flight
    }
  }

  private forgetBefore(cutoff: number): void {
    for (let i = this.log.length - 1; i >= 0; i--) if ((this.log[i] as LogEntry).doneAt <= cutoff) this.log.splice(i, 1);
  }
}

export class RateLimiter {
  private inFlight = 0;
  /** Callers waiting for a concurrency slot, first come first served. */
  private readonly slotWaiters: Array<() => void> = [];
  /** Serialises window bookkeeping so two acquirers cannot both take the last place. */
  private queue: Promise<void> = Promise.resolve();
  private readonly window: RateWindow;

  /** `window` replaces the in-process log (e.g. one in Redis shared by several processes); perWindow and windowMs then go unused. */
  constructor(
    perWindow: number,
    windowMs: number,
    private readonly maxConcurrency: number,
    now: () => number = () => Date.now(),
    window?: RateWindow,
  ) {
    if (!(perWindow >= 1) || !(maxConcurrency >= 1) || !(windowMs > 0)) throw new Error("RateLimiter: limits must be positive");
    this.window = window ?? new LocalWindow(perWindow, windowMs, now);
  }

  /** Requests holding a concurrency slot right now. */
  get active(): number {
    return this.inFlight;
  }

  /** Waits for a concurrency slot and a window place; call `release` when the request ends. */
  async acquire(signal?: AbortSignal, options: AcquireOptions = {}): Promise<() => void> {
    await this.slot(signal);
    let done: () => void;
    try {
      const turn = this.queue.then(() => this.window.take(signal, options));
      this.queue = turn.then(
        () => undefined,
        () => undefined,
      );
      done = await turn;
    } catch (error) {
      this.releaseSlot();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      done();
      this.releaseSlot();
    };
  }

  private async slot(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    if (this.inFlight < this.maxConcurrency) {
      this.inFlight++;
      return;
    }
    await parkUntilWoken(this.slotWaiters, signal);
  }

  private releaseSlot(): void {
    const next = this.slotWaiters.shift();
    if (next)
      next(); // hand the slot over directly; inFlight stays the same
    else this.inFlight--;
  }
}

/** Parks the caller in `waiters` until woken, or rejects (and unparks) when `signal` aborts. */
function parkUntilWoken(waiters: Array<() => void>, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const wake = () => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    };
    const onAbort = () => {
      const index = waiters.indexOf(wake);
      if (index >= 0) waiters.splice(index, 1);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    waiters.push(wake);
  });
}
