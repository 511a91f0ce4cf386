/**
 * The live queue's mirror in Redis, shared by every replica using the API key, compact enough for
 * 100,000 open chats (under 0.5 KB a chat) and read from an index rather than whole.
 *
 * Keys (after `helpcrunch-mcp:<hash>:live:`):
 * - `q` hash: chat id → `[version,…fields]`, a chat as queueChat keeps it, positional (RECORD_FIELDS).
 * - `w` sorted set: chat id by how long its customer has waited (lastCustomerMessageAt, seconds), so
 *   an answer reads the longest waits and the size without reading every chat.
 * - `n` hash: the tally of the queued chats (facet → chats, src/domain/queue-tally.ts), kept by the
 *   script from each record's facets field, so an answer counts the queue without reading it.
 * - `z` sorted set: queued chats that have a snooze time, by it (seconds), as `id=facets`: the chats
 *   still snoozed, and what to take off the tally for them, without reading their records.
 * - `gone` sorted set: chats that left the queue, scored version × 4 + status code, the newest
 *   GONE_MEMORY kept (a late event cannot bring one back; a message in a closed one needs no read).
 * - `log` list and `seq`: the change log for `since` cursors (CHANGE_LOG_LIMIT entries).
 * - `meta` hash: epoch, seededAt, lastEventAt, progress (the seed pass, JSON).
 * - `lease`: which replica runs the seed pass. `budget`: the background reads' window (rate-window.ts).
 * - `deliveries` sorted set: delivery ids by arrival, bounded by count (DELIVERY_MEMORY) and by age.
 * - `changes`: the pub/sub channel of changed chat ids.
 * The version check and the write are one Lua script, so two replicas applying events of one chat
 * at once keep the newer one.
 *
 * Unlike the reply guard this fails open: when Redis cannot answer, triage_queue scans as it did
 * before the live queue (see src/services/live-answer.ts).
 */
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { isOpen } from "../domain/conversation.js";
import type { Tally } from "../domain/queue-tally.js";
import type { Chat } from "../helpcrunch/index.js";
import type { RateWindow } from "../helpcrunch/rate-limiter.js";
import { decodeChat, encodeChat } from "../services/mirror-record.js";
import {
  type ApplyMode,
  type ApplyOutcome,
  CHANGE_LOG_LIMIT,
  DELIVERY_MEMORY,
  DELIVERY_TTL_MS,
  GONE_MEMORY,
  type Known,
  type LoggedChange,
  type MirrorMeta,
  type MirrorState,
  type MirrorStore,
  type SeedProgress,
  type Snoozed,
  waitScore,
} from "../services/mirror-store.js";
import { RedisWindow } from "./rate-window.js";
import type { SharedStore } from "./store.js";

/** Status codes of chats that left the queue (the low two bits of their `gone` score). */
const GONE_STATUSES = ["closed", "no communication", "empty"] as const;
const goneCode = (status: string | undefined) => {
  const code = GONE_STATUSES.indexOf(status as (typeof GONE_STATUSES)[number]);
  return code < 0 ? 3 : code;
};
/** The wait score of a chat whose customer never wrote: after every real time. */
const NEVER = 9e12;

/**
 * KEYS: q, w, gone, log, seq, n, z. ARGV: id, queued body ("" = not in the queue), body of the chat
 * after ("" = none), version, mode, gone code, wait score, gone memory, log limit, snooze score
 * ("" = none). The rule is versionVerdict's (services/mirror-store.ts); the tally moves by the
 * facets field that ends every body (services/mirror-record.ts).
 */
