/**
 * Where the live queue's mirror lives, and the rules every store keeps: what of a chat is kept (only
 * what the queue ranks, counts and shows, trimmed), the version rule, and the bounded memories
 * (delivery ids, closed chats). MemoryMirror is this process's store; src/shared-state/redis-mirror.ts
 * keeps the same in Redis for every replica sharing the API key.
 *
 * Order: deliveries arrive duplicated, late and out of order. Every chat carries the time of the
 * last change applied to it (its version: the event's createdAt, or the start of the read that
 * saw it); an older change is dropped, so a late `assigned` cannot undo a `closed`. Two different
 * changes with the same time cannot be ordered: the chat is read again from the API instead.
 */
import { isAwaitingReply, isOpen } from "../domain/conversation.js";
import { addFacets, type Tally } from "../domain/queue-tally.js";
import type { Chat } from "../helpcrunch/index.js";
import { LocalWindow, type RateWindow } from "../helpcrunch/rate-limiter.js";
import { LARGE_MIRROR, preferMemory } from "./memory-mode.js";
import { decodeChat, encodeChat, queueChat, recordFacets, recordVersion } from "./mirror-record.js";
import { RecordArena } from "./record-arena.js";

export { queueChat };

/** Changes kept for `since` cursors; an older cursor gets the full answer. */
export const CHANGE_LOG_LIMIT = 5_000;
/** Delivery ids remembered for deduplication (HelpCrunch's retries come within minutes)… */
export const DELIVERY_MEMORY = 20_000;
/** …and for at most this long. */
export const DELIVERY_TTL_MS = 24 * 3600_000;
/** Chats that left the queue, remembered (id → version, status) so a late event cannot bring them back and a message in one needs no read. */
export const GONE_MEMORY = 20_000;

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

export interface MirrorMeta {
  /** Changes when the mirror starts over (a new store): cursors of another epoch are unknown. */
  epoch: string;
  seq: number;
  seededAt?: number;
  lastEventAt?: number;
}

export interface MirrorState extends MirrorMeta {
  chats: Chat[];
}

/** What the mirror knows of one chat: in the queue (chat), gone (its last status), or nothing (undefined). */
export type Known = { chat: Chat; version: number } | { chat: null; version: number; status: string };

/**
 * Where a progressive seed stands (see live-seed.ts): which open status it reads, from which
 * creation time on, how many chats of that second it has read, and what it read so far. Kept in the
 * store, so a restart or another replica continues it.
 */
export interface SeedProgress {
  /** When the pass began: chats it has not seen and no event touched since are no longer open. */
  startedAt: number;
  /** Index into OPEN_STATUSES. */
  stream: number;
  /** Epoch ms: the next page asks for chats created at or after this… */
  since: number;
  /** …skipping this many (those of `since`'s second already read, or everything read when the account cannot sort by creation). */
  skip: number;
  /** This stream is paged by offset: the account's search did not return creation order. */
  byOffset?: boolean;
  pages: number;
  chats: number;
  /** Open chats HelpCrunch counted per status when each stream began (for "about N to go"). */
  totals: number[];
}

export interface Snoozed {
  id: number;
  until: number;
  facets: string[];
}

