/**
 * The live mirror of the open queue: seeded progressively in the background (live-seed.ts), or at
 * once by a complete triage scan, kept fresh by HelpCrunch webhooks (or incremental polls), so
 * triage_queue and helpcrunch://queue can answer with no HelpCrunch request, and "what changed
 * since" can be told from its change log. Store, version rule and what is kept: mirror-store.ts.
 *
 * Background reads (seed pages, polls, and the chats an event cannot settle: unknown, or a late or
 * same-time change) take their places in one background window, a share of the key's minute
 * (HELPCRUNCH_SEED_SHARE, default 25%), one at a time, before the client's own limiter: the rest of
 * the minute, and every tool call's read budget with it, stays for tool calls. A read is coalesced
 * per chat and skipped where the event cannot change the queue; a change that needs no read is
 * applied at once, never behind one that waits for a read. A read that fails is retried later,
 * never dropped (past MAX_PENDING_READS a seed pass reads them all instead).
 *
 * Freshness is honest: a mirror whose polls fail, or which is behind, is stale and says so; only a
 * seeded mirror refreshed by a working source answers as "live". Payloads are trusted for the
 * queue only, never for writes.
 */
import { decodeCursor, encodeCursor, inView, type QueueView } from "../domain/queue-changes.js";
import { humanAgo, isoUtc } from "../domain/time.js";
import { rankQueue } from "../domain/triage.js";
import { type Chat, type HelpCrunchApi, isNotFound } from "../helpcrunch/index.js";
import type { RateWindow } from "../helpcrunch/rate-limiter.js";
import { chatAfterMessage, type MessageFacts, type WebhookEvent } from "../helpcrunch/webhooks.js";
import type { Logger } from "../log.js";
import { AnswerMemo, fromMirror, type QueueAnswer, type QueueChanges, type QueueQuestion, queueChanges, scanQueue } from "./live-answer.js";
import { describeProgress, newPass, readSeedPage } from "./live-seed.js";
import { BoundedMap, type MirrorMeta, type MirrorState, type MirrorStore, queueJson, type SeedProgress } from "./mirror-store.js";

export {
  type ApplyMode,
  type ApplyOutcome,
  CHANGE_LOG_LIMIT,
  DELIVERY_MEMORY,
  type LoggedChange,
  MemoryMirror,
  type MirrorState,
  type MirrorStore,
  queueChat,
  queueJson,
  type SeedProgress,
  versionVerdict,
} from "./mirror-store.js";

/** A mirror older than this is re-seeded: HelpCrunch sends no webhook for a department change or a read marker. */
export const MIRROR_MAX_AGE_MS = 15 * 60_000;
/** While a refresh pass progresses the previous one still answers, up to this many maximum ages (a pass of 100,000 chats takes about 35 min at 25%). */
const REFRESH_GRACE = 4;
/** Chats waiting for a background read; past it a seed pass reads them all instead. */
const MAX_PENDING_READS = 10_000;
/** A poll asks for changes since the previous one minus this, so a change in the same second is not missed (filters are whole seconds). */
const POLL_OVERLAP_MS = 2_000;
/** Pages of changes one poll reads (100 each); more changed than that and a seed pass catches up. */
const POLL_PAGES = 10;
/** Polling a subscription turned on (stdio, nothing else configured): 2 requests a minute, under 2% of the 120 budget. */
export const DEFAULT_POLL_SECONDS = 30;
/** Background reads' default share of the key's per-minute limit. */
export const DEFAULT_SEED_SHARE = 0.25;
const READ_TIMEOUT_MS = 15_000;
const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 5 * 60_000;
/** One replica seeds at a time; a replica that dies mid-pass hands it over after this. */
const SEED_LEASE_MS = 10_000;
/** Webhooks silent this long (and HelpCrunch changed meanwhile): the mirror is stale. HELPCRUNCH_WEBHOOK_SILENCE_SECONDS. */
export const DEFAULT_WEBHOOK_SILENCE_S = 600;
/** Chats one silence check asks for: one request. */
const CHECK_PAGE = 20;
/** How often the background looks for work it was not woken for (retries due, a pass due, a lease free). */
const TICK_MS = 2_000;

export type Freshness = { fresh: true; ageMs: number; meta: MirrorMeta } | { fresh: false; why: string };

