/**
 * The rate limiter's sliding-window log in Redis: ONE budget per API key for every process using it,
 * so N processes together never start more than the limit in any rolling window.
 *
 * The log is a sorted set with one member per request, scored with the time the request ended, as
 * in the in-process log (rate-limiter.ts): HelpCrunch counts a request somewhere between its start
 * and its end, so the end is the safe time. While a request is in flight its score is a lease end
 * (start + lease, longer than any request can take) instead of infinity, so a process that dies
 * mid-request frees its place after lease + window instead of never. All times come from Redis's
 * clock (TIME, inside the scripts), so processes on hosts whose clocks disagree share one timeline.
 * Checking the count and adding the member is one Lua script: atomic, no two processes can take the
 * last place.
 *
 * Each process also keeps its own in-process log of the same requests: when Redis becomes
 * unavailable the limiter falls back to it (fail open: each process then keeps within the limit on
 * its own), already knowing this process's recent requests.
 */
import { randomUUID } from "node:crypto";
import { type AcquireOptions, LocalWindow, type RateWindow, stretchedWindow, WaitPastDeadline } from "../helpcrunch/rate-limiter.js";
import { sleep } from "../helpcrunch/retry.js";
import { type SharedStore, StoreUnavailable } from "./store.js";

/** How often to look again when every place in the window is held by a request still in flight (in any process). */
const POLL_MS = 100;

/**
 * KEYS[1] the log. ARGV: places per window, window ms, lease ms, this request's id.
 * Returns {1, 0}: the place is taken; {0, ms}: the oldest place frees in ms; {0, -1}: every place is
 * held by a request in flight.
 */
export const TAKE_SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, window, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window + lease)
  return {1, 0}
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
if oldest <= now then return {0, oldest + window - now + 1} end
return {0, -1}
`;

/** KEYS[1] the log, ARGV[1] the request's id: the request ended now (if its place is still in the log). */
export const END_SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
`;

interface Scripts {
  helpcrunchTake(key: string, limit: number, windowMs: number, leaseMs: number, id: string): Promise<[number, number]>;
  helpcrunchEnd(key: string, id: string): Promise<number>;
}

export function defineRateScripts(store: SharedStore): void {
  store.redis.defineCommand("helpcrunchTake", { numberOfKeys: 1, lua: TAKE_SCRIPT });
  store.redis.defineCommand("helpcrunchEnd", { numberOfKeys: 1, lua: END_SCRIPT });
}

export interface RedisWindowOptions {
  perWindow: number;
  /** Nominal window; stretched by the same safety margin as the in-process one. */
  windowMs: number;
  /** Longer than any request can take (the client's request timeout and then some). */
  leaseMs: number;
  now?: () => number;
  /** The log's key after the prefix: `rate` (HelpCrunch's limit) unless a budget inside it has its own. */
  name?: string;
}

export class RedisWindow implements RateWindow {
  private readonly local: LocalWindow;
  private readonly key: string;
  private readonly windowMs: number;
  private readonly instance = randomUUID();
  private sequence = 0;

  constructor(
    private readonly store: SharedStore,
    private readonly options: RedisWindowOptions,
  ) {
    if (!(options.perWindow >= 1) || !(options.windowMs > 0) || !(options.leaseMs > 0))
      throw new Error("RedisWindow: limits must be positive");
    this.local = new LocalWindow(options.perWindow, options.windowMs, options.now);
    this.key = `${store.prefix}${options.name ?? "rate"}`;
    this.windowMs = stretchedWindow(options.windowMs);
    defineRateScripts(store);
  }

  async take(signal: AbortSignal | undefined, options: AcquireOptions): Promise<() => void> {
    const shared = await this.takeShared(signal, options);
    let local: () => void;
    try {
      local = await this.local.take(signal, options);
    } catch (error) {
      // Never sent: give the place back instead of holding it for a window.
      if (shared) void this.store.run((redis) => redis.zrem(this.key, shared)).catch(() => {});
      throw error;
    }
    return () => {
      local();
      if (shared) void this.store.run((redis) => (redis as unknown as Scripts).helpcrunchEnd(this.key, shared)).catch(() => {});
    };
  }

  /** The request's id once it holds a place in Redis; undefined when Redis is unavailable (fail open). */
  private async takeShared(signal: AbortSignal | undefined, options: AcquireOptions): Promise<string | undefined> {
    const id = `${this.instance}:${++this.sequence}`;
    const now = this.options.now ?? Date.now;
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      let granted: number;
      let waitMs: number;
      try {
        [granted, waitMs] = await this.store.run((redis) =>
          (redis as unknown as Scripts).helpcrunchTake(this.key, this.options.perWindow, this.windowMs, this.options.leaseMs, id),
        );
      } catch (error) {
        if (error instanceof StoreUnavailable) return undefined;
        throw error;
      }
      if (granted === 1) return id;
      if (waitMs >= 0) {
        if (options.deadline !== undefined && now() + waitMs >= options.deadline) throw new WaitPastDeadline(waitMs);
        options.onWait?.(waitMs, "HelpCrunch's rate limit");
      }
      await sleep(waitMs >= 0 ? waitMs : POLL_MS, signal);
    }
  }
}
