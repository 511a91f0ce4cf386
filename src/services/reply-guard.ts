/**
 * No double replies: an agent that retries after an unknown outcome, or two identical calls in
 * parallel, must not message the customer twice. A send reserves (chat, audience, normalised text)
 * before POST /messages with one atomic check-and-set, so a parallel twin is refused; the reservation
 * is released only when the send certainly failed before reaching HelpCrunch, and kept for the window
 * on any outcome that may have landed (a retry after an unknown outcome is refused). Release removes
 * only the caller's own reservation, never a later one. In this process (LocalReplyGuard), or in Redis
 * for every process sharing the API key (src/shared-state/shared-reply-guard.ts).
 */
import { type Audience, replyKey } from "../domain/same-reply.js";

export const DUPLICATE_WINDOW_MS = 10 * 60_000;

/** A private note and a customer reply with the same text are different messages. */
export type { Audience };
export { replyKey };

/** Either the message is now reserved (release it if the send certainly failed), or the epoch ms of the one blocking it. */
export type Reserved = { ok: true; release(): Promise<void> } | { ok: false; previous: number };

export interface ReplyGuard {
  /** Epoch ms of the earlier identical message still inside the window, if any. */
  previous(chatId: number, audience: Audience, text: string): Promise<number | undefined>;
  /**
   * Check-and-set in one atomic step. `force` reserves even over an earlier one (allow_duplicate).
   * The shared guard rejects with a ToolError when it cannot check a customer-visible message.
   */
  reserve(chatId: number, audience: Audience, text: string, force?: boolean): Promise<Reserved>;
}

export class LocalReplyGuard implements ReplyGuard {
  private readonly sent = new Map<string, { at: number; token: object }>();

  constructor(
    private readonly now: () => number,
    private readonly windowMs = DUPLICATE_WINDOW_MS,
  ) {}

  async previous(chatId: number, audience: Audience, text: string): Promise<number | undefined> {
    return this.previousNow(replyKey(chatId, audience, text));
  }

  async reserve(chatId: number, audience: Audience, text: string, force = false): Promise<Reserved> {
    // Synchronous from the check to the set: a parallel twin cannot slip in between.
    const key = replyKey(chatId, audience, text);
    const previous = this.previousNow(key);
    if (previous !== undefined && !force) return { ok: false, previous };
    const token = {};
    this.sent.set(key, { at: this.now(), token });
    return {
      ok: true,
      release: async () => {
        if (this.sent.get(key)?.token === token) this.sent.delete(key);
      },
    };
  }

  private previousNow(key: string): number | undefined {
    const cutoff = this.now() - this.windowMs;
    for (const [k, entry] of this.sent) if (entry.at < cutoff) this.sent.delete(k);
    return this.sent.get(key)?.at;
  }
}