export interface LiveQueueOptions {
  store: MirrorStore;
  client: HelpCrunchApi;
  log: Logger;
  now: () => number;
  /** What keeps the mirror fresh, for messages: "webhooks" or "polling every 30 s"; undefined = nothing (every answer scans). */
  source?: string;
  maxAgeMs?: number;
  /**
   * Webhooks keep the mirror: after `silenceMs` with no event (from any replica), one background
   * query asks HelpCrunch what changed since; a change the mirror never heard of means webhooks
   * stopped (a rotated key, a disabled hook), and the mirror is stale until a pass re-reads it.
   */
  webhooks?: { silenceMs: number };
  /** The background window: `perWindow` places per `windowMs` (the key's limit times HELPCRUNCH_SEED_SHARE). */
  background?: { perWindow: number; windowMs: number; leaseMs?: number };
}

interface PendingRead {
  /** The newest event time that asked for it. */
  version: number;
  attempts: number;
  notBefore: number;
}

type Job = { kind: "read"; chatId: number } | { kind: "seed" } | { kind: "check" };

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 200);
/** Mirror answers kept at once (views and limits asked within the minute). */
const KEPT_ANSWERS = 8;

/** A mirror answer kept for the minute (LiveQueue.ranked). */
type KeptAnswer = Pick<QueueAnswer, "chats" | "counts" | "asOf" | "memo" | "source" | "sourceBrief">;

/** The mirror's state, the minute and the question: what a kept answer depends on. */
const keptKey = (meta: MirrorMeta, now: number, question: Pick<QueueQuestion, "view" | "limit">) =>
  JSON.stringify([meta.epoch, meta.seq, Math.floor(now / 60_000), question.view, question.limit]);

/** Private notes, system lines and anything not from the customer or an agent change nothing the queue ranks by. */
const movesQueue = (message: MessageFacts) => message.type !== "private" && message.type !== "tech" && message.from !== "other";

export class LiveQueue {
  private readonly store: MirrorStore;
  private readonly sources: string[];
  private readonly client: HelpCrunchApi;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly maxAgeMs: number;
  private readonly window: RateWindow;
  // Web Crypto, not node:crypto: importing that would load it at every start (test/e2e/build.test.ts).
  private readonly owner = globalThis.crypto.randomUUID();
  /** Mutations of this process, one at a time, none of them waiting for HelpCrunch: order per chat is kept. */
  private chain: Promise<unknown> = Promise.resolve();
  /** Chats to read in the background, coalesced: one read per chat whatever the number of events. */
  private readonly pending = new Map<number, PendingRead>();
  /** Before the first seed: chats that messages named (id → event time), read once the seed is in if they changed during it. */
  private readonly awaitingSeed = new BoundedMap<number, number>(MAX_PENDING_READS);
  /** The chat being read now; `dirty` once an event changed it meanwhile (the read is then repeated, not applied). */
  private reading?: { chatId: number; dirty: boolean };
  private working?: Promise<void>;
  private lastJob: Job["kind"] = "seed";
  /** No seed page before this: a page failed, or another replica holds the lease. */
  private seedNotBefore = 0;
  /** Why the mirror is behind (too many changes to read one by one) until the next pass ends. */
  private behind?: string;
  private tick?: NodeJS.Timeout;
  private pollTimer?: NodeJS.Timeout;
  private pollSeconds?: number;
  /** When the last poll read (server clock): the next asks for changes since then. */
  private polledAt?: number;
  private polling = false;
  /** When a poll, seed or scan last brought the whole mirror up to date (this process). */
  private refreshedAt?: number;
  private pollFailure?: { at: number; since: number; why: string };
  private readonly silenceMs?: number;
  /** When webhooks were last checked (or found stopped): the next check is due silenceMs after the later of this and the last event. */
  private checkedAt?: number;
  /**
   * Webhooks found stopped: since when nothing was heard, what HelpCrunch showed changed. Over once
   * an event arrives again and a pass begun after it has re-read what no event told.
   */
  private silence?: { at: number; heardAt: number; changed: number; example: number; reread: boolean; heard: boolean };
  private stopped = false;
  /** Mirror answers kept (see ranked), a few views at a time. */
  private readonly answers = new BoundedMap<string, Promise<KeptAnswer>>(KEPT_ANSWERS);

