/**
 * Triage at scale: a cold triage_queue (limit 20) on sandboxes of 200 to 100,000 open chats, under
 * HelpCrunch's real 120 requests/minute (the sandbox enforces it, the client keeps to it), against
 * the true top 20 computed from the sandbox's own state (every open chat ranked). Sizes can be
 * narrowed with BENCH_SCALE_SIZES=200,2000 for a quick run.
 */
import { startHarness } from "../test/helpers/harness.js";
import { trueTop } from "../test/helpers/true-top.js";
import { round, table } from "./stats.js";

const SIZES = (process.env.BENCH_SCALE_SIZES ?? "200,2000,20000,100000").split(",").map(Number);

interface TriageOut {
  chats: Array<{ id: number; waiting_minutes?: number }>;
  counts: { oldest_wait_minutes: number };
  coverage?: { total?: number; read: number; proven: number; exact: boolean };
}

export async function triageScale(report: (title: string, body: string) => void, now: number): Promise<void> {
  const rows: Array<Array<string | number>> = [];
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
    await h.close();
  }
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
    )}\n\nThe true top is every open chat of the sandbox ranked by the same rules (test/helpers/true-top.ts). Up to 1,000 open chats the scan reads the whole queue; above, it reads oldest-first and stops when no chat not read can outrank the 20th (src/domain/triage-proof.ts). "Requests" include the first call's status-dialect learning and GET /organization. Goal: 20 / 20 and the true longest wait at every size, within the read budget of 60.`,
  );
}
