/**
 * Triage at scale: a cold triage_queue (limit 20) on sandboxes of 200 to 100,000 open chats, under
 * HelpCrunch's real 120 requests/minute (the sandbox enforces it, the client keeps to it), against
 * the true top 20 computed from the sandbox's own state (every open chat ranked). Then the live
 * mirror at each size: a real server process (dist/server.js --http, webhooks configured, the
 * mirror in its memory) seeding it from a sandbox of the same data, on a fast rate window so the
 * run stays bounded (requests are counted exactly; "at 30 a minute" is what they cost at the
 * default share of 120/minute), its RSS once seeded; and the same chats in a real Redis (bytes per
 * chat, and what one live answer reads from it). Sizes can be narrowed with
 * BENCH_SCALE_SIZES=200,2000 for a quick run.
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { Redis } from "ioredis";
import type { HelpCrunchApi } from "../src/helpcrunch/index.js";
import { chatSchema } from "../src/helpcrunch/schemas.js";
import { createLogger } from "../src/log.js";
import { OPEN_STATUSES, type SandboxState, startSandbox } from "../src/sandbox/index.js";
import { chatJson } from "../src/sandbox/serialize.js";
import { Directory } from "../src/services/directory.js";
import { LiveQueue } from "../src/services/live-queue.js";
import { openStore } from "../src/shared-state/index.js";
import { RedisMirror } from "../src/shared-state/redis-mirror.js";
import { startHarness } from "../test/helpers/harness.js";
import { type RedisServer, startRedis } from "../test/helpers/redis-server.js";
import { freePort, spawnHttpProcess } from "../test/helpers/spawn.js";
import { trueTop } from "../test/helpers/true-top.js";
import { round, table } from "./stats.js";

const SIZES = (process.env.BENCH_SCALE_SIZES ?? "200,2000,20000,100000").split(",").map(Number);

interface TriageOut {
  chats: Array<{ id: number; waiting_minutes?: number }>;
  counts: { oldest_wait_minutes: number };
  coverage?: { total?: number; read: number; proven: number; exact: boolean };
}

/** The seeding server's rate: 400 a second, so the background's 25% is 100 pages a second (bounded runs; requests are what they are). */
const FAST_RATE = { perWindow: 400, windowSeconds: 1 };
const MB = 2 ** 20;

interface SeedRun {
  seconds: number;
  requests: number;
  chats: number;
  rssAtSeededMb: number;
  rssMb: number;
  peakMb: number;
}

/** Idle time after seeding before RSS is read. */
const SETTLE_MS = 15_000;

/** VmRSS and VmHWM (peak) of a process, in MB (Linux). */
function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { rss: (kb("VmRSS") * 1024) / MB, peak: (kb("VmHWM") * 1024) / MB };
}

/** A server process seeds its in-memory mirror from a sandbox of `open` chats (same seed as the cold run). */
async function seedRun(open: number): Promise<SeedRun> {
  const sandbox = await startSandbox({ seed: 42, openChats: open });
  let child: ChildProcess | undefined;
  try {
    const port = await freePort();
    const started = performance.now();
    const server = spawnHttpProcess(port, {
      HELPCRUNCH_API_KEY: sandbox.apiKey,
      HELPCRUNCH_BASE_URL: sandbox.url,
      HELPCRUNCH_WEBHOOK_SECRET: "bench-webhook-signing-key",
      HELPCRUNCH_RATE_LIMIT_PER_MINUTE: String(FAST_RATE.perWindow),
      HELPCRUNCH_RATE_LIMIT_WINDOW_SECONDS: String(FAST_RATE.windowSeconds),
    });
    child = server;
    const chats = await new Promise<number>((resolve, reject) => {
      let tail = "";
      const timer = setTimeout(() => reject(new Error(`seeding ${open} chats took over 10 min: ${tail.slice(-500)}`)), 600_000);
      server.once("exit", (code) => reject(new Error(`server exited (${code}): ${tail.slice(-500)}`)));
      server.stderr?.on("data", (chunk: Buffer) => {
        tail = (tail + chunk.toString()).slice(-4_000);
        const seeded = /live queue: seeded \((\d+) open chats\)/.exec(tail);
        if (seeded) {
          clearTimeout(timer);
          resolve(Number(seeded[1]));
        }
      });
    });
    const seconds = (performance.now() - started) / 1000;
    const requests = sandbox.requests.length;
    const atSeeded = rssOf(server.pid ?? 0);
    // V8 gives back what seeding's garbage took within seconds of the work ending.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const { rss, peak } = rssOf(server.pid ?? 0);
    return { seconds, requests, chats, rssAtSeededMb: atSeeded.rss, rssMb: rss, peakMb: peak };
  } finally {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child?.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await exited;
    }
    await sandbox.stop();
  }
}