  constructor(options: LiveQueueOptions) {
    this.store = options.store;
    this.client = options.client;
    this.log = options.log;
    this.now = options.now;
    this.sources = options.source ? [options.source] : [];
    this.maxAgeMs = options.maxAgeMs ?? MIRROR_MAX_AGE_MS;
    this.silenceMs = options.webhooks?.silenceMs;
    // Nothing was silent before this process listened: the first check is a silence after it starts.
    this.checkedAt = this.now();
    const background = options.background ?? { perWindow: Math.floor(120 * DEFAULT_SEED_SHARE), windowMs: 60_000 };
    this.window = this.store.backgroundWindow(
      Math.max(1, background.perWindow),
      background.windowMs,
      background.leaseMs ?? READ_TIMEOUT_MS + 10_000,
    );
    if (this.kept) this.startBackground();
  }

  /** What keeps the mirror fresh, in words. */
  get source(): string {
    return this.sources.join(" and ") || "nothing keeps it fresh";
  }

  /** Whether webhooks or polling keep the mirror fresh; without them it only remembers scans, for `since`. */
  get kept(): boolean {
    return this.sources.length > 0;
  }

  private startBackground(): void {
    if (this.tick) return;
    this.stopped = false;
    this.tick = setInterval(() => this.wake(), TICK_MS);
    this.tick.unref();
    this.wake();
  }

  /**
   * Incremental polling: every `seconds`, one search for chats changed since the last poll (one
   * request while fewer than 100 changed), applied like events; an unseeded or stale mirror is
   * seeded by the background pass instead. Idempotent.
   */
  startPolling(seconds: number): void {
    if (this.pollTimer) return;
    this.sources.push(`polling every ${seconds} s`);
    this.pollSeconds = seconds;
    this.pollTimer = setInterval(() => void this.pollOnce(), seconds * 1000);
    this.pollTimer.unref();
    this.startBackground();
    void this.pollOnce();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearInterval(this.tick);
    this.pollTimer = undefined;
    this.tick = undefined;
  }

  /** One poll; returns the HelpCrunch requests it made. */
  async pollOnce(): Promise<number> {
    if (this.polling) return 0;
    this.polling = true;
    const readAt = this.now();
    let requests = 0;
    try {
      const since = this.polledAt ?? (await this.store.seededAt()) ?? (await this.store.progress())?.startedAt;
      // Nothing seeded or seeding yet: the pass about to start reads everything; polls go on from now.
      for (let offset = 0, page = 0; since !== undefined && page < POLL_PAGES; page++) {
        const changed = await this.backgroundRead(() =>
          this.client.queryChats(
            { updatedSince: since - POLL_OVERLAP_MS, offset, limit: 100 },
            { signal: AbortSignal.timeout(READ_TIMEOUT_MS * 2) },
          ),
        );
        requests++;
        await this.applyRead(changed.chats, readAt);
        if (changed.nextOffset === null) break;
        offset = changed.nextOffset;
        if (page === POLL_PAGES - 1) this.fallBehind(`over ${POLL_PAGES * 100} chats changed between two polls`);
      }
      this.polledAt = readAt;
      this.refreshed(readAt);
      this.pollFailure = undefined;
      this.wake();
      return requests;
    } catch (error) {
      const why = reason(error);
      this.pollFailure = { at: readAt, since: this.pollFailure?.since ?? readAt, why };
      this.log.debug(`live queue: poll failed (${why})`);
      return requests;
    } finally {
      this.polling = false;
    }
  }

