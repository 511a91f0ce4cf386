/**
 * Progress notifications for one tool call, shaped so that none can reach a client after the result.
 *
 * The SDK clients dispatch a notification in a microtask but a response synchronously; when the last
 * notification and the result arrive in one read, the client has already forgotten the token and
 * reports "unknown token" (Claude Code has closed the transport on that). So: the final step is never
 * announced (the result says it), nothing is sent once the call is answering or cancelled, and the
 * result waits until the last notification has been written and a short quiet gap has passed.
 */
export type SendProgress = (params: { progress: number; total?: number; message?: string }) => Promise<void>;

/** Gap between the last notification and the result, so they never share one read of the pipe. */
export const QUIET_BEFORE_RESULT_MS = 25;
/** At most one "waiting…" notification per this interval: a queue of requests must not flood the client. */
const WAIT_NOTICE_INTERVAL_MS = 1_000;

export class CallProgress {
  private last = 0;
  private total: number | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private lastWaitNoticeAt = Number.NEGATIVE_INFINITY;
  private written: Promise<void> = Promise.resolve();
  private answering = false;

  /** `send` is undefined when the client gave no progressToken: every method is then a no-op. */
  constructor(
    private readonly send: SendProgress | undefined,
    private readonly signal: AbortSignal,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** `done` of `total` steps; the final step (done ≥ total) is left to the result. Values only increase. */
  step(done: number, total?: number, message?: string): void {
    if (total !== undefined && done >= total) return;
    if (done <= this.last) return;
    this.emit(done, total ?? this.total, message);
  }

  /** A wait the client would otherwise sit through in silence (rate limit, Retry-After). */
  waiting(waitMs: number, reason: string): void {
    this.notice(`waiting ${Math.ceil(waitMs / 1000)} s for ${reason}`);
  }

  /** A sign of life without a step done, e.g. while a person answers a form. At most one a second. */
  notice(message: string): void {
    const now = this.clock();
    if (now - this.lastWaitNoticeAt < WAIT_NOTICE_INTERVAL_MS) return;
    // Progress must increase: go halfway to the next whole step, so the next real step stays above it.
    const next = this.last + (Math.floor(this.last) + 1 - this.last) / 2;
    if (!(next > this.last)) return;
    this.lastWaitNoticeAt = now;
    this.emit(next, this.total, message);
  }

  /** Call before the result is sent: later notifications are dropped, written ones are given time to be read first. */
  async answer(): Promise<void> {
    this.answering = true;
    await this.written;
    const quiet = QUIET_BEFORE_RESULT_MS - (this.clock() - this.lastSentAt);
    if (quiet > 0) await new Promise((resolve) => setTimeout(resolve, quiet));
  }

  private emit(progress: number, total: number | undefined, message: string | undefined): void {
    if (!this.send || this.answering || this.signal.aborted) return;
    const send = this.send;
    this.last = progress;
    this.total = total;
    this.lastSentAt = this.clock();
    // Serialised so notifications leave in order, and `answer` can wait for the last one.
    this.written = this.written
      .then(() => send({ progress, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) }))
      .catch(() => undefined)
      .then(() => {
        this.lastSentAt = this.clock();
      });
  }
}