export const APPLY_SCRIPT = `
local id = ARGV[1]
local queued = ARGV[2]
local v = tonumber(ARGV[4])
local mode = ARGV[5]
local rec = redis.call('HGET', KEYS[1], id)
local before = ''
local old = nil
if rec then
  local ver, body = string.match(rec, '^%[([^,]*),(.*)%]$')
  old = tonumber(ver)
  before = body
else
  local s = redis.call('ZSCORE', KEYS[3], id)
  if s then old = math.floor(tonumber(s) / 4) end
end
local same = before == queued
if old and mode ~= 'reread' and not (v > old) then
  if mode == 'event' and v == old and not same then return 'tie' end
  return 'stale'
end
local kept = v
if old and old > v then kept = old end
local oldf = string.match(before, ',"(n[^"]*)"$')
local newf = string.match(queued, ',"(n[^"]*)"$')
if not same then
  if oldf then for f in string.gmatch(oldf, '[^|]+') do
    if redis.call('HINCRBY', KEYS[6], f, -1) <= 0 then redis.call('HDEL', KEYS[6], f) end
  end end
  if newf then for f in string.gmatch(newf, '[^|]+') do redis.call('HINCRBY', KEYS[6], f, 1) end end
end
if oldf then redis.call('ZREM', KEYS[7], id .. '=' .. oldf) end
if newf and ARGV[10] ~= '' then redis.call('ZADD', KEYS[7], ARGV[10], id .. '=' .. newf) end
if queued ~= '' then
  redis.call('HSET', KEYS[1], id, '[' .. string.format('%d', kept) .. ',' .. queued .. ']')
  redis.call('ZADD', KEYS[2], ARGV[7], id)
  redis.call('ZREM', KEYS[3], id)
else
  if rec then
    redis.call('HDEL', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
  end
  redis.call('ZADD', KEYS[3], string.format('%d', kept * 4 + tonumber(ARGV[6])), id)
  redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(tonumber(ARGV[8]) + 1))
end
if same then return 'unchanged' end
local seq = redis.call('INCR', KEYS[5])
local after = ARGV[3]
local b = 'null'
if before ~= '' then b = '[0,' .. before .. ']' end
local a = 'null'
if after ~= '' then a = '[0,' .. after .. ']' end
redis.call('RPUSH', KEYS[4], '{"seq":' .. seq .. ',"chatId":' .. id .. ',"before":' .. b .. ',"after":' .. a .. '}')
redis.call('LTRIM', KEYS[4], -tonumber(ARGV[9]), -1)
return 'applied'
`;

/** KEYS: deliveries. ARGV: id, now, ttl, limit. 1 the first time an id is seen within the ttl. */
export const DELIVERY_SCRIPT = `
local now = tonumber(ARGV[2])
local seen = redis.call('ZSCORE', KEYS[1], ARGV[1])
if seen and tonumber(seen) > now - tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[4]) + 1))
return 1
`;