/** No HelpCrunch request may be made: the seeded mirror answers alone. */
const noApi = new Proxy({} as HelpCrunchApi, {
  get: (_target, name) => () => Promise.reject(new Error(`unexpected HelpCrunch request (${String(name)})`)),
});

interface RedisRun {
  bytesPerChat: number;
  recordBytes: number;
  answerMs: number;
  answerKb: number;
  fullKb: number;
}

/** The open chats of `state` in a real Redis mirror: bytes per chat, and one live answer (limit 20) read from its index. */
async function redisRun(redis: RedisServer, state: SandboxState, now: number, size: number): Promise<RedisRun> {
  const admin = new Redis(redis.url);
  const store = await openStore(redis.url, `bench-scale-${size}`, createLogger("silent"));
  try {
    await admin.flushall();
    const memory = async () => Number(/used_memory:(\d+)/.exec(await admin.info("memory"))?.[1]);
    const sent = async () => Number(/total_net_output_bytes:(\d+)/.exec(await admin.info("stats"))?.[1]);
    const chats = [...state.chats.values()]
      .filter((c) => (OPEN_STATUSES as readonly string[]).includes(c.status))
      .map((c) => chatSchema.parse(chatJson(state, c)));
    const mirror = new RedisMirror(store);
    const before = await memory();
    for (let i = 0; i < chats.length; i += 1_000)
      await Promise.all(chats.slice(i, i + 1_000).map((chat) => mirror.apply(chat.id, chat, now - 60_000, "seed")));
    await mirror.markSeeded(now - 60_000);
    const bytesPerChat = ((await memory()) - before) / chats.length;
    const recordBytes = Number(await admin.call("MEMORY", "USAGE", `${store.prefix}live:q`, "SAMPLES", "0")) / chats.length;
    const live = new LiveQueue({ store: mirror, client: noApi, log: createLogger("silent"), now: () => now, source: "webhooks" });
    live.stop();
    const sentBefore = await sent();
    const started = performance.now();
    await live.answer({ view: { includeSnoozed: false }, limit: 20, directory: new Directory(noApi, () => now), call: {} });
    const answerMs = performance.now() - started;
    const answerKb = ((await sent()) - sentBefore) / 1024;
    const fullBefore = await sent();
    await admin.hvals(`${store.prefix}live:q`);
    const fullKb = ((await sent()) - fullBefore) / 1024;
    return { bytesPerChat, recordBytes, answerMs, answerKb, fullKb };
  } finally {
    store.redis.disconnect();
    admin.disconnect();
  }
}

