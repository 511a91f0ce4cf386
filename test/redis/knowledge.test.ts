/**
 * One crawl serves every replica: two built servers (dist/server.js over stdio) on one real
 * redis-server and one help center. The first crawls and stores the pages in Redis; the second,
 * started after, answers the same search without a single request to the help center, and each
 * keeps no page cache of its own on disk.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult, Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HelpCenterHandle, type SandboxHandle, startHelpCenter, startSandbox } from "../../src/sandbox/index.js";
import { knowledgeAnswer } from "../../src/tools/search_knowledge.js";
import { type RedisServer, redisMissing, startRedis } from "../helpers/redis.js";
import { connectStdio } from "../helpers/spawn.js";

let redis: RedisServer;
let sandbox: SandboxHandle;
let center: HelpCenterHandle;
let folder: string;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  if (redisMissing) return; // skipped loudly by the global setup
  redis = await startRedis();
  sandbox = await startSandbox({ apiKey: `knowledge-redis-${Math.random().toString(36).slice(2)}` });
  center = await startHelpCenter();
  folder = mkdtempSync(join(tmpdir(), "knowledge-redis-"));
});
afterAll(async () => {
  for (const close of closers) await close();
  await center?.stop();
  await sandbox?.stop();
  await redis?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function replica(name: string): Promise<Client> {
  const connection = await connectStdio({
    HELPCRUNCH_API_KEY: sandbox.apiKey,
    HELPCRUNCH_BASE_URL: sandbox.url,
    HELPCRUNCH_REDIS_URL: redis.url,
    HELPCRUNCH_KNOWLEDGE_URL: center.url,
    HELPCRUNCH_KNOWLEDGE_CACHE: join(folder, name),
  });
  closers.push(connection.close);
  return connection.client;
}

async function search(client: Client, query: string) {
  const result = (await client.callTool({ name: "search_knowledge", arguments: { query } })) as CallToolResult;
  return knowledgeAnswer.parse(result.structuredContent);
}

/** Asks until the answer no longer says the help center is being read (at most ~10 s). */
async function whenComplete(client: Client, query: string) {
  for (let i = 0; ; i++) {
    const answer = await search(client, query);
    if (!answer.coverage || i >= 100) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(redisMissing)("the help center over Redis", () => {
  it("a crawl by one replica serves another, which fetches nothing", async () => {
    const first = await replica("first");
    const answer = await whenComplete(first, "charged twice money back");
    expect(answer.coverage).toBeUndefined();
    expect(answer.results[0]?.url).toBe(center.articleUrl(101));
    const fetched = center.requests.length;
    expect(fetched).toBeGreaterThan(40);

    const second = await replica("second");
    const served = await whenComplete(second, "charged twice money back");
    expect(served.coverage).toBeUndefined();
    expect(served.results).toEqual(answer.results);
    expect(center.requests.length).toBe(fetched);
    // Pages live in Redis, not in either replica's disk cache.
    expect(existsSync(join(folder, "first"))).toBe(false);
    expect(existsSync(join(folder, "second"))).toBe(false);
  });
});
