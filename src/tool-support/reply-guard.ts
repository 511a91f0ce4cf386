/**
 * No double replies: an agent that retries after an unknown outcome must not message the
 * customer twice. Remembers (chat, normalised text) for a window, in this process only.
 */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

export class ReplyGuard {
  private readonly sent = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly windowMs = DUPLICATE_WINDOW_MS,
  ) {}

  /** Epoch ms of the earlier identical message still inside the window, if any. */
  previous(chatId: number, text: string): number | undefined {
    this.forgetExpired();
    return this.sent.get(key(chatId, text));
  }

  remember(chatId: number, text: string): void {
    this.sent.set(key(chatId, text), this.now());
  }

  private forgetExpired(): void {
    const cutoff = this.now() - this.windowMs;
    for (const [k, at] of this.sent) if (at < cutoff) this.sent.delete(k);
  }
}

function key(chatId: number, text: string): string {
  return `${chatId}\u0000${text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim()}`;
}