export async function triageScale(report: (title: string, body: string) => void, now: number): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  const mirrorRows: Array<Array<string | number>> = [];
  const redis = await startRedis();
  for (const open of SIZES) {
    const seedStarted = performance.now();
    const h = await startHarness({
      sandbox: { seed: 42, openChats: open, now: () => now, rateLimitPerMinute: 120 },
      now: () => now,
      config: { rateLimitPerMinute: 120 },
    });
    const seedMs = performance.now() - seedStarted;
    const truth = trueTop(h.sandbox.state, now, 20);
    const trueLongest = Math.max(...trueTop(h.sandbox.state, now, 1_000_000).map((r) => r.waitingMinutes));
    h.sandbox.clearRequests();
    const started = performance.now();
    const result = await h.call("triage_queue", { limit: 20 });
    const ms = performance.now() - started;
    const out = result.structuredContent as unknown as TriageOut;
    const truthIds = new Set(truth.map((r) => r.chat.id));
    const found = out.chats.filter((c) => truthIds.has(c.id)).length;
    const sameOrder = out.chats.map((c) => c.id).join() === truth.map((r) => r.chat.id).join();
    rows.push([
      open.toLocaleString("en"),
      `${found} / 20${sameOrder ? " (same order)" : ""}`,
      `${out.counts.oldest_wait_minutes.toLocaleString("en")} / ${trueLongest.toLocaleString("en")}`,
      out.coverage
        ? `${out.coverage.read.toLocaleString("en")} (${out.coverage.exact ? "exact" : `${out.coverage.proven} proven`})`
        : "all (exact)",
      h.sandbox.requests.length,
      round(ms / 1000, 1),
      round(seedMs / 1000, 1),
    ]);
    const inRedis = await redisRun(redis, h.sandbox.state, now, open);
    await h.close();
    const seeded = await seedRun(open);
    mirrorRows.push([
      open.toLocaleString("en"),
      seeded.chats.toLocaleString("en"),
      seeded.requests,
      round(seeded.seconds, 1),
      `${round(seeded.requests / 30, 1)} min`,
      `${round(seeded.rssMb, 0)} (at the end ${round(seeded.rssAtSeededMb, 0)}, peak ${round(seeded.peakMb, 0)})`,
      `${round(inRedis.bytesPerChat, 0)} (records ${round(inRedis.recordBytes, 0)})`,
      `${round(inRedis.answerKb, 0)} KB of ${round(inRedis.fullKb, 0)} KB, ${round(inRedis.answerMs, 0)} ms`,
    ]);
  }
  await redis.close();
  report(
    "8. Triage at scale (cold triage_queue, 120 requests/minute)",
    `${table(
      [
        "open chats",
        "true top 20 found",
        "longest wait shown / true (min)",
        "chats read",
        "requests (cold)",
        "wall time (s)",
        "sandbox seeding (s)",
      ],
      rows,
    )}\n\n${table(
      [
        "open chats",
        "mirror seeded (chats)",
        "seeding requests",
        `seeding wall time at ${FAST_RATE.perWindow}/${FAST_RATE.windowSeconds} s (s)`,
        "seeding at 30 a minute",
        "server RSS 15 s after seeding (MB)",
        "Redis bytes a chat",
        "live answer from Redis (read / whole mirror, time)",
      ],
      mirrorRows,
    )}\n\nThe true top is every open chat of the sandbox ranked by the same rules (test/helpers/true-top.ts). Up to 1,000 open chats the scan reads the whole queue; above, it reads oldest-first and stops when no chat not read can outrank the 20th (src/domain/triage-proof.ts). "Requests" include the first call's status-dialect learning and GET /organization. Goal: 20 / 20 and the true longest wait at every size, within the read budget of 60.

The mirror rows: a server process (dist/server.js --http with a webhook key, the mirror in its memory) seeds progressively from a sandbox of the same data; "seeding requests" is every request it sent (dialect learning included), exactly, on a fast rate window (${FAST_RATE.perWindow} per ${FAST_RATE.windowSeconds} s, the background's 25% of it) so the run is bounded; at the default 25% of 120/minute the same requests take the time shown. RSS is the process's 15 s after the seed ended (VmRSS; also when it ended, and the peak VmHWM); the idle server alone is about 75 MB. Redis: the same open chats applied to a real redis-server (used_memory per chat; the record hash alone in brackets), then one live triage_queue answer (limit 20) from it: bytes Redis sent, against reading every record (HVALS), which every answer did before the index. Goals: at most 120 MB RSS and 0.5 KB a chat in Redis at 100,000.`,
  );
}