/** KEYS: lease. ARGV: owner, ms. 1 when `owner` holds it (now for ms more). */
export const LEASE_SCRIPT = `
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

interface MirrorCommands {
  helpcrunchMirrorApply(...args: string[]): Promise<ApplyOutcome>;
  helpcrunchMirrorDelivery(key: string, id: string, now: string, ttl: string, limit: string): Promise<number>;
  helpcrunchMirrorLease(key: string, owner: string, ms: string): Promise<number>;
}

export class RedisMirror implements MirrorStore {
  private readonly keys: Record<"q" | "w" | "n" | "z" | "gone" | "log" | "seq" | "meta" | "lease" | "deliveries" | "channel", string>;
  private subscriber?: Redis;
  private readonly listeners = new Set<(chatIds: number[]) => void>();
  private window?: RateWindow;

  constructor(private readonly store: SharedStore) {
    const at = (name: string) => `${store.prefix}live:${name}`;
    this.keys = {
      q: at("q"),
      w: at("w"),
      n: at("n"),
      z: at("z"),
      gone: at("gone"),
      log: at("log"),
      seq: at("seq"),
      meta: at("meta"),
      lease: at("lease"),
      deliveries: at("deliveries"),
      channel: at("changes"),
    };
    store.redis.defineCommand("helpcrunchMirrorApply", { numberOfKeys: 7, lua: APPLY_SCRIPT });
    store.redis.defineCommand("helpcrunchMirrorDelivery", { numberOfKeys: 1, lua: DELIVERY_SCRIPT });
    store.redis.defineCommand("helpcrunchMirrorLease", { numberOfKeys: 1, lua: LEASE_SCRIPT });
  }

  private get commands(): MirrorCommands {
    return this.store.redis as unknown as MirrorCommands;
  }

  async firstDelivery(eventId: string, at: number): Promise<boolean> {
    const id = eventId.slice(0, 200);
    const first = await this.store.run(() =>
      this.commands.helpcrunchMirrorDelivery(this.keys.deliveries, id, String(at), String(DELIVERY_TTL_MS), String(DELIVERY_MEMORY)),
    );
    return first === 1;
  }

  async get(chatId: number): Promise<Chat | null> {
    const raw = await this.store.run((redis) => redis.hget(this.keys.q, String(chatId)));
    return raw === null ? null : decodeChat(raw).chat;
  }

  async known(chatId: number): Promise<Known | undefined> {
    const [raw, gone] = await this.store.run((redis) =>
      Promise.all([redis.hget(this.keys.q, String(chatId)), redis.zscore(this.keys.gone, String(chatId))]),
    );
    if (raw !== null) return decodeChat(raw);
    if (gone === null) return undefined;
    const score = Number(gone);
    return { chat: null, version: Math.floor(score / 4), status: GONE_STATUSES[score % 4] ?? "gone" };
  }

  async apply(chatId: number, chat: Chat | null, version: number, mode: ApplyMode): Promise<ApplyOutcome> {
    const queued = chat && isOpen(chat) ? encodeChat(chat) : "";
    const { q, w, gone, log, seq, n, z } = this.keys;
    const snooze = chat?.snoozedUntil;
    return this.store.run(() =>
      this.commands.helpcrunchMirrorApply(
        q,
        w,
        gone,
        log,
        seq,
        n,
        z,
        String(chatId),
        queued,
        chat ? encodeChat(chat) : "",
        String(version),
        mode,
        String(goneCode(chat?.status)),
        String(chat ? Math.min(NEVER, waitScore(chat) / 1000) : NEVER),
        String(GONE_MEMORY),
        String(CHANGE_LOG_LIMIT),
        snooze == null ? "" : String(snooze / 1000),
      ),
    );
  }

  async ids(): Promise<number[]> {
    return (await this.store.run((redis) => redis.hkeys(this.keys.q))).map(Number);
  }

  async olderThan(before: number, cursor: string, limit: number): Promise<{ ids: number[]; next: string | null }> {
    const [next, flat] = await this.store.run((redis) => redis.hscan(this.keys.q, cursor, "COUNT", String(limit)));
    const ids: number[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const record = flat[i + 1] as string;
      if (Number(record.slice(1, record.indexOf(","))) < before) ids.push(Number(flat[i]));
    }
    return { ids, next: next === "0" ? null : next };
  }

  async size(): Promise<number> {
    return this.store.run((redis) => redis.hlen(this.keys.q));
  }

  async longestWaiting(count: number, offset = 0): Promise<Chat[]> {
    if (count <= 0) return [];
    const ids = await this.store.run((redis) => redis.zrange(this.keys.w, String(offset), String(offset + count - 1)));
    return this.records(ids);
  }

  private async records(ids: string[]): Promise<Chat[]> {
    if (ids.length === 0) return [];
    const records = await this.store.run((redis) => redis.hmget(this.keys.q, ...ids));
    return records.filter((raw): raw is string => raw !== null).map((raw) => decodeChat(raw).chat);
  }

  async tally(): Promise<Tally> {
    const raw = await this.store.run((redis) => redis.hgetall(this.keys.n));
    return Object.fromEntries(Object.entries(raw).map(([facet, n]) => [facet, Number(n)]));
  }

  async snoozedAfter(at: number): Promise<Snoozed[]> {
    // Seconds with a fraction, as the script scores them: "(" excludes a snooze ending exactly at `at`.
    const flat = await this.store.run((redis) => redis.zrangebyscore(this.keys.z, `(${at / 1000}`, "+inf", "WITHSCORES"));
    const snoozed: Snoozed[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const member = flat[i] as string;
      const cut = member.indexOf("=");
      snoozed.push({
        id: Number(member.slice(0, cut)),
        until: Math.round(Number(flat[i + 1]) * 1000),
        facets: member.slice(cut + 1).split("|"),
      });
    }
    return snoozed;
  }

  async markSeeded(at: number): Promise<void> {
    await this.store.run((redis) => redis.hset(this.keys.meta, "seededAt", String(at)));
  }

  async seededAt(): Promise<number | undefined> {
    const raw = await this.store.run((redis) => redis.hget(this.keys.meta, "seededAt"));
    return raw === null ? undefined : Number(raw);
  }

  async noteEvent(at: number): Promise<void> {
    await this.store.run((redis) => redis.hset(this.keys.meta, "lastEventAt", String(at)));
  }

  async progress(): Promise<SeedProgress | undefined> {
    const raw = await this.store.run((redis) => redis.hget(this.keys.meta, "progress"));
    return raw === null ? undefined : (JSON.parse(raw) as SeedProgress);
  }

  async saveProgress(progress: SeedProgress | undefined): Promise<void> {
    await this.store.run((redis) =>
      progress ? redis.hset(this.keys.meta, "progress", JSON.stringify(progress)) : redis.hdel(this.keys.meta, "progress"),
    );
  }

  async lease(owner: string, ms: number): Promise<boolean> {
    return (await this.store.run(() => this.commands.helpcrunchMirrorLease(this.keys.lease, owner, String(ms)))) === 1;
  }

  backgroundWindow(perWindow: number, windowMs: number, leaseMs: number): RateWindow {
    this.window ??= new RedisWindow(this.store, { perWindow, windowMs, leaseMs, name: "live:budget" });
    return this.window;
  }

  private async epoch(): Promise<string> {
    const fresh = randomBytes(4).readUInt32BE(0).toString(36);
    await this.store.run((redis) => redis.hsetnx(this.keys.meta, "epoch", fresh));
    return (await this.store.run((redis) => redis.hget(this.keys.meta, "epoch"))) ?? fresh;
  }

  async meta(): Promise<MirrorMeta> {
    const epoch = await this.epoch();
    const [meta, seq] = await this.store.run((redis) => Promise.all([redis.hgetall(this.keys.meta), redis.get(this.keys.seq)]));
    const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
    return { epoch, seq: Number(seq ?? 0), seededAt: number(meta.seededAt), lastEventAt: number(meta.lastEventAt) };
  }

  async state(): Promise<MirrorState> {
    const [meta, chats] = await Promise.all([this.meta(), this.store.run((redis) => redis.hvals(this.keys.q))]);
    return { ...meta, chats: chats.map((raw) => decodeChat(raw).chat) };
  }

  async changesSince(epoch: string, seq: number): Promise<LoggedChange[] | undefined> {
    const state = await this.store.run((redis) => Promise.all([redis.hget(this.keys.meta, "epoch"), redis.get(this.keys.seq)]));
    const current = Number(state[1] ?? 0);
    if (state[0] !== epoch || seq > current || current - seq > CHANGE_LOG_LIMIT) return undefined;
    if (current === seq) return [];
    const raw = await this.store.run((redis) => redis.lrange(this.keys.log, -(current - seq), -1));
    const changes = raw
      .map((line) => JSON.parse(line) as { seq: number; chatId: number; before: unknown[] | null; after: unknown[] | null })
      .map((entry) => ({
        seq: entry.seq,
        chatId: entry.chatId,
        before: entry.before && decodeChat(JSON.stringify(entry.before)).chat,
        after: entry.after && decodeChat(JSON.stringify(entry.after)).chat,
      }))
      .filter((change) => change.seq > seq);
    // The list was trimmed past the cursor: it no longer reaches back that far.
    return changes[0]?.seq === seq + 1 ? changes : undefined;
  }

  async publish(chatIds: number[]): Promise<void> {
    await this.store.run((redis) => redis.publish(this.keys.channel, JSON.stringify(chatIds)));
  }

  onPublished(listener: (chatIds: number[]) => void): () => void {
    this.listeners.add(listener);
    if (!this.subscriber) {
      // A connection in subscriber mode can do nothing else: its own, made on first use.
      const subscriber = this.store.redis.duplicate({ enableOfflineQueue: true });
      this.subscriber = subscriber;
      subscriber.on("error", () => undefined); // the main connection reports outages
      subscriber.on("message", (_channel: string, message: string) => {
        let ids: unknown;
        try {
          ids = JSON.parse(message);
        } catch {
          return;
        }
        if (!Array.isArray(ids)) return;
        const chatIds = ids.filter((id): id is number => Number.isSafeInteger(id));
        for (const each of this.listeners) each(chatIds);
      });
      void subscriber.subscribe(this.keys.channel).catch(() => undefined);
    }
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the pub/sub connection listens (tests, start-up). */
  async listening(): Promise<void> {
    if (!this.subscriber) return;
    const subscriber = this.subscriber;
    for (let i = 0; i < 100 && subscriber.status !== "ready"; i++) await new Promise((r) => setTimeout(r, 20));
    await subscriber.subscribe(this.keys.channel);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber?.disconnect();
  }
}
