/**
 * Drafts waiting in an MCP Apps approval card. A customer-visible message that a person approves in
 * a card is stored here under a one-time token; the card's Send button (an app-only tool) posts it
 * only with that token, so neither the model nor a forged call can send a reply nobody approved.
 * A draft is bound to its chat, agent and audience (stored with it, never taken from the caller),
 * expires after DRAFT_TTL_MS, and is taken at most once: Send and Discard both consume it, and only
 * once they go ahead (a refused attempt, by another person or the duplicate guard, leaves it).
 * In this process (LocalApprovalDrafts), or in Redis for every process sharing the API key
 * (src/shared-state/shared-approval-drafts.ts), since the Send may reach another replica.
 */
import type { CreateChatInput, PlannedRequest } from "../helpcrunch/index.js";

/** How long a card's Send works, as long as a form may stay open. */
export const DRAFT_TTL_MS = 15 * 60_000;

export interface StoredDraft {
  /** The model-facing tool that drafted it: send_message (a reply) or create_chat (a first message). */
  tool: "send_message" | "create_chat";
  /** The chat a reply goes to; absent for create_chat, whose chat is created on Send. */
  chatId?: number;
  /** create_chat: the chat to create on Send, as resolved when the draft was made. */
  newChat?: CreateChatInput;
  agentId: number;
  /** Only customer-visible messages need a card. */
  audience: "customer";
  /** The drafted text (the person may send an edit of it). */
  text: string;
  /** The request the draft would go out in, for the audit line of a discarded or expired draft. */
  request: PlannedRequest;
  /** With OAuth, the person who asked: another sign-in cannot use the approval. */
  actor?: string;
  /** Epoch ms. */
  expiresAt: number;
}

export type TakenDraft = { state: "ok"; draft: StoredDraft } | { state: "expired"; draft: StoredDraft } | { state: "unknown" };

export interface ApprovalDrafts {
  /** Stores the draft and returns its one-time token. */
  mint(draft: Omit<StoredDraft, "expiresAt">): Promise<{ token: string; expiresAt: number }>;
  /** The draft, left in place: what is checked before anything is sent, so a refused attempt leaves the card usable. */
  peek(token: string): Promise<TakenDraft>;
  /** Removes the draft and returns it (at most once per token), or says it is unknown or expired. */
  take(token: string): Promise<TakenDraft>;
}

/** 256 random bits, URL-safe. Web Crypto, not node:crypto: an import of that would load it at every start. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** A token is 43 URL-safe characters; anything else is refused before any lookup. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export class LocalApprovalDrafts implements ApprovalDrafts {
  private readonly drafts = new Map<string, StoredDraft>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = DRAFT_TTL_MS,
  ) {}

  async mint(draft: Omit<StoredDraft, "expiresAt">): Promise<{ token: string; expiresAt: number }> {
    this.sweep();
    const token = newToken();
    const expiresAt = this.now() + this.ttlMs;
    this.drafts.set(token, { ...draft, expiresAt });
    return { token, expiresAt };
  }

  async peek(token: string): Promise<TakenDraft> {
    const draft = this.drafts.get(token);
    if (!draft) return { state: "unknown" };
    return { state: draft.expiresAt > this.now() ? "ok" : "expired", draft };
  }

  async take(token: string): Promise<TakenDraft> {
    const taken = await this.peek(token);
    this.drafts.delete(token);
    return taken;
  }

  /** Drafts expired for a whole TTL are forgotten (an expired one is kept that long so Send can say "expired"). */
  private sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [token, draft] of this.drafts) if (draft.expiresAt < cutoff) this.drafts.delete(token);
  }
}
