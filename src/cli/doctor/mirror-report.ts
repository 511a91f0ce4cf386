/**
 * The live queue's state as `doctor` reports it: with HELPCRUNCH_REDIS_URL the mirror every replica
 * shares is read (size, when it was last seeded, the progress of a seed pass); without it the mirror
 * lives in each server process only, and doctor says what seeding it costs.
 */
import { createLogger } from "../../log.js";
import { describeProgress } from "../../services/live-seed.js";
import type { SeedProgress } from "../../services/mirror-store.js";

export interface LiveQueueReport {
  /** Where the mirror lives. */
  where: "redis" | "process";
  /** Background reads' places per minute (HELPCRUNCH_SEED_SHARE of the limit). */
  backgroundPerMinute: number;
  chats?: number;
  seededAt?: number;
  pass?: SeedProgress;
  /** One sentence for the report. */
  summary: string;
  error?: string;
}

export interface LiveQueueSettings {
  redisUrl?: string;
  apiKey: string;
  seedShare: number;
  rateLimitPerMinute: number;
  now?: () => number;
}

const count = (n: number) => n.toLocaleString("en-US");
const minutes = (ms: number) => `${Math.max(1, Math.round(ms / 60_000))} min`;

export async function liveQueueReport(settings: LiveQueueSettings): Promise<LiveQueueReport> {
  const backgroundPerMinute = Math.max(1, Math.floor(settings.rateLimitPerMinute * settings.seedShare));
  const cost = `seeding reads 100 chats per request at ${backgroundPerMinute} requests a minute (HELPCRUNCH_SEED_SHARE ${settings.seedShare}): about ${minutes((1_000 * 60_000) / backgroundPerMinute)} per 100,000 open chats`;
  if (!settings.redisUrl)
    return {
      where: "process",
      backgroundPerMinute,
      summary: `in each server process (no HELPCRUNCH_REDIS_URL), seeded in the background when it starts; ${cost}`,
    };
  const now = settings.now ?? Date.now;
  const { openStore } = await import("../../shared-state/index.js");
  const { RedisMirror } = await import("../../shared-state/redis-mirror.js");
  const store = await openStore(settings.redisUrl, settings.apiKey, createLogger("silent"));
  try {
    const mirror = new RedisMirror(store);
    const [chats, seededAt, pass] = await Promise.all([mirror.size(), mirror.seededAt(), mirror.progress()]);
    const seeded = seededAt === undefined ? "never seeded" : `seeded ${minutes(now() - seededAt)} ago with ${count(chats)} open chats`;
    const running = pass ? `; a pass is running: ${describeProgress(pass)}, begun ${minutes(now() - pass.startedAt)} ago` : "";
    return { where: "redis", backgroundPerMinute, chats, seededAt, pass, summary: `shared in Redis, ${seeded}${running}; ${cost}` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { where: "redis", backgroundPerMinute, summary: `shared in Redis, which did not answer (${message})`, error: message };
  } finally {
    store.redis.disconnect();
  }
}
