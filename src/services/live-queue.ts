/**
 * The live mirror of the open queue: seeded by one triage scan, kept fresh by HelpCrunch webhooks
 * (or incremental polls), so triage_queue and helpcrunch://queue can answer with no HelpCrunch
 * request, and "what changed since" can be told from its change log.
 *
 * Order: deliveries arrive duplicated, late and out of order. Every chat carries the time of the
 * last change applied to it (its version: the event's createdAt, or the start of the scan that
 * read it); an older change is dropped, so a late `assigned` cannot undo a `closed`. Two different
 * changes with the same time cannot be ordered: the chat is read again from the API instead.
 * Payloads are trusted for the queue only, never for writes.
 *
 * State lives in a MirrorStore: this process (MemoryMirror), or Redis for every replica sharing the
 * API key (src/shared-state/redis-mirror.ts), which also carries change notices between replicas.
 */
import { isOpen, OPEN_STATUSES } from "../domain/conversation.js";
import { inView, type QueueView } from "../domain/live-queue.js";
import { type Chat, type HelpCrunchApi, isNotFound } from "../helpcrunch/index.js";
import { chatAfterMessage, type WebhookEvent } from "../helpcrunch/webhooks.js";
import type { Logger } from "../log.js";

/** A mirror older than this is re-seeded: HelpCrunch sends no webhook for a department change or a read marker. */
export const MIRROR_MAX_AGE_MS = 15 * 60_000;
/** Changes kept for `since` cursors; an older cursor gets the full answer. */
export const CHANGE_LOG_LIMIT = 5_000;
/** Delivery ids remembered for deduplication (HelpCrunch's retries come within minutes). */
export const DELIVERY_MEMORY = 20_000;
/** Chats read from the API at once for events the payload cannot settle (unknown chat, same-time conflict). */
const MAX_PENDING_READS = 100;
/** A poll asks for changes since the previous one minus this, so a change in the same second is not missed (filters are whole seconds). */
const POLL_OVERLAP_MS = 2_000;
/** Polling a subscription turned on (stdio, nothing else configured): 2 requests a minute, under 2% of the 120 budget. */
export const DEFAULT_POLL_SECONDS = 30;

export type ApplyMode = "event" | "seed" | "reread";
export type ApplyOutcome = "applied" | "unchanged" | "stale" | "tie";

export interface LoggedChange {
  seq: number;
  chatId: number;
  /** The chat before this change; null when it was not in the queue. */
  before: Chat | null;
  /** The chat after it, closed ones included (they say why a chat left). */
  after: Chat | null;
}

export interface MirrorState {
  /** Changes when the mirror starts over (a new store): cursors of another epoch are unknown. */
  epoch: string;
  seq: number;
  seededAt?: number;
  lastEventAt?: number;
  chats: Chat[];
}

export interface MirrorStore {
  /** True the first time a delivery id is seen (by any replica sharing the store). */
  firstDelivery(eventId: string): Promise<boolean>;
  get(chatId: number): Promise<Chat | null>;
  /**
   * Version-checked write (see the module comment); `chat` null or not open removes it from the
   * queue. "reread" always applies (what the API says now) and keeps the higher version.
   */
  apply(chatId: number, chat: Chat | null, version: number, mode: ApplyMode): Promise<ApplyOutcome>;
  /** Ids of the queued chats (for a seed to remove those a scan no longer shows). */
  ids(): Promise<number[]>;
  markSeeded(at: number): Promise<void>;
  /** When the whole queue was last seeded (by any replica sharing the store), if ever. */
  seededAt(): Promise<number | undefined>;
  noteEvent(at: number): Promise<void>;
  state(): Promise<MirrorState>;
  /** Changes after `seq` of `epoch`, oldest first; undefined when the log no longer reaches back that far. */
  changesSince(epoch: string, seq: number): Promise<LoggedChange[] | undefined>;
  /** Tells every replica (this one included) which chats changed. */
  publish(chatIds: number[]): Promise<void>;
  onPublished(listener: (chatIds: number[]) => void): () => void;
  close(): Promise<void>;
}

