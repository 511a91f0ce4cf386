/**
 * The live queue's mirror in Redis, shared by every replica using the API key: a webhook received
 * by one replica updates the queue every replica answers from, and its change notice reaches the
 * others' subscribers through pub/sub.
 *
 * Keys under the API key's prefix: `live:chats` (hash id → chat JSON, open chats only),
 * `live:versions` (hash id → version), `live:log` (list of changes, the newest CHANGE_LOG_LIMIT),
 * `live:seq` (counter), `live:meta` (hash: epoch, seededAt, lastEventAt), `live:delivery:<id>`
 * (a day, for deduplication); channel `live:changes`. The version check and the write are one
 * Lua script, so two replicas applying events of one chat at once keep the newer one.
 *
 * Unlike the reply guard this fails open: when Redis cannot answer, triage_queue scans as it did
 * before the live queue (see src/tools/kit/live-queue.ts).
 */
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { Chat } from "../helpcrunch/index.js";
import {
  type ApplyMode,
  type ApplyOutcome,
  CHANGE_LOG_LIMIT,
  type LoggedChange,
  type MirrorState,
  type MirrorStore,
  queueJson,
} from "../services/live-queue.js";
import type { SharedStore } from "./store.js";

const DELIVERY_TTL_MS = 24 * 3600_000;

/**
 * KEYS: chats, versions, log, seq. ARGV: id, queued JSON ("" = not in the queue), full JSON of the
 * chat after ("" = none), version, mode, log limit. The rule is versionVerdict's (services/live-queue.ts).
 */
export const APPLY_SCRIPT = `
local before = redis.call('HGET', KEYS[1], ARGV[1])
local queued = ARGV[2]
local same = (before or '') == queued
local old = redis.call('HGET', KEYS[2], ARGV[1])
local v = tonumber(ARGV[4])
if old then
  old = tonumber(old)
  if ARGV[5] ~= 'reread' and not (v > old) then
    if ARGV[5] == 'event' and v == old and not same then return 'tie' end
    return 'stale'
  end
  if v > old then redis.call('HSET', KEYS[2], ARGV[1], ARGV[4]) end
else
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
end
if same then return 'unchanged' end
if queued == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], queued) end
local seq = redis.call('INCR', KEYS[4])
local after = ARGV[3]
if after == '' then after = 'null' end
redis.call('RPUSH', KEYS[3], '{"seq":' .. seq .. ',"chatId":' .. ARGV[1] .. ',"before":' .. (before or 'null') .. ',"after":' .. after .. '}')
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[6]), -1)
return 'applied'
`;

interface ApplyCommand {
  helpcrunchMirrorApply(
    chats: string,
    versions: string,
    log: string,
    seq: string,
    id: string,
    queued: string,
    after: string,
    version: string,
    mode: string,
    limit: string,
  ): Promise<ApplyOutcome>;
}

export class RedisMirror implements MirrorStore {
  private readonly keys: { chats: string; versions: string; log: string; seq: string; meta: string; channel: string };
  private subscriber?: Redis;
  private readonly listeners = new Set<(chatIds: number[]) => void>();

  constructor(private readonly store: SharedStore) {
    const at = (name: string) => `${store.prefix}live:${name}`;
    this.keys = { chats: at("chats"), versions: at("versions"), log: at("log"), seq: at("seq"), meta: at("meta"), channel: at("changes") };
    store.redis.defineCommand("helpcrunchMirrorApply", { numberOfKeys: 4, lua: APPLY_SCRIPT });
  }

  async firstDelivery(eventId: string): Promise<boolean> {
    const key = `${this.store.prefix}live:delivery:${eventId.slice(0, 200)}`;
    return (await this.store.run((redis) => redis.set(key, "1", "PX", DELIVERY_TTL_MS, "NX"))) === "OK";
  }

  async get(chatId: number): Promise<Chat | null> {
    const raw = await this.store.run((redis) => redis.hget(this.keys.chats, String(chatId)));
    return raw === null ? null : (JSON.parse(raw) as Chat);
  }

  async apply(chatId: number, chat: Chat | null, version: number, mode: ApplyMode): Promise<ApplyOutcome> {
    const queued = queueJson(chat);
    const { chats, versions, log, seq } = this.keys;
    return this.store.run((redis) =>
      (redis as unknown as ApplyCommand).helpcrunchMirrorApply(
        chats,
        versions,
        log,
        seq,
        String(chatId),
        queued === "null" ? "" : queued,
        chat ? JSON.stringify(chat) : "",
        String(version),
        mode,
        String(CHANGE_LOG_LIMIT),
      ),
    );
  }

  async ids(): Promise<number[]> {
    return (await this.store.run((redis) => redis.hkeys(this.keys.chats))).map(Number);
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

  private async epoch(): Promise<string> {
    const fresh = randomBytes(4).readUInt32BE(0).toString(36);
    await this.store.run((redis) => redis.hsetnx(this.keys.meta, "epoch", fresh));
    return (await this.store.run((redis) => redis.hget(this.keys.meta, "epoch"))) ?? fresh;
  }

  async state(): Promise<MirrorState> {
    const epoch = await this.epoch();
    const [chats, meta, seq] = await this.store.run((redis) =>
      Promise.all([redis.hvals(this.keys.chats), redis.hgetall(this.keys.meta), redis.get(this.keys.seq)]),
    );
    const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
    return {
      epoch,
      seq: Number(seq ?? 0),
      seededAt: number(meta.seededAt),
      lastEventAt: number(meta.lastEventAt),
      chats: chats.map((raw) => JSON.parse(raw) as Chat),
    };
  }

  async changesSince(epoch: string, seq: number): Promise<LoggedChange[] | undefined> {
    const state = await this.store.run((redis) => Promise.all([redis.hget(this.keys.meta, "epoch"), redis.get(this.keys.seq)]));
    const current = Number(state[1] ?? 0);
    if (state[0] !== epoch || seq > current || current - seq > CHANGE_LOG_LIMIT) return undefined;
    if (current === seq) return [];
    const raw = await this.store.run((redis) => redis.lrange(this.keys.log, -(current - seq), -1));
    const changes = raw.map((line) => JSON.parse(line) as LoggedChange).filter((change) => change.seq > seq);
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