export interface MirrorStore {
  /** True the first time a delivery id is seen (by any replica sharing the store); remembered by count and by time. */
  firstDelivery(eventId: string, at: number): Promise<boolean>;
  get(chatId: number): Promise<Chat | null>;
  known(chatId: number): Promise<Known | undefined>;
  /**
   * Version-checked write of a chat as queueChat keeps it (see the module comment); `chat` null or
   * not open removes it from the queue. "reread" always applies (what the API says now) and keeps
   * the higher version.
   */
  apply(chatId: number, chat: Chat | null, version: number, mode: ApplyMode): Promise<ApplyOutcome>;
  /** Ids of the queued chats (for a seed to remove those a scan no longer shows). */
  ids(): Promise<number[]>;
  /**
   * Queued chats whose version is older than `before`, looked for among about `limit` chats from
   * `cursor` on ("0" first), and the cursor to go on from (null: every chat was looked at).
   */
  olderThan(before: number, cursor: string, limit: number): Promise<{ ids: number[]; next: string | null }>;
  /** Chats in the queue. */
  size(): Promise<number>;
  /** `count` queued chats from the `offset`-th on in longest-waiting order (waitScore), from an index. */
  longestWaiting(count: number, offset?: number): Promise<Chat[]>;
  /** The tally of every queued chat (src/domain/queue-tally.ts), kept as chats change. */
  tally(): Promise<Tally>;
  /** Queued chats snoozed until after `at`, from a time index: id, snooze end and tally facets, not the chat. */
  snoozedAfter(at: number): Promise<Snoozed[]>;
  markSeeded(at: number): Promise<void>;
  /** When the whole queue was last seeded (by any replica sharing the store), if ever. */
  seededAt(): Promise<number | undefined>;
  noteEvent(at: number): Promise<void>;
  progress(): Promise<SeedProgress | undefined>;
  /** undefined ends the pass. */
  saveProgress(progress: SeedProgress | undefined): Promise<void>;
  /** True while `owner` holds (or just took) the right to run the seed for `ms`; one replica seeds at a time. */
  lease(owner: string, ms: number): Promise<boolean>;
  /** The window background reads (seed, webhook and poll reads) take their places in: shared by the replicas when the store is. */
  backgroundWindow(perWindow: number, windowMs: number, leaseMs: number): RateWindow;
  /** Where the mirror stands, without its chats. */
  meta(): Promise<MirrorMeta>;
  /** Every chat too: a full read (narrowed views, SLA counts, the channel's reply-target watch). */
  state(): Promise<MirrorState>;
  /** Changes after `seq` of `epoch`, oldest first; undefined when the log no longer reaches back that far. */
  changesSince(epoch: string, seq: number): Promise<LoggedChange[] | undefined>;
  /** Tells every replica (this one included) which chats changed. */
  publish(chatIds: number[]): Promise<void>;
  onPublished(listener: (chatIds: number[]) => void): () => void;
  close(): Promise<void>;
}

/**
 * Same chat as far as the queue is concerned: a closed chat and an absent one are the same. The
 * record's body, not JSON of the object: a chat decoded from a record lists its keys in another order.
 */
export const queueJson = (chat: Chat | null): string => (chat && isOpen(chat) ? encodeChat(chat) : "");

/** The version rule both stores implement. */
export function versionVerdict(old: number | undefined, version: number, mode: ApplyMode, sameContent: boolean): ApplyOutcome | "apply" {
  if (old === undefined) return "apply";
  // A chat read from the API is the truth now, whatever the versions say.
  if (mode === "reread" || version > old) return "apply";
  return mode === "event" && version === old && !sameContent ? "tie" : "stale";
}

/**
 * The order of longestWaiting: chats awaiting a reply, oldest customer message first; then the rest
 * (no reply owed: their rank is bonuses only, whenever the customer wrote), then by id.
 */
export function waitScore(chat: Chat): number {
  return isAwaitingReply(chat) && chat.lastCustomerMessageAt != null ? chat.lastCustomerMessageAt : Number.MAX_SAFE_INTEGER;
}

/** A bounded FIFO map: inserting past `limit` forgets the oldest entry; a re-set moves an entry to the end. */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value as K);
  }

  clear(): void {
    this.map.clear();
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }
}

/**
 * The mirror in this process's memory: open chats by id (unbounded: they are the queue), closed ones
 * bounded. A chat is held as its record (mirror-record.ts, about 350 bytes), off the heap
 * (record-arena.ts), with its wait score beside it: 100,000 open chats fit in the server's 120 MB.
 * The longest-waiting order is kept sorted as chats change (built on first use), snoozes and the
 * tally beside it.
 */