/** Same chat as far as the queue is concerned: a closed chat and an absent one are the same. */
export const queueJson = (chat: Chat | null): string => JSON.stringify(chat && isOpen(chat) ? chat : null);

/** The version rule both stores implement. */
export function versionVerdict(old: number | undefined, version: number, mode: ApplyMode, sameContent: boolean): ApplyOutcome | "apply" {
  if (old === undefined) return "apply";
  // A chat read from the API is the truth now, whatever the versions say.
  if (mode === "reread" || version > old) return "apply";
  return mode === "event" && version === old && !sameContent ? "tie" : "stale";
}

/** A bounded FIFO set (delivery ids). */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly limit: number) {}

  /** True when `id` is new (and now remembered). */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }
}

export class MemoryMirror implements MirrorStore {
  private readonly chats = new Map<number, Chat>();
  private readonly versions = new Map<number, number>();
  private readonly log: LoggedChange[] = [];
  private readonly deliveries = new RecentIds(DELIVERY_MEMORY);
  private readonly listeners = new Set<(chatIds: number[]) => void>();
  private readonly epoch = Math.floor(Math.random() * 36 ** 6).toString(36);
  private seq = 0;
  private seeded?: number;
  private lastEventAt?: number;

  async firstDelivery(eventId: string): Promise<boolean> {
    return this.deliveries.add(eventId);
  }

  async get(chatId: number): Promise<Chat | null> {
    return this.chats.get(chatId) ?? null;
  }

  async apply(chatId: number, chat: Chat | null, version: number, mode: ApplyMode): Promise<ApplyOutcome> {
    const before = this.chats.get(chatId) ?? null;
    const verdict = versionVerdict(this.versions.get(chatId), version, mode, queueJson(before) === queueJson(chat));
    if (verdict !== "apply") return verdict;
    // Re-inserted so the oldest versions are the first forgotten when the map is full.
    const old = this.versions.get(chatId);
    this.versions.delete(chatId);
    this.versions.set(chatId, Math.max(version, old ?? version));
    if (this.versions.size > DELIVERY_MEMORY) this.versions.delete(this.versions.keys().next().value as number);
    if (queueJson(before) === queueJson(chat)) return "unchanged";
    if (chat && isOpen(chat)) this.chats.set(chatId, chat);
    else this.chats.delete(chatId);
    this.log.push({ seq: ++this.seq, chatId, before, after: chat });
    if (this.log.length > CHANGE_LOG_LIMIT) this.log.shift();
    return "applied";
  }

  async ids(): Promise<number[]> {
    return [...this.chats.keys()];
  }

  async markSeeded(at: number): Promise<void> {
    this.seeded = at;
  }

  async seededAt(): Promise<number | undefined> {
    return this.seeded;
  }

  async noteEvent(at: number): Promise<void> {
    this.lastEventAt = at;
  }

  async state(): Promise<MirrorState> {
    return { epoch: this.epoch, seq: this.seq, seededAt: this.seeded, lastEventAt: this.lastEventAt, chats: [...this.chats.values()] };
  }

  async changesSince(epoch: string, seq: number): Promise<LoggedChange[] | undefined> {
    if (epoch !== this.epoch || seq > this.seq) return undefined;
    const oldest = this.log[0]?.seq ?? this.seq + 1;
    if (seq < oldest - 1) return undefined;
    return this.log.filter((change) => change.seq > seq);
  }

  async publish(chatIds: number[]): Promise<void> {
    for (const listener of this.listeners) listener(chatIds);
  }

