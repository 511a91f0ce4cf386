/**
 * The duplicate-reply guard in Redis, shared by every process using the API key: a reply sent
 * through one process and retried through another is refused, and so is a retry after an unknown
 * outcome (the reservation is kept, whichever process asks next).
 *
 * One key per (chat, audience, normalised text), named by a hash of it (the text never becomes a key),
 * holding "<epoch ms>:<random token>" for the duplicate window (PX). Reserving is one Lua script
 * (check and set, or set over an earlier one with allow_duplicate); releasing deletes the key only
 * while it still holds the caller's own token, so a failed send never frees someone else's reservation.
 *
 * Every reservation is also kept in this process (LocalReplyGuard): what a process sent itself stays
 * refused for the window even when Redis restarts empty or loses it. Redis unavailable: private notes
 * go on this process's guard alone; a customer-visible message is refused (fail closed), because the
 * guard cannot tell whether another process just sent it.
 */
import { createHash, randomBytes } from "node:crypto";
import { type Audience, DUPLICATE_WINDOW_MS, LocalReplyGuard, type ReplyGuard, type Reserved, replyKey } from "../services/reply-guard.js";
import { ToolError } from "../tool-error.js";
import { type SharedStore, StoreUnavailable } from "./store.js";

export const UNCHECKED_REPLY =
  "Not sent: Redis (HELPCRUNCH_REDIS_URL) cannot be reached, so the duplicate-reply guard cannot check this customer-visible message against the other server processes; try again when Redis is back (private notes still work).";

/** KEYS[1] the reservation; ARGV: value, window ms, force ("1"). Returns the blocking value, or false when reserved. */
export const RESERVE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current and ARGV[3] ~= '1' then return current end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false
`;

/** KEYS[1] the reservation; ARGV[1] the caller's value. Deletes it only if it is still the caller's. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

interface Scripts {
  helpcrunchReserve(key: string, value: string, windowMs: number, force: string): Promise<string | null>;
  helpcrunchRelease(key: string, value: string): Promise<number>;
}

export class SharedReplyGuard implements ReplyGuard {
  private readonly local: LocalReplyGuard;

  constructor(
    private readonly store: SharedStore,
    private readonly now: () => number = Date.now,
    private readonly windowMs = DUPLICATE_WINDOW_MS,
  ) {
    this.local = new LocalReplyGuard(now, windowMs);
    store.redis.defineCommand("helpcrunchReserve", { numberOfKeys: 1, lua: RESERVE_SCRIPT });
    store.redis.defineCommand("helpcrunchRelease", { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  }

  async previous(chatId: number, audience: Audience, text: string): Promise<number | undefined> {
    // This process's own record first: it survives a Redis restart that forgot the shared one.
    const local = await this.local.previous(chatId, audience, text);
    if (local !== undefined) return local;
    try {
      const value = await this.store.run((redis) => redis.get(this.key(chatId, audience, text)));
      return value === null ? undefined : sentAt(value);
    } catch (error) {
      return this.fallBack(error, audience, () => undefined);
    }
  }

  /**
   * Reserves here, then in Redis. The process remembers what it sent itself, so a Redis that
   * restarted empty cannot let this process send the same reply twice; Redis adds the other processes.
   */
  async reserve(chatId: number, audience: Audience, text: string, force = false): Promise<Reserved> {
    const local = await this.local.reserve(chatId, audience, text, force);
    if (!local.ok) return local;
    const key = this.key(chatId, audience, text);
    const value = `${this.now()}:${randomBytes(8).toString("hex")}`;
    let blocking: string | null;
    try {
      blocking = await this.store.run((redis) =>
        (redis as unknown as Scripts).helpcrunchReserve(key, value, this.windowMs, force ? "1" : "0"),
      );
    } catch (error) {
      try {
        return this.fallBack(error, audience, () => local); // a private note keeps the local reservation
      } catch (refused) {
        await local.release();
        throw refused;
      }
    }
    if (blocking !== null) {
      await local.release();
      return { ok: false, previous: sentAt(blocking) };
    }
    return {
      ok: true,
      // If Redis is gone by then, the reservation stays until the window ends: a refused retry, never a double send.
      release: async () => {
        await local.release();
        await this.store
          .run((redis) => (redis as unknown as Scripts).helpcrunchRelease(key, value))
          .then(
            () => undefined,
            () => undefined,
          );
      },
    };
  }

  private fallBack<T>(error: unknown, audience: Audience, local: () => T): T {
    if (!(error instanceof StoreUnavailable)) throw error;
    if (audience === "customer") throw new ToolError(UNCHECKED_REPLY);
    return local();
  }

  private key(chatId: number, audience: Audience, text: string): string {
    return `${this.store.prefix}reply:${createHash("sha256")
      .update(replyKey(chatId, audience, text))
      .digest("hex")
      .slice(0, 32)}`;
  }
}

/** The epoch ms a reservation value records; an unreadable one counts as just now (it still blocks). */
function sentAt(value: string): number {
  const at = Number(value.split(":", 1)[0]);
  return Number.isFinite(at) && at > 0 ? at : Date.now();
}