/** Decoded chats a MemoryMirror keeps for its answers: two first rounds of the index and then some (about 1 KB each). */
const DECODED_KEEP = 2_000;

export class MemoryMirror implements MirrorStore {
  /** Queued chats' records, each with its wait score (waitScore), the key of `order`. */
  private readonly open = new RecordArena();
  /** Queued chats by id in longest-waiting order; undefined until first asked for. */
  private order?: number[];
  /** Snooze end of the queued chats that have one. */
  private readonly snoozes = new Map<number, number>();
  private readonly counts: Tally = {};
  private readonly gone = new BoundedMap<number, { version: number; status: string }>(GONE_MEMORY);
  /** The change log, chats as record bodies (decoded when a cursor asks): 5,000 objects would cost 7 MB. */
  private readonly log: Array<{ seq: number; chatId: number; before: string; after: string }> = [];
  private readonly deliveries = new BoundedMap<string, number>(DELIVERY_MEMORY);
  /**
   * Chats decoded lately, by id (dropped when the chat changes): every answer reads the top of the
   * queue, and decoding its records again each time was a quarter of an answer's CPU with the
   * garbage it made. Bounded, so the mirror stays compact. Callers never mutate a chat they read.
   */
  private readonly decoded = new BoundedMap<number, Chat>(DECODED_KEEP);
  private readonly listeners = new Set<(chatIds: number[]) => void>();
  private readonly epoch = Math.floor(Math.random() * 36 ** 6).toString(36);
  private seq = 0;
  private seeded?: number;
  private lastEventAt?: number;
  private seedProgress?: SeedProgress;
  private window?: RateWindow;

  constructor(private readonly now: () => number = Date.now) {}

  async firstDelivery(eventId: string, at: number): Promise<boolean> {
    const seen = this.deliveries.get(eventId);
    if (seen !== undefined && seen > at - DELIVERY_TTL_MS) return false;
    this.deliveries.set(eventId, at);
    return true;
  }

  async get(chatId: number): Promise<Chat | null> {
    return this.chat(chatId) ?? null;
  }

  /** A queued chat, decoded from its record once while it is unchanged and among the last DECODED_KEEP read. */
  private chat(chatId: number): Chat | undefined {
    const cached = this.decoded.get(chatId);
    if (cached) return cached;
    const held = this.open.get(chatId);
    if (held === undefined) return undefined;
    const chat = decodeChat(held).chat;
    this.decoded.set(chatId, chat);
    return chat;
  }

  async known(chatId: number): Promise<Known | undefined> {
    const held = this.open.get(chatId);
    if (held !== undefined) return decodeChat(held);
    const gone = this.gone.get(chatId);
    return gone && { chat: null, ...gone };
  }

  async apply(chatId: number, chat: Chat | null, version: number, mode: ApplyMode): Promise<ApplyOutcome> {
    const held = this.open.get(chatId);
    const heldBody = held === undefined ? "" : held.slice(held.indexOf(",") + 1, -1);
    const old = held !== undefined ? recordVersion(held) : this.gone.get(chatId)?.version;
    const queued = queueJson(chat);
    const unchanged = heldBody === queued;
    const verdict = versionVerdict(old, version, mode, unchanged);
    if (verdict !== "apply") return verdict;
    const kept = Math.max(version, old ?? version);
    if (held !== undefined) this.unhold(chatId, held);
    if (chat && isOpen(chat)) {
      this.gone.delete(chatId);
      this.hold(chatId, `[${kept},${queued}]`, chat);
    } else this.gone.set(chatId, { version: kept, status: chat?.status ?? "gone" });
    if (unchanged) return "unchanged";
    this.log.push({ seq: ++this.seq, chatId, before: heldBody, after: chat ? encodeChat(chat) : "" });
    if (this.log.length > CHANGE_LOG_LIMIT) this.log.shift();
    return "applied";
  }