  /** Runs `work` after every mutation queued before it. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work);
    this.chain = run.catch((error: unknown) => this.log.warn(`live queue: ${reason(error)}`));
    return run;
  }

  /** Resolves when every mutation queued so far is done and the background has nothing due now (tests, shutdown). */
  async settled(): Promise<void> {
    for (let i = 0; i < 10_000; i++) {
      const chain = this.chain;
      const working = this.working;
      await chain;
      await working;
      if (chain === this.chain && working === this.working && !this.working && !(await this.nextJob())) return;
      this.wake();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** One verified webhook delivery. Duplicates are dropped; the rest is applied in arrival order, reads left to the background. */
  receive(event: WebhookEvent): Promise<void> {
    return this.serial(async () => {
      if (event.kind === "other" || !(await this.store.firstDelivery(event.eventId, this.now()))) return;
      await this.store.noteEvent(this.now());
      if (this.silence) {
        this.silence.heard = true;
        this.endSilence();
      }
      const changed = event.kind === "chat" ? await this.applyEvent(event.chat.id, event.chat, event.at) : await this.applyMessage(event);
      if (changed.length) await this.store.publish(changed);
    });
  }

  /**
   * Chats read by a scan that started at `startedAt` (the version of what it read). A scan of part
   * of the queue (`view`) removes only queued chats of that part, and does not count as a seed; a
   * complete scan of the whole queue is a seed, and ends a progressive pass that began before it.
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
        const pass = await this.store.progress();
        if (pass && pass.startedAt <= startedAt) await this.store.saveProgress(undefined);
        await this.seeded(startedAt);
      }
      if (changed.length) await this.store.publish(changed);
    });
  }

  /** The whole queue is in as of `startedAt`: chats named during it are read if they changed since it began. */
  private async seeded(startedAt: number): Promise<void> {
    await this.store.markSeeded(startedAt);
    if (this.silence && startedAt >= this.silence.at) this.silence.reread = true;
    this.endSilence();
    this.refreshed(startedAt);
    this.behind = undefined;
    const named = [...this.awaitingSeed.entries()].filter(([, at]) => at >= startedAt);
    this.awaitingSeed.clear();
    // A chat the seed read after the event (its version is the read's time) needs no read of its own.
    for (const [id, at] of named) if (((await this.store.known(id))?.version ?? 0) < at) this.requestRead(id, at);
  }

  /** Webhooks speak again and what they missed is re-read: the mirror is live again, and checks resume from now. */
  private endSilence(): void {
    if (!this.silence?.heard || !this.silence.reread) return;
    this.log.info("live queue: webhook events arrive again");
    this.silence = undefined;
    this.checkedAt = this.now();
  }

  private refreshed(at: number): void {
    this.refreshedAt = Math.max(at, this.refreshedAt ?? at);
  }

  /** Chats a poll read at `readAt`; an event newer than the read keeps its say. */
  private applyRead(chats: Chat[], readAt: number): Promise<void> {
    return this.serial(async () => {
      const changed: number[] = [];
      for (const chat of chats)
        if ((await this.applied(chat.id, await this.store.apply(chat.id, chat, readAt, "seed"))) === "applied") changed.push(chat.id);
      if (changed.length) await this.store.publish(changed);
    });
  }

  /** The mirror when it can answer: seeded, refreshed by a working source, not behind, not older than the maximum age. */
  async freshness(): Promise<Freshness> {
    if (!this.kept) return { fresh: false, why: "not kept fresh" };
    const now = this.now();
    const [seededAt, pass] = await Promise.all([this.store.seededAt(), this.store.progress()]);
    const age = (at: number | undefined) => (at === undefined ? "never refreshed" : `last refreshed ${humanAgo(now - at)} ago`);
    if (this.pollFailure && (this.refreshedAt === undefined || this.pollFailure.at >= this.refreshedAt))
      return {
        fresh: false,
        why: `stale: its polls have failed for ${humanAgo(now - this.pollFailure.since)} (${this.pollFailure.why}), ${age(this.refreshedAt ?? seededAt)}`,
      };
    if (seededAt === undefined) return { fresh: false, why: pass ? `seeding: ${describeProgress(pass)} so far` : "not seeded yet" };
    if (this.silence)
      return {
        fresh: false,
        why: `stale: no webhook event for ${humanAgo(now - this.silence.heardAt)} although HelpCrunch shows ${this.silence.changed} chat${this.silence.changed === 1 ? "" : "s"} changed since (e.g. #${this.silence.example}); re-reading the queue`,
      };
    if (this.behind) return { fresh: false, why: `catching up (${this.behind})${pass ? `: ${describeProgress(pass)} so far` : ""}` };
    const ageMs = now - seededAt;
    if (this.pollSeconds !== undefined && now - (this.refreshedAt ?? seededAt) > this.pollSeconds * 3_000 + READ_TIMEOUT_MS)
      return { fresh: false, why: `stale: no poll has answered for ${humanAgo(now - (this.refreshedAt ?? seededAt))}` };
    if (ageMs >= this.maxAgeMs * (pass ? REFRESH_GRACE : 1)) return { fresh: false, why: "due for its periodic rescan" };
    return { fresh: true, ageMs, meta: await this.store.meta() };
  }

  /**
   * triage_queue's one question: the chats of `view` (from the mirror when it is fresh, else from a
   * scan that also seeds it), the cursor of this answer, and with `since` only what changed.
   */
  async answer(question: QueueQuestion): Promise<QueueAnswer> {
    const freshness = await this.ensureFresh();
    // A store that fails between the freshness check and the read (Redis down) is scanned past, as an unreachable one.
    const held = freshness.fresh ? await this.mirrored(question, freshness).catch(() => undefined) : undefined;
    const answer = held ?? (await this.scanned(question, freshness.fresh ? "unreachable (Redis)" : freshness.why));
    const state = freshness.fresh ? freshness.meta : await this.store.meta().catch(() => undefined);
    const now = this.now();
    if (!state) return { ...answer, cursor: "unavailable" };
    // As of the answer: a snooze that ends after a kept answer was ranked is a change the next poll reports.
    const cursor = encodeCursor({ epoch: state.epoch, seq: state.seq, at: answer.asOf });
    if (question.since === undefined) return { ...answer, cursor };
    const changes = await this.changesSince(question.since, question.view, now).catch(() => undefined);
    if (!changes)
      return { ...answer, cursor, notes: [...answer.notes, "The since cursor is unknown or too old: this is the full answer."] };
    // What changed is as of now, whenever the counts beside it were made.
    return { ...answer, cursor: encodeCursor({ epoch: state.epoch, seq: state.seq, at: now }), changes, asOf: now };
  }

  /**
   * A tag for the answer `question` (the whole queue, no `since`) gets right now from the mirror: the
   * mirror's state, the minute, the question and the team's availability. Answers under one tag say
   * the same (a transport may send again what it sent for it: src/mcp/kept-responses.ts), as long as
   * the tag is taken before and after making the answer and both agree. Undefined when the mirror is
   * not fresh (a scan answers, and says so).
   */
  async keptAnswerTag(question: Pick<QueueQuestion, "view" | "limit" | "directory">): Promise<string | undefined> {
    const freshness = await this.ensureFresh();
    if (!freshness.fresh) return undefined;
    return JSON.stringify([keptKey(freshness.meta, this.now(), question), question.directory.knownAvailability() ?? null]);
  }

  private async mirrored(question: QueueQuestion, fresh: Extract<Freshness, { fresh: true }>): Promise<Omit<QueueAnswer, "cursor">> {
    return {
      ...(await this.ranked(question, fresh)),
      complete: true,
      notes: [],
      team: question.directory.knownAvailability(),
    };
  }

  /**
   * The view's chats and counts from the mirror, kept while the mirror is unchanged for the rest of
   * the minute they were ranked in: waits are whole minutes, and agents polling the queue (or fifty
   * clients of one server) would otherwise rank the same mirror over and over. A webhook, a poll or
   * a seed page that changes a chat moves the mirror's sequence and so makes a new answer. What it
   * says of its freshness is as of then too, so equal kept answers read the same.
   */
  private ranked(question: QueueQuestion, fresh: Extract<Freshness, { fresh: true }>): Promise<KeptAnswer> {
    const now = this.now();
    const key = keptKey(fresh.meta, now, question);
    // Kept as a promise: the clients that ask at once, as a new minute starts, share one ranking.
    const kept = this.answers.get(key);
    if (kept) return kept;
    const making = this.rank(question, fresh, now);
    this.answers.set(key, making);
    making.catch(() => this.answers.delete(key));
    return making;
  }

  private async rank(question: QueueQuestion, fresh: Extract<Freshness, { fresh: true }>, now: number): Promise<KeptAnswer> {
    const { chats, counts } = await fromMirror(this.store, question, now);
    // Only the top is kept: a narrowed view of a large mirror holds thousands of chats, and ranking its top again gives the same top.
    const top = rankQueue(chats, now, question.view.includeSnoozed, question.sla).slice(0, question.limit);
    const lastEvent = fresh.meta.lastEventAt !== undefined ? `last event ${humanAgo(now - fresh.meta.lastEventAt)} before` : "no event yet";
    const asOf = `${isoUtc(now).slice(11, 19)} UTC`;
    return {
      chats: top.map((r) => r.chat),
      counts,
      asOf: now,
      memo: new AnswerMemo(),
      source: `Live queue (${this.source}, 0 requests, as of ${asOf}: ${lastEvent}, rescanned ${humanAgo(fresh.ageMs)} before).`,
      sourceBrief: `Live (${asOf}, ${lastEvent}).`,
    };
  }

  /** The mirror's freshness, never failing: a store that cannot answer (Redis down) is not fresh. */
  private ensureFresh(): Promise<Freshness> {
    return this.freshness().catch((): Freshness => ({ fresh: false, why: "unreachable (Redis)" }));
  }

  private async scanned(question: QueueQuestion, why: string): Promise<Omit<QueueAnswer, "cursor">> {
    const scan = await scanQueue(this.client, question, { kept: this.kept, why }, this.now);
    // A mirror that cannot be written (Redis down) costs only `since`.
    if (scan.seed) await this.seed(scan.seed.chats, scan.seed.startedAt, scan.seed.view).catch(() => undefined);
    return scan.answer;
  }

  private async changesSince(since: string, view: QueueView, now: number): Promise<QueueChanges | undefined> {
    const cursor = decodeCursor(since);
    const log = cursor && (await this.store.changesSince(cursor.epoch, cursor.seq));
    if (!cursor || !log) return undefined;
    // A snooze that ended since brings a chat back with no change to the chat itself.
    const ended = (await this.store.snoozedAfter(cursor.at)).filter((snoozed) => snoozed.until <= now);
    const chats = await Promise.all(ended.map((snoozed) => this.store.get(snoozed.id)));
    return queueChanges(
      log,
      chats.filter((chat): chat is Chat => chat !== null),
      view,
      cursor.at,
      now,
    );
  }

  /** One chat as the mirror holds it (null: not in the queue). */
  chat(chatId: number): Promise<Chat | null> {
    return this.store.get(chatId);
  }

  /** The whole mirror (every chat, cursor position, when seeded): for the channel's reply-target watch and tests. */
  snapshot(): Promise<MirrorState> {
    return this.store.state();
  }

  /** Tells `listener` which chats changed (on any replica sharing the store); returns the way to stop. */
  onPublished(listener: (chatIds: number[]) => void): () => void {
    return this.store.onPublished(listener);
  }

  /** What the mirror is doing, for `doctor` and logs: seeded when, pass progress, reads waiting. */
  async progress(): Promise<{ seededAt?: number; pass?: SeedProgress; pendingReads: number; chats: number }> {
    const [seededAt, pass, chats] = await Promise.all([this.store.seededAt(), this.store.progress(), this.store.size()]);
    return { seededAt, pass, pendingReads: this.pending.size, chats };
  }

  private async applyMessage(event: Extract<WebhookEvent, { kind: "message" }>): Promise<number[]> {
    if (!movesQueue(event.message)) return [];
    const known = await this.store.known(event.chatId);
    if (known?.chat) return this.applyEvent(event.chatId, chatAfterMessage(known.chat, event.message), event.at, known.chat);
    // Left the queue after this message was written: nothing it says can bring the chat back.
    if (known && known.version >= event.at) return [];
    // A closed chat stays closed whoever writes (only an `empty` one opens, and a chat whose status was not seen may be one).
    if (known && (known.status === "closed" || known.status === "no communication")) return [];
    // Before the first seed every chat is unknown: the seed reads them, and those changed during it are read after.
    if (!known && (await this.store.seededAt()) === undefined) {
      this.awaitingSeed.set(event.chatId, Math.max(event.at, this.awaitingSeed.get(event.chatId) ?? event.at));
      return [];
    }
    this.requestRead(event.chatId, event.at);
    return [];
  }

  /**
   * Applies what an event says a chat is now. When the event is late (older than what the mirror
   * holds, or as old but different) and would change the chat, only the API can say what is true:
   * the chat is read again, in the background.
   */
  private async applyEvent(chatId: number, candidate: Chat, version: number, current?: Chat | null): Promise<number[]> {
    const outcome = await this.applied(chatId, await this.store.apply(chatId, candidate, version, "event"));
    if (outcome === "applied") return [chatId];
    const before = current === undefined ? await this.store.get(chatId) : current;
    if (outcome === "tie" || (outcome === "stale" && queueJson(candidate) !== queueJson(before))) this.requestRead(chatId, version);
    return [];
  }

  /** Notes a change applied to the chat being read: that read no longer tells the truth now. */
  private applied<T>(chatId: number, outcome: T): T {
    if (outcome === "applied" && this.reading?.chatId === chatId) this.reading.dirty = true;
    return outcome;
  }

  /** Queues a background read of one chat (coalesced); too many waiting and a seed pass reads them all instead. */
  private requestRead(chatId: number, version: number, attempts = 0, notBefore = 0): void {
    const waiting = this.pending.get(chatId);
    if (waiting) {
      waiting.version = Math.max(waiting.version, version);
      return;
    }
    if (this.pending.size >= MAX_PENDING_READS) {
      this.fallBehind(`over ${MAX_PENDING_READS.toLocaleString("en-US")} chats waiting to be read`);
      return;
    }
    this.pending.set(chatId, { version, attempts, notBefore });
    this.wake();
  }

  /** Too much to read chat by chat: a new pass reads the whole queue; until it ends the mirror is not live. */
  private fallBehind(why: string): void {
    if (!this.behind) this.log.info(`live queue: ${why}; re-reading the whole queue in the background`);
    this.behind = why;
    this.pending.clear();
    this.wake();
  }

  private wake(): void {
    if (this.working || this.stopped) return;
    this.working = this.work()
      .catch((error: unknown) => this.log.warn(`live queue: background work failed (${reason(error)})`))
      .finally(() => {
        this.working = undefined;
      });
  }

  /** The background: one job at a time, each after a place in the background window. */
  private async work(): Promise<void> {
    for (let job = await this.nextJob(); job && !this.stopped; job = await this.nextJob()) {
      this.lastJob = job.kind;
      if (job.kind === "read") await this.readChat(job.chatId);
      else if (job.kind === "check") await this.checkWebhooks();
      else await this.seedPage();
    }
  }

  /** A read due now, or the next seed page; they take turns while both wait. */
  private async nextJob(): Promise<Job | undefined> {
    const now = this.now();
    let read: number | undefined;
    for (const [chatId, pending] of this.pending)
      if (pending.notBefore <= now) {
        read = chatId;
        break;
      }
    if (await this.checkDue().catch(() => false)) return { kind: "check" };
    const seed = this.kept && (await this.seedDue().catch(() => false));
    if (read !== undefined && (!seed || this.lastJob === "seed")) return { kind: "read", chatId: read };
    return seed ? { kind: "seed" } : undefined;
  }

  /** A webhook check is due: webhooks keep a seeded mirror, none found stopped yet, and silence since the last event and check. */
  private async checkDue(): Promise<boolean> {
    if (this.silenceMs === undefined || this.silence || this.now() - (this.checkedAt ?? 0) < this.silenceMs) return false;
    const meta = await this.store.meta();
    if (meta.seededAt === undefined) return false;
    const heard = Math.max(meta.lastEventAt ?? 0, meta.seededAt, this.checkedAt ?? 0);
    return this.now() - heard >= this.silenceMs;
  }

  /**
   * One query: chats HelpCrunch changed since the mirror last heard anything. One the mirror holds
   * otherwise (and is not already waiting to re-read) is a change no webhook told: they stopped.
   */
  private async checkWebhooks(): Promise<void> {
    const meta = await this.store.meta();
    const heardAt = Math.max(meta.lastEventAt ?? 0, meta.seededAt ?? 0);
    const at = this.now();
    this.checkedAt = at;
    let changed: Chat[];
    try {
      changed = (
        await this.backgroundRead(() =>
          this.client.queryChats({ updatedSince: heardAt, limit: CHECK_PAGE }, { signal: AbortSignal.timeout(READ_TIMEOUT_MS) }),
        )
      ).chats;
    } catch (error) {
      this.log.debug(`live queue: webhook check failed (${reason(error)}); retrying later`);
      return;
    }
    const unheard: number[] = [];
    for (const chat of changed)
      if (!this.pending.has(chat.id) && queueJson(chat) !== queueJson(await this.store.get(chat.id))) unheard.push(chat.id);
    if (unheard.length === 0) return;
    this.silence = { at, heardAt, changed: unheard.length, example: unheard[0] as number, reread: false, heard: false };
    this.log.warn(
      `live queue: no webhook event for ${humanAgo(at - heardAt)} although HelpCrunch shows changes the mirror never heard of; check the webhook in HelpCrunch (URL, signing key). Re-reading the queue meanwhile.`,
    );
    this.wake();
  }

  private async seedDue(): Promise<boolean> {
    if (this.now() < this.seedNotBefore) return false;
    if (await this.store.progress()) return true;
    if (this.behind || (this.silence && !this.silence.reread)) return true;
    const seededAt = await this.store.seededAt();
    return seededAt === undefined || this.now() - seededAt >= this.maxAgeMs;
  }

  /** Takes a place in the background window for one HelpCrunch request. */
  private async backgroundRead<T>(read: () => Promise<T>): Promise<T> {
    const release = await this.window.take(undefined, {});
    try {
      return await read();
    } finally {
      release();
    }
  }

  private async readChat(chatId: number): Promise<void> {
    const pending = this.pending.get(chatId);
    if (!pending) return;
    this.pending.delete(chatId);
    try {
      const chat = await this.backgroundRead(() => {
        this.reading = { chatId, dirty: false };
        return this.client.getChat(chatId, { signal: AbortSignal.timeout(READ_TIMEOUT_MS) }).catch((error: unknown) => {
          if (isNotFound(error)) return null;
          throw error;
        });
      });
      await this.serial(async () => {
        // An event changed the chat while it was read: what was read may be older than it. Read again.
        if (this.reading?.dirty) return this.requestRead(chatId, pending.version);
        if ((await this.store.apply(chatId, chat, pending.version, "reread")) === "applied") await this.store.publish([chatId]);
      });
    } catch (error) {
      // Retried later, never dropped: the change it stands for is not in the mirror yet.
      const attempts = pending.attempts + 1;
      this.log.debug(`live queue: could not read chat ${chatId} (${reason(error)}); retrying`);
      this.requestRead(chatId, pending.version, attempts, this.now() + Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** attempts));
    } finally {
      this.reading = undefined;
    }
  }

  /** One page of the progressive seed (this replica holding the seed lease), or the end of a pass. */
  private async seedPage(): Promise<void> {
    // Another replica runs the pass: this one looks again at a later tick.
    if (!(await this.store.lease(this.owner, SEED_LEASE_MS))) {
      this.seedNotBefore = this.now() + TICK_MS;
      return;
    }
    const pass = (await this.store.progress()) ?? newPass(this.now());
    const readAt = this.now();
    let page: Awaited<ReturnType<typeof readSeedPage>>;
    try {
      page = await this.backgroundRead(() => readSeedPage(this.client, pass, AbortSignal.timeout(READ_TIMEOUT_MS * 2)));
    } catch (error) {
      this.log.debug(`live queue: seed page failed (${reason(error)}); retrying`);
      await this.store.saveProgress(pass);
      this.seedNotBefore = this.now() + RETRY_FIRST_MS;
      return;
    }
    await this.applyRead(page.chats, readAt);
    if (page.next) return this.store.saveProgress(page.next);
    await this.serial(() => this.endPass(pass.startedAt));
  }

  /** Every open status read: chats neither the pass nor an event touched since it began are no longer open. */
  private async endPass(startedAt: number): Promise<void> {
    const changed: number[] = [];
    for (let cursor: string | null = "0"; cursor !== null; ) {
      const older: { ids: number[]; next: string | null } = await this.store.olderThan(startedAt, cursor, 1_000);
      for (const id of older.ids) if ((await this.store.apply(id, null, startedAt, "seed")) === "applied") changed.push(id);
      cursor = older.next;
    }
    await this.store.saveProgress(undefined);
    await this.seeded(startedAt);
    if (changed.length) await this.store.publish(changed);
    this.log.info(`live queue: seeded (${await this.store.size()} open chats)`);
  }
}
