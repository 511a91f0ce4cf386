/**
 * The agents/departments/applications lists in Redis, shared by every process using the API key:
 * one JSON value per list, {items, at}, expiring with the directory's TTL (PX), so one process's
 * fetch serves the others until then. Fail open: an unreachable Redis reads as a miss and drops the
 * write; the process then fetches and caches in memory as it would without Redis.
 */
import type { CachedValue, SharedCache } from "../services/directory.js";
import type { SharedStore } from "./store.js";

/** Bumped when the cached shape changes, so processes of two versions never read each other's lists. */
const VERSION = "v1";

export class RedisCache implements SharedCache {
  constructor(private readonly store: SharedStore) {}

  async get(name: string): Promise<CachedValue | undefined> {
    try {
      const raw = await this.store.run((redis) => redis.get(this.key(name)));
      if (raw === null) return undefined;
      const value = JSON.parse(raw) as Partial<CachedValue>;
      return Array.isArray(value.items) && typeof value.at === "number" ? { items: value.items, at: value.at } : undefined;
    } catch {
      return undefined;
    }
  }

  async set(name: string, value: CachedValue, ttlMs: number): Promise<void> {
    try {
      await this.store.run((redis) => redis.set(this.key(name), JSON.stringify(value), "PX", ttlMs));
    } catch {
      // Fail open: this process keeps its own copy.
    }
  }

  private key(name: string): string {
    return `${this.store.prefix}directory:${VERSION}:${name}`;
  }
}
