/**
 * One Redis connection and its health. Every command is bounded (a command timeout, no offline
 * queue, no resend after a reconnect), so Redis can slow a tool call by at most COMMAND_TIMEOUT_MS,
 * never hang it. A failed command throws StoreUnavailable and pauses Redis use for PAUSE_MS, so an
 * unresponsive server costs one timeout per pause, not one per request. ONE warning per outage;
 * an info line when Redis answers again.
 */
import type { Redis } from "ioredis";
import type { Logger } from "../log.js";

/** The longest a Redis command may hold a tool call. */
export const COMMAND_TIMEOUT_MS = 1_500;
/** After a failed command, Redis is not tried again for this long (a reconnect ends the pause early). */
const PAUSE_MS = 5_000;

/** Redis could not answer: the caller falls back to this process's state (or refuses, for customer replies). */
export class StoreUnavailable extends Error {
  override name = "StoreUnavailable";
}

export class SharedStore {
  /** True from the first failure of an outage until Redis is ready again: the outage was warned about. */
  private down = false;
  private pausedUntil = 0;

  constructor(
    readonly redis: Redis,
    /** `helpcrunch-mcp:<hash of the API key>:`, prepended to every key. */
    readonly prefix: string,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    redis.on("error", (error: Error) => this.failed(error));
    redis.on("ready", () => this.recovered());
  }

  /** Whether a command is worth sending now. */
  get available(): boolean {
    return this.redis.status === "ready" && this.now() >= this.pausedUntil;
  }

  /** Runs `command`; any failure (or Redis not ready) becomes StoreUnavailable. */
  async run<T>(command: (redis: Redis) => Promise<T>): Promise<T> {
    if (!this.available) {
      this.failed(new Error(`not connected: ${this.redis.status}`), false);
      throw new StoreUnavailable("Redis is unavailable");
    }
    try {
      const result = await command(this.redis);
      if (this.down) this.recovered();
      return result;
    } catch (error) {
      const reason = error instanceof Error ? error : new Error(String(error));
      this.failed(reason);
      throw new StoreUnavailable(reason.message);
    }
  }

  /** Marks an outage; the first failure of each outage is logged, once. */
  failed(reason: Error, pause = true): void {
    if (pause) this.pausedUntil = this.now() + PAUSE_MS;
    if (this.down) return;
    this.down = true;
    this.log.warn(
      `Redis (HELPCRUNCH_REDIS_URL) is unavailable (${reason.message.slice(0, 200)}): the rate limit and the name cache fall back to this process, and customer-visible replies are refused until it answers again; retrying in the background.`,
    );
  }

  private recovered(): void {
    this.pausedUntil = 0;
    if (!this.down) return;
    this.down = false;
    this.log.info("Redis (HELPCRUNCH_REDIS_URL) answers again: the rate limit, the reply guard and the name cache are shared again.");
  }
}
