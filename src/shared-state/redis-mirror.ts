/**
 * The live queue's mirror in Redis, shared by every replica using the API key, compact enough for
 * 100,000 open chats (under 0.5 KB a chat) and read from an index rather than whole.
 *
 * Keys (after `helpcrunch-mcp:<hash>:live:`):
 * - `q` hash: chat id → `[version,…fields]`, a chat as queueChat keeps it, positional (RECORD_FIELDS).
 * - `w` sorted set: chat id by how long its customer has waited (lastCustomerMessageAt, seconds), so
 *   an answer reads the longest waits and the size without reading every chat.
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
import type { Chat } from "../helpcrunch/index.js";
import type { RateWindow } from "../helpcrunch/rate-limiter.js";
import {
  type ApplyMode,
  type ApplyOutcome,
  CHANGE_LOG_LIMIT,
  DELIVERY_MEMORY,
  DELIVERY_TTL_MS,
  GONE_MEMORY,
  type Known,
  type LoggedChange,
  type MirrorState,
  type MirrorStore,
  queueChat,
  type SeedProgress,
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
 * KEYS: q, w, gone, log, seq. ARGV: id, queued body ("" = not in the queue), body of the chat after
 * ("" = none), version, mode, gone code, wait score, gone memory, log limit. The rule is
 * versionVerdict's (services/mirror-store.ts).
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

type Ref = [number, string | 0];

/** Epoch ms → seconds (HelpCrunch's times are whole seconds; a fraction keeps the rest); null → 0. */
const time = (ms: number | null) => (ms === null ? 0 : ms / 1000);
const untime = (value: unknown) => (typeof value === "number" && value !== 0 ? Math.round(value * 1000) : null);
const str = (value: string | null): string | 0 => value ?? 0;
const unstr = (value: unknown) => (typeof value === "string" ? value : null);
const flag = (value: boolean | null) => (value === null ? -1 : value ? 1 : 0);
const unflag = (value: unknown) => (value === -1 ? null : value === 1);
const num = (value: unknown) => (typeof value === "number" && value !== 0 ? value : null);

/**
 * A chat (as queueChat keeps it) as the fields of its record, without brackets or version: the
 * same chat always gives the same text, so the script can compare two by their bodies.
 */
export function encodeChat(chat: Chat): string {
  const c = queueChat(chat);
  const ref = (r: { id: number; name: string | null } | null): Ref | 0 => (r ? [r.id, str(r.name)] : 0);
  const fields = [
    c.id,
    c.status,
    time(c.createdAt),
    time(c.lastMessageAt),
    time(c.lastCustomerMessageAt),
    time(c.snoozedUntil),
    flag(c.readByAgent),
    flag(c.readByCustomer),
    ref(c.assignee),
    ref(c.department),
    c.customer ? [c.customer.id, str(c.customer.name), str(c.customer.email)] : 0,
    str(c.lastMessageText),
    c.agents.map((agent) => agent.id),
    c.lastCommunicatedAgentId ?? 0,
    c.lastMessageId ?? 0,
    c.applicationId ?? 0,
    str(c.rating),
    str(c.createdWith),
    time(c.closedAt),
    str(c.closedBy),
  ];
  return JSON.stringify(fields).slice(1, -1);
}

/** A record (`[version,…fields]`) back to the chat queueChat kept. */
export function decodeChat(record: string): { chat: Chat; version: number } {
  const f = JSON.parse(record) as unknown[];
  const ref = (value: unknown) => (Array.isArray(value) ? { id: value[0] as number, name: unstr(value[1]) } : null);
  const customer = f[11];
  const assignee = ref(f[9]);
  return {
    version: f[0] as number,
    chat: {
      id: f[1] as number,
      status: f[2] as string,
      createdAt: untime(f[3]),
      lastMessageAt: untime(f[4]),
      lastCustomerMessageAt: untime(f[5]),
      snoozedUntil: untime(f[6]),
      readByAgent: unflag(f[7]),
      readByCustomer: unflag(f[8]),
      assignee: assignee && { ...assignee, email: null, role: null },
      department: ref(f[10]),
      customer: Array.isArray(customer)
        ? { id: customer[0] as number, name: unstr(customer[1]), email: unstr(customer[2]), userId: null }
        : null,
      lastMessageText: unstr(f[12]),
      agents: (Array.isArray(f[13]) ? (f[13] as number[]) : []).map((id) => ({ id, name: null, email: null, role: null })),
      lastCommunicatedAgentId: num(f[14]),
      lastMessageId: num(f[15]),
      applicationId: num(f[16]),
      rating: unstr(f[17]),
      createdWith: unstr(f[18]),
      closedAt: untime(f[19]),
      closedBy: unstr(f[20]),
    },
  };
}

export class RedisMirror implements MirrorStore {
  private readonly keys: Record<"q" | "w" | "gone" | "log" | "seq" | "meta" | "lease" | "deliveries" | "channel", string>;
  private subscriber?: Redis;
  private readonly listeners = new Set<(chatIds: number[]) => void>();
  private window?: RateWindow;

  constructor(private readonly store: SharedStore) {
    const at = (name: string) => `${store.prefix}live:${name}`;
    this.keys = {
      q: at("q"),
      w: at("w"),
      gone: at("gone"),
      log: at("log"),
      seq: at("seq"),
      meta: at("meta"),
      lease: at("lease"),
      deliveries: at("deliveries"),
      channel: at("changes"),
    };
    store.redis.defineCommand("helpcrunchMirrorApply", { numberOfKeys: 5, lua: APPLY_SCRIPT });
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
    const { q, w, gone, log, seq } = this.keys;
    return this.store.run(() =>
      this.commands.helpcrunchMirrorApply(
        q,
        w,
        gone,
        log,
        seq,
        String(chatId),
        queued,
        chat ? encodeChat(chat) : "",
        String(version),
        mode,
        String(goneCode(chat?.status)),
        String(chat ? Math.min(NEVER, waitScore(chat) / 1000) : NEVER),
        String(GONE_MEMORY),
        String(CHANGE_LOG_LIMIT),
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

  async longestWaiting(count: number): Promise<Chat[]> {
    const ids = await this.store.run((redis) => redis.zrange(this.keys.w, "0", String(count - 1)));
    if (ids.length === 0) return [];
    const records = await this.store.run((redis) => redis.hmget(this.keys.q, ...ids));
    return records.filter((raw): raw is string => raw !== null).map((raw) => decodeChat(raw).chat);
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

  async state(): Promise<MirrorState> {
    const epoch = await this.epoch();
    const [chats, meta, seq] = await this.store.run((redis) =>
      Promise.all([redis.hvals(this.keys.q), redis.hgetall(this.keys.meta), redis.get(this.keys.seq)]),
    );
    const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
    return {
      epoch,
      seq: Number(seq ?? 0),
      seededAt: number(meta.seededAt),
      lastEventAt: number(meta.lastEventAt),
      chats: chats.map((raw) => decodeChat(raw).chat),
    };
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