  private hold(chatId: number, held: string, chat: Chat): void {
    const wait = waitScore(chat);
    this.open.set(chatId, held, wait);
    if (this.open.size > LARGE_MIRROR) preferMemory();
    addFacets(this.counts, recordFacets(held), 1);
    if (chat.snoozedUntil != null) this.snoozes.set(chatId, chat.snoozedUntil);
    if (this.order) this.order.splice(this.position(wait, chatId), 0, chatId);
  }

  private unhold(chatId: number, held: string): void {
    this.decoded.delete(chatId);
    const wait = this.open.number(chatId);
    if (this.order && wait !== undefined) this.order.splice(this.position(wait, chatId), 1);
    this.open.delete(chatId);
    addFacets(this.counts, recordFacets(held), -1);
    this.snoozes.delete(chatId);
  }

  /** Where (wait, id) is or would be in `order` (binary search). */
  private position(wait: number, chatId: number): number {
    const order = this.order ?? [];
    let low = 0;
    let high = order.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const id = order[mid] as number;
      const w = this.open.number(id) ?? 0;
      if (w < wait || (w === wait && id < chatId)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  async ids(): Promise<number[]> {
    return [...this.open.keys()];
  }

  async olderThan(before: number, cursor: string, limit: number): Promise<{ ids: number[]; next: string | null }> {
    const afterId = Number(cursor);
    const ids = [...this.open.keys()].filter((id) => id > afterId && recordVersion(this.open.get(id) ?? "[0,") < before);
    ids.sort((a, b) => a - b);
    const page = ids.slice(0, limit);
    return { ids: page, next: ids.length > limit ? String(page.at(-1)) : null };
  }

  async size(): Promise<number> {
    return this.open.size;
  }

  async longestWaiting(count: number, offset = 0): Promise<Chat[]> {
    if (!this.order) {
      const wait = (id: number) => this.open.number(id) ?? 0;
      this.order = [...this.open.keys()].sort((a, b) => wait(a) - wait(b) || a - b);
    }
    return this.order.slice(offset, offset + count).flatMap((id) => this.chat(id) ?? []);
  }

  async tally(): Promise<Tally> {
    return { ...this.counts };
  }

  async snoozedAfter(at: number): Promise<Snoozed[]> {
    return [...this.snoozes]
      .filter(([, until]) => until > at)
      .map(([id, until]) => ({ id, until, facets: recordFacets(this.open.get(id) ?? "") }));
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

  async progress(): Promise<SeedProgress | undefined> {
    return this.seedProgress;
  }

  async saveProgress(progress: SeedProgress | undefined): Promise<void> {
    this.seedProgress = progress;
  }

  async lease(): Promise<boolean> {
    return true;
  }

  backgroundWindow(perWindow: number, windowMs: number): RateWindow {
    this.window ??= new LocalWindow(perWindow, windowMs, this.now);
    return this.window;
  }

  async meta(): Promise<MirrorMeta> {
    return { epoch: this.epoch, seq: this.seq, seededAt: this.seeded, lastEventAt: this.lastEventAt };
  }

  async state(): Promise<MirrorState> {
    return { ...(await this.meta()), chats: [...this.open.keys()].map((id) => decodeChat(this.open.get(id) ?? "").chat) };
  }

  async changesSince(epoch: string, seq: number): Promise<LoggedChange[] | undefined> {
    if (epoch !== this.epoch || seq > this.seq) return undefined;
    const oldest = this.log[0]?.seq ?? this.seq + 1;
    if (seq < oldest - 1) return undefined;
    const chat = (body: string) => (body === "" ? null : decodeChat(`[0,${body}]`).chat);
    return this.log
      .filter((change) => change.seq > seq)
      .map((change) => ({ seq: change.seq, chatId: change.chatId, before: chat(change.before), after: chat(change.after) }));
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
