/**
 * Approval-card drafts in Redis, so the card's Send works whichever replica it reaches. One key per
 * draft, named by a hash of its token (the token never becomes a key), holding the draft as JSON for
 * twice its lifetime (an expired draft can still be told apart from an unknown token). Checking is a
 * GET; taking is GETDEL: atomic, so two Sends of one card cannot both get it. Redis unavailable: nothing is
 * stored or taken, and the caller says nothing was sent (fail closed).
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { type ApprovalDrafts, DRAFT_TTL_MS, newToken, type StoredDraft, type TakenDraft } from "../services/approval-drafts.js";
import { ToolError } from "../tool-error.js";
import { type SharedStore, StoreUnavailable } from "./store.js";

const UNAVAILABLE =
  "Nothing was sent: Redis (HELPCRUNCH_REDIS_URL) cannot be reached, so the approval card's draft cannot be stored or checked; try again when Redis is back.";

export class SharedApprovalDrafts implements ApprovalDrafts {
  constructor(
    private readonly store: SharedStore,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = DRAFT_TTL_MS,
  ) {}

  async mint(draft: Omit<StoredDraft, "expiresAt">): Promise<{ token: string; expiresAt: number }> {
    const token = newToken();
    const expiresAt = this.now() + this.ttlMs;
    const value = JSON.stringify({ ...draft, expiresAt });
    await this.run((redis) => redis.set(this.key(token), value, "PX", 2 * this.ttlMs));
    return { token, expiresAt };
  }

  peek(token: string): Promise<TakenDraft> {
    return this.read((redis) => redis.get(this.key(token)));
  }

  take(token: string): Promise<TakenDraft> {
    return this.read((redis) => redis.getdel(this.key(token)));
  }

  private async read(command: (redis: Redis) => Promise<string | null>): Promise<TakenDraft> {
    const value = await this.run(command);
    if (value === null) return { state: "unknown" };
    const draft = JSON.parse(value) as StoredDraft;
    return { state: draft.expiresAt > this.now() ? "ok" : "expired", draft };
  }

  private key(token: string): string {
    return `${this.store.prefix}draft:${createHash("sha256").update(token).digest("hex")}`;
  }

  private async run<T>(command: (redis: Redis) => Promise<T>): Promise<T> {
    try {
      return await this.store.run(command);
    } catch (error) {
      if (error instanceof StoreUnavailable) throw new ToolError(UNAVAILABLE);
      throw error;
    }
  }
}
