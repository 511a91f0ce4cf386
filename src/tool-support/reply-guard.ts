/**
 * No double replies: an agent that retries after an unknown outcome, or two identical calls in
 * parallel, must not message the customer twice. A send reserves (chat, audience, normalised text)
 * before POST /messages, in one synchronous step, so a parallel twin is refused; the reservation is
 * released only when the send certainly failed before reaching HelpCrunch, and kept for the window
 * on any outcome that may have landed. In this process only.
 */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

/** A private note and a customer reply with the same text are different messages. */
export type Audience = "customer" | "private";

export class ReplyGuard {
  private readonly sent = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly windowMs = DUPLICATE_WINDOW_MS,
  ) {}

  /** Epoch ms of the earlier identical message still inside the window, if any. */
  previous(chatId: number, audience: Audience, text: string): number | undefined {
    this.forgetExpired();
    return this.sent.get(key(chatId, audience, text));
  }

  /**
   * Check-and-set: undefined when the message is now reserved, else the epoch ms of the identical
   * message that blocks it. `force` reserves even over an earlier one (allow_duplicate).
   */
  reserve(chatId: number, audience: Audience, text: string, force = false): number | undefined {
    const previous = this.previous(chatId, audience, text);
    if (previous !== undefined && !force) return previous;
    this.sent.set(key(chatId, audience, text), this.now());
    return undefined;
  }

  /** The send certainly did not reach HelpCrunch: the same text may be sent again. */
  release(chatId: number, audience: Audience, text: string): void {
    this.sent.delete(key(chatId, audience, text));
  }

  private forgetExpired(): void {
    const cutoff = this.now() - this.windowMs;
    for (const [k, at] of this.sent) if (at < cutoff) this.sent.delete(k);
  }
}

function key(chatId: number, audience: Audience, text: string): string {
  return `${chatId}\u0000${audience}\u0000${text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim()}`;
}