  onPublished(listener: (chatIds: number[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

export type Freshness = { fresh: true; ageMs: number; state: MirrorState } | { fresh: false; why: string };

export interface LiveQueueOptions {
  store: MirrorStore;
  client: HelpCrunchApi;
  log: Logger;
  now: () => number;
  /** What keeps the mirror fresh, for messages: "webhooks" or "polling every 30 s"; undefined = nothing (every answer scans). */
  source?: string;
  maxAgeMs?: number;
}

export class LiveQueue {
  readonly store: MirrorStore;
  private readonly sources: string[];
  private readonly client: HelpCrunchApi;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly maxAgeMs: number;
  /** Mutations of this process, one at a time: a seed and the events that arrive during its scan stay in order. */
  private chain: Promise<unknown> = Promise.resolve();
  private pendingReads = 0;
  /** Before the first seed: chats that messages named (id → event time), read once the seed is in if they changed during its scan. */
  private readonly awaitingSeed = new Map<number, number>();
  private pollTimer?: NodeJS.Timeout;
  /** When the last poll read (server clock): the next asks for changes since then. */
  private polledAt?: number;
  private polling = false;

  constructor(options: LiveQueueOptions) {
    this.store = options.store;
    this.client = options.client;
    this.log = options.log;
    this.now = options.now;
    this.sources = options.source ? [options.source] : [];
    this.maxAgeMs = options.maxAgeMs ?? MIRROR_MAX_AGE_MS;
  }

  /** What keeps the mirror fresh, in words. */
  get source(): string {
    return this.sources.join(" and ") || "nothing keeps it fresh";
  }

  /** Whether webhooks or polling keep the mirror fresh; without them it only remembers scans, for `since`. */
  get kept(): boolean {
    return this.sources.length > 0;
  }

  /**
   * Incremental polling: every `seconds`, one search for chats changed since the last poll (one
   * request while fewer than 100 changed), applied like events; an unseeded or stale mirror is
   * seeded by a scan instead. Idempotent.
   */
  startPolling(seconds: number): void {
    if (this.pollTimer) return;
    this.sources.push(`polling every ${seconds} s`);
    this.pollTimer = setInterval(() => void this.pollOnce(), seconds * 1000);
    this.pollTimer.unref();
    void this.pollOnce();
  }

  stop(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  /** One poll; returns the HelpCrunch requests it made. */
  async pollOnce(): Promise<number> {
    if (this.polling) return 0;
    this.polling = true;
    try {
      const readAt = this.now();
      const freshness = await this.freshness();
      const since = freshness.fresh ? this.polledAt : undefined;
      if (since !== undefined) {
        const changed = await this.client.queryChats(
          { updatedSince: since - POLL_OVERLAP_MS, limit: 100 },
          { signal: AbortSignal.timeout(30_000) },
        );
        // Up to a page of changes is applied; more is rescanned, simpler to get right than paging a moving list.
        if (changed.nextOffset === null) {
          await this.applyRead(changed.chats, readAt);
          this.polledAt = readAt;
          return 1;
        }
      }
      const scan = await this.client.scanChats({ statuses: [...OPEN_STATUSES] }, { signal: AbortSignal.timeout(60_000) });
      if (scan.complete) await this.seed(scan.chats, readAt);
      this.polledAt = readAt;
      return scan.requests + (since === undefined ? 0 : 1);
    } catch (error) {
      this.log.debug(`live queue: poll failed (${error instanceof Error ? error.message : String(error)})`);
      return 0;
    } finally {
      this.polling = false;
    }
  }

  /** Runs `work` after every mutation queued before it. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.catch((error: unknown) => this.log.warn(`live queue: ${error instanceof Error ? error.message : String(error)}`));
    return run;
  }

  /** Resolves when every mutation queued so far is done (tests, shutdown). */
  async settled(): Promise<void> {
    for (let chain = this.chain; ; chain = this.chain) {
      await chain;
      if (chain === this.chain) return;
    }
  }

  /** One verified webhook delivery. Duplicates are dropped; the rest is applied in arrival order. */
  receive(event: WebhookEvent): Promise<void> {
    return this.serial(async () => {
      if (event.kind === "other" || !(await this.store.firstDelivery(event.eventId))) return;
      await this.store.noteEvent(this.now());
      const changed = event.kind === "chat" ? await this.applyChat(event.chat, event.at) : await this.applyMessage(event);
      if (changed.length) await this.store.publish(changed);
    });
  }

  /**
   * Chats read by a scan that started at `startedAt` (the version of what it read). A scan of part
   * of the queue (`view`) removes only queued chats of that part, and does not count as a seed.
   */
  seed(chats: Chat[], startedAt: number, view?: QueueView): Promise<void> {
    return this.serial(async () => {
      const changed: number[] = [];
      const seen = new Set(chats.map((c) => c.id));
      const scope = view && { ...view, includeSnoozed: true };
      for (const chat of chats) if ((await this.store.apply(chat.id, chat, startedAt, "seed")) === "applied") changed.push(chat.id);
      for (const id of await this.store.ids()) {
        if (seen.has(id) || (scope && !inView(await this.store.get(id), scope, startedAt))) continue;
        if ((await this.store.apply(id, null, startedAt, "seed")) === "applied") changed.push(id);
      }
      if (!view) {
        await this.store.markSeeded(startedAt);
        const during = [...this.awaitingSeed].filter(([, at]) => at >= startedAt);
        this.awaitingSeed.clear();
        for (const [id, at] of during) changed.push(...(await this.reread(id, at)));
      }
      if (changed.length) await this.store.publish(changed);
    });
  }

  /** Chats a poll read at `readAt`; an event newer than the read keeps its say. */
  private applyRead(chats: Chat[], readAt: number): Promise<void> {
    return this.serial(async () => {
      const changed: number[] = [];
      for (const chat of chats) if ((await this.store.apply(chat.id, chat, readAt, "seed")) === "applied") changed.push(chat.id);
      if (changed.length) await this.store.publish(changed);
    });
  }

  /** The mirror when it can answer: seeded, and not older than the maximum age. */
  async freshness(): Promise<Freshness> {
    if (!this.kept) return { fresh: false, why: "not kept fresh" };
    const state = await this.store.state();
    if (state.seededAt === undefined) return { fresh: false, why: "not seeded yet" };
    const ageMs = this.now() - state.seededAt;
    if (ageMs >= this.maxAgeMs) return { fresh: false, why: "due for its periodic rescan" };
    return { fresh: true, ageMs, state };
  }

  private async applyChat(chat: Chat, version: number): Promise<number[]> {
    return this.applyEvent(chat.id, () => chat, version);
  }

  private async applyMessage(event: Extract<WebhookEvent, { kind: "message" }>): Promise<number[]> {
    return this.applyEvent(event.chatId, (current) => current && chatAfterMessage(current, event.message), event.at);
  }

  /**
   * Applies what an event says a chat is now. When the event is late (older than what the mirror
   * holds, or as old but different) and would change the chat, or the chat is unknown to the
   * mirror, only the API can say what is true: the chat is read again.
   */
  private async applyEvent(chatId: number, next: (current: Chat | null) => Chat | null, version: number): Promise<number[]> {
    const current = await this.store.get(chatId);
    const candidate = next(current);
    // A message in a chat the queue does not hold: closed, or not seen yet; is it open now? Before the
    // first seed every chat is unknown: the seed's scan reads them, and those changed during it are read after.
    if (!candidate) {
      if ((await this.store.seededAt()) !== undefined) return this.reread(chatId, version);
      if (this.awaitingSeed.size < MAX_PENDING_READS)
        this.awaitingSeed.set(chatId, Math.max(version, this.awaitingSeed.get(chatId) ?? version));
      return [];
    }
    const outcome = await this.store.apply(chatId, candidate, version, "event");
    if (outcome === "applied") return [chatId];
    const late = outcome === "tie" || (outcome === "stale" && queueJson(candidate) !== queueJson(current));
    return late ? this.reread(chatId, version) : [];
  }

  /** Reads one chat from the API and applies it at `version`; bounded, and a failure only logs. */
  private async reread(chatId: number, version: number): Promise<number[]> {
    if (this.pendingReads >= MAX_PENDING_READS) return [];
    this.pendingReads++;
    try {
      const chat = await this.client.getChat(chatId, { signal: AbortSignal.timeout(15_000) }).catch((error: unknown) => {
        if (isNotFound(error)) return null;
        throw error;
      });
      return (await this.store.apply(chatId, chat, version, "reread")) === "applied" ? [chatId] : [];
    } catch (error) {
      this.log.debug(`live queue: could not read chat ${chatId} (${error instanceof Error ? error.message : String(error)})`);
      return [];
    } finally {
      this.pendingReads--;
    }
  }
}
