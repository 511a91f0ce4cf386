/**
 * `npm run bench`: token economy, tools/list size, per-call overhead, cold start and request
 * economy, measured side by side in one run. Prints tables and writes docs/benchmarks.md.
 * Never part of `npm test`; asserts nothing; exits 0.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { encode } from "gpt-tokenizer";
import { Pool } from "undici";
import { OPEN_STATUSES } from "../src/domain/conversation.js";
import { DOCS_STATUS_CODES, randomStatusCodes, type SandboxHandle, type SandboxOptions, startSandbox } from "../src/sandbox/index.js";
import { startHarness } from "../test/helpers/harness.js";
import { SERVER_PATH } from "../test/helpers/spawn.js";
import { bundleReference, httpCost, LEFT, REFERENCE_PATH, targetRow } from "./http.js";
import { knowledgeEconomy } from "./knowledge.js";
import { liveQueueEconomy } from "./live-queue.js";
import { percentile, round, table, timed } from "./stats.js";
import { triageScale } from "./triage-scale.js";

const tokens = (text: string) => encode(text).length;
/**
 * Another build of the server to measure beside this one, in the same run (BENCH_BASELINE=path to
 * its dist/server.js), e.g. the commit before a dependency upgrade: cold start, idle RSS and
 * per-call overhead are then reported for both, interleaved so both see the same machine load.
 */
const BASELINE = process.env.BENCH_BASELINE;
const BASELINE_LABEL = process.env.BENCH_BASELINE_LABEL ?? "baseline";
const sections: string[] = [];
/** The close-to-the-floor figures of sections 3 and 4 (stdio), repeated beside the HTTP ones in section 9. */
const headline: Array<Array<string | number>> = [];

const report = (title: string, body: string) => {
  const block = `## ${title}\n\n${body}\n`;
  sections.push(block);
  process.stdout.write(`\n${block}`);
};
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
const OPEN = [...OPEN_STATUSES];

async function rawSearch(sandbox: SandboxHandle, limit: number): Promise<unknown> {
  const res = await fetch(`${sandbox.url}/chats/search`, {
    method: "POST",
    headers: { authorization: `Bearer ${sandbox.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      filter: OPEN.map((value) => ({ field: "chats.status", operator: "=", value })),
      comparison: "OR",
      sort: "chats.lastMessageAt",
      order: "desc",
      offset: 0,
      limit,
    }),
  });
  return res.json();
}

/** The sandbox's clock and the server's, pinned so token figures do not drift with today's date. */
const PINNED_NOW = Date.parse("2026-11-25T12:00:00Z");
const pinned = () => PINNED_NOW;

async function tokenEconomy(): Promise<void> {
  const h = await startHarness({ sandbox: { seed: 42, now: pinned }, now: pinned });
  const rows: Array<Array<string | number>> = [];
  for (const n of [20, 50, 100]) {
    const raw = await rawSearch(h.sandbox, n);
    const ours = await h.call("search_chats", { status: OPEN, limit: n });
    const pretty = tokens(JSON.stringify(raw, null, 2));
    const minified = tokens(JSON.stringify(raw));
    const text = tokens(textOf(ours));
    const structured = tokens(JSON.stringify(ours.structuredContent));
    rows.push([
      n,
      pretty,
      minified,
      text,
      structured,
      `${round((text / pretty) * 100, 1)}%`,
      `${round((structured / pretty) * 100, 1)}%`,
      round(text / n, 1),
      round(structured / n, 1),
    ]);
  }
  const triage = await h.call("triage_queue", { limit: 50 });
  const ranked = (triage.structuredContent as { chats: unknown[] }).chats.length;
  const long = [...h.sandbox.state.messages.entries()].filter(([, list]) => list.length >= 10).map(([id]) => id);
  let getChatStructured = 0;
  let getChatText = 0;
  for (const id of long) {
    const one = await h.call("get_chat", { chat_id: id, messages: 10 });
    getChatStructured += tokens(JSON.stringify(one.structuredContent));
    getChatText += tokens(textOf(one));
  }
  await h.close();
  report(
    "1. Tokens per answer (o200k_base tokenizer, sandbox seed 42, clock pinned at 2026-11-25T12:00Z)",
    table(
      [
        "chats",
        "(a) raw JSON pretty",
        "(b) raw JSON minified",
        "(c) search_chats text",
        "(d) structuredContent",
        "c/a",
        "d/a",
        "c tokens/chat",
        "d tokens/chat",
      ],
      rows,
    ) +
      `\n\n${table(
        ["answer", "structuredContent tokens", "text tokens", "target"],
        [
          [
            `triage_queue, ${ranked} chats (per chat)`,
            round(tokens(JSON.stringify(triage.structuredContent)) / ranked, 1),
            round(tokens(textOf(triage)) / ranked, 1),
            "≤ 100 per chat",
          ],
          [
            `get_chat with 10 messages (mean of ${long.length} chats)`,
            round(getChatStructured / long.length, 0),
            round(getChatText / long.length, 0),
            "703 before the lean form; −22% or better",
          ],
        ],
      )}\n\nTargets: (c) ≤ 20% of (a); (d) ≤ 100 tokens per chat (it was 147 before the lean form: ISO times, agent and department objects on every chat, derivable fields).`,
  );
}

/** What a model receives of a tool list (Claude and OpenAI clients pass no output schema or annotations). */
const modelFacing = (tools: Array<{ name: string; description?: string; inputSchema: unknown }>) =>
  tools.reduce((sum, t) => sum + tokens(JSON.stringify({ name: t.name, description: t.description, input_schema: t.inputSchema })), 0);

async function toolsListSize(): Promise<void> {
  const sets: Array<Array<string | number>> = [];
  for (const [name, readOnly] of [
    ["default", false],
    ["read-only", true],
  ] as const) {
    const set = await startHarness({ config: { readOnly } });
    const listed = await set.mcp.listTools();
    sets.push([name, listed.tools.length, modelFacing(listed.tools), "≤ 4,000", tokens(JSON.stringify(listed)), "≤ 6,000"]);
    await set.close();
  }
  report(
    "2a. Tool definitions per tool set",
    `${table(["tool set", "tools", "model-facing tokens", "budget", "whole tools/list tokens", "budget"], sets)}\n\nBefore the lean-output work: 4,708 model-facing and 8,366 on the wire for 14 tools. The budgets are tests (test/tools/token-budget.test.ts).`,
  );
  const h = await startHarness();
  const { tools } = await h.mcp.listTools();
  await h.close();
  const rows = tools
    .map((t) => ({ name: t.name, total: tokens(JSON.stringify(t)), description: tokens(t.description ?? "") }))
    .sort((a, b) => b.total - a.total);
  const total = tokens(JSON.stringify({ tools }));
  report(
    "2b. tools/list size per tool",
    `${table(
      ["tool", "tokens (whole definition)", "description tokens"],
      rows.map((r) => [r.name, r.total, r.description]),
    )}\n\nTotal tools/list result: **${total} tokens** for ${tools.length} tools (budget ≤ 6,000). Biggest descriptions: ${[...rows]
      .sort((a, b) => b.description - a.description)
      .slice(0, 3)
      .map((r) => `${r.name} (${r.description})`)
      .join(", ")}.`,
  );
}

async function stdioClient(env: Record<string, string>) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [SERVER_PATH],
    env: { PATH: process.env.PATH ?? "", HELPCRUNCH_LOG_LEVEL: "error", ...env },
    stderr: "ignore",
  });
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(transport);
  return { client, pid: transport.pid };
}

/** A bare JSON-RPC line client: measures the server without the SDK client's own validation work. */
function rawStdio(env: Record<string, string>, server = SERVER_PATH) {
  const child = spawn(process.execPath, [server], {
    env: { PATH: process.env.PATH ?? "", HELPCRUNCH_LOG_LEVEL: "error", ...env },
    stdio: ["pipe", "pipe", "ignore"],
  });
  const waiting = new Map<number, () => void>();
  let buffer = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
      const id = (JSON.parse(buffer.slice(0, nl)) as { id?: number }).id;
      buffer = buffer.slice(nl + 1);
      if (id !== undefined) waiting.get(id)?.();
    }
  });
  let next = 0;
  const request = (method: string, params: unknown) =>
    new Promise<void>((resolve) => {
      const id = ++next;
      waiting.set(id, resolve);
      child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    });
  return {
    init: () => request("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } }),
    call: (name: string, args: unknown) => request("tools/call", { name, arguments: args }),
    close: () => child.kill(),
  };
}

async function overhead(): Promise<void> {
  const sandbox = await startSandbox();
  const { client } = await stdioClient({
    HELPCRUNCH_BASE_URL: sandbox.url,
    HELPCRUNCH_API_KEY: sandbox.apiKey,
    HELPCRUNCH_RATE_LIMIT_PER_MINUTE: "1000000",
  });
  const pool = new Pool(new URL(sandbox.url).origin, { connections: 4 });
  const path = new URL(sandbox.url).pathname;
  const headers = { authorization: `Bearer ${sandbox.apiKey}`, "content-type": "application/json", accept: "application/json" };
  const direct = async (method: "GET" | "POST", p: string, body?: unknown) => {
    const res = await pool.request({ method, path: `${path}${p}`, headers, body: body ? JSON.stringify(body) : undefined });
    await res.body.json();
  };
  const chatId = (
    (await client.callTool({ name: "search_chats", arguments: { status: ["opened"], limit: 1 } })).structuredContent as {
      chats: Array<{ id: number }>;
    }
  ).chats[0]?.id as number;
  const customerId = (
    (await (await pool.request({ method: "GET", path: `${path}/chats/${chatId}`, headers })).body.json()) as { customer?: { id?: number } }
  ).customer?.id;
  const raw = rawStdio({
    HELPCRUNCH_BASE_URL: sandbox.url,
    HELPCRUNCH_API_KEY: sandbox.apiKey,
    HELPCRUNCH_RATE_LIMIT_PER_MINUTE: "1000000",
  });
  await raw.init();
  const base = BASELINE
    ? rawStdio(
        { HELPCRUNCH_BASE_URL: sandbox.url, HELPCRUNCH_API_KEY: sandbox.apiKey, HELPCRUNCH_RATE_LIMIT_PER_MINUTE: "1000000" },
        BASELINE,
      )
    : undefined;
  await base?.init();
  // The reference (bench/reference-server.ts): one echo tool on the same SDK, no HelpCrunch request, so its round trip is its whole cost.
  const reference = rawStdio({}, REFERENCE_PATH);
  await reference.init();
  const baseCall = (name: string, args: unknown) => (base ? () => base.call(name, args) : undefined);
  const cases = {
    get_chat: {
      raw: () => raw.call("get_chat", { chat_id: chatId, messages: 10 }),
      base: baseCall("get_chat", { chat_id: chatId, messages: 10 }),
      mcp: () => client.callTool({ name: "get_chat", arguments: { chat_id: chatId, messages: 10 } }),
      // The tool's own requests: the chat and its messages at once, then the customer's profile (for the tags).
      http: async () => {
        await Promise.all([direct("GET", `/chats/${chatId}`), direct("GET", `/chats/${chatId}/messages?offset=0&limit=10`)]);
        await direct("GET", `/customers/${customerId}`);
      },
    },
    search_chats: {
      raw: () => raw.call("search_chats", { status: ["opened"], limit: 20 }),
      base: baseCall("search_chats", { status: ["opened"], limit: 20 }),
      mcp: () => client.callTool({ name: "search_chats", arguments: { status: ["opened"], limit: 20 } }),
      http: () =>
        direct("POST", "/chats/search", {
          filter: [{ field: "chats.status", operator: "=", value: "opened" }],
          comparison: "AND",
          sort: "chats.lastMessageAt",
          order: "desc",
          offset: 0,
          limit: 20,
        }),
    },
  };
  const rows: Array<Array<string | number>> = [];
  const baseRows: Array<Array<string | number>> = [];
  const overheads: number[] = [];
  const echoes: number[] = [];
  for (const [name, c] of Object.entries(cases)) {
    const sample = async (fn: () => Promise<unknown>) => {
      for (let i = 0; i < 20; i++) await fn();
      const times: number[] = [];
      for (let i = 0; i < 200; i++) times.push((await timed(fn))[1]);
      return times;
    };
    const viaMcp = await sample(c.mcp);
    const viaRaw = await sample(c.raw);
    const viaBase = c.base ? await sample(c.base) : undefined;
    const viaHttp = await sample(c.http);
    overheads.push(percentile(viaRaw, 50) - percentile(viaHttp, 50));
    echoes.push(percentile(await sample(() => reference.call("echo", { text: "hello" })), 50));
    const over = (samples: number[], p: number) => round(percentile(samples, p) - percentile(viaHttp, p));
    if (viaBase) baseRows.push([name, over(viaBase, 50), over(viaRaw, 50), over(viaBase, 95), over(viaRaw, 95)]);
    rows.push([
      name,
      round(percentile(viaHttp, 50)),
      round(percentile(viaRaw, 50)),
      round(percentile(viaMcp, 50)),
      over(viaRaw, 50),
      over(viaRaw, 95),
      over(viaMcp, 50),
      over(viaMcp, 95),
    ]);
  }
  await client.close();
  raw.close();
  base?.close();
  reference.close();
  const worst = Math.max(...overheads);
  headline.push(
    targetRow(
      "per-call overhead over stdio, p50 (raw JSON-RPC minus the direct HelpCrunch requests; get_chat / search_chats)",
      `${overheads.map((o) => round(o)).join(" / ")} ms (reference echo round trip: ${round(percentile(echoes, 50))} ms)`,
      round(worst),
      0.7,
      " ms",
      LEFT.stdio,
    ),
  );
  await pool.close();
  await sandbox.stop();
  report(
    "3. Per-call overhead (200 calls each after 20 warm-up; ms)",
    `${table(["call", "direct HTTP p50", "raw JSON-RPC p50", "SDK client p50", "server overhead p50", "server overhead p95", "with SDK client p50", "with SDK client p95"], rows)}\n\nDirect HTTP = the same sandbox request(s) made with an undici Pool from the benchmark process (get_chat = chat and messages concurrently, then the customer for the tags, as the tool does). Raw JSON-RPC = tools/call lines written to the server's stdin, answers read from stdout (our server's cost alone); SDK client = the MCP SDK Client, which also validates every structuredContent against the tool's outputSchema. Target: ≤ 2 ms p50 overhead.${
      baseRows.length
        ? `\n\nServer overhead (raw JSON-RPC), ${BASELINE_LABEL} and this build, in the same run:\n\n${table(["call", `${BASELINE_LABEL} p50`, "this build p50", `${BASELINE_LABEL} p95`, "this build p95"], baseRows)}`
        : ""
    }`,
  );
}

function rssMb(pid: number | null | undefined): number {
  if (!pid) return Number.NaN;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024, 1);
}

/** Spawn → exit of `node -e 0`: the floor every Node program starts from, on this machine, now. */
function bareNodeMs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", () => resolve(performance.now() - start));
  });
}

/** VmRSS of a bare Node process that only waits: what Node itself costs before our code. */
async function bareNodeRssMb(): Promise<number> {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 5000)"], { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 300));
  const rss = rssMb(child.pid);
  child.kill();
  return rss;
}

/**
 * One server start driven by bare JSON-RPC lines: ms from spawn until the initialize and the
 * tools/list answers arrive (no client-side work counted), then VmRSS 300 ms later (and, with
 * settleMs, again that long after tools/list).
 */
function rawStart(
  env: Record<string, string>,
  settleMs = 0,
  server = SERVER_PATH,
): Promise<{ init: number; list: number; rss: number; settled: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [server], {
      env: { PATH: process.env.PATH ?? "", HELPCRUNCH_LOG_LEVEL: "error", ...env },
      stdio: ["pipe", "pipe", "ignore"],
    });
    child.on("error", reject);
    const send = (message: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`);
    let init = 0;
    let buffer = "";
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        const { id } = JSON.parse(buffer.slice(0, nl)) as { id?: number };
        buffer = buffer.slice(nl + 1);
        if (id === 1) {
          init = performance.now() - start;
          send({ method: "notifications/initialized" });
          send({ id: 2, method: "tools/list" });
        } else if (id === 2) {
          const list = performance.now() - start;
          setTimeout(() => {
            const rss = rssMb(child.pid);
            setTimeout(
              () => {
                const settled = settleMs > 0 ? rssMb(child.pid) : Number.NaN;
                child.kill();
                resolve({ init, list, rss, settled });
              },
              Math.max(0, settleMs - 300),
            );
          }, 300);
        }
      }
    });
    send({
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
    });
  });
}

async function coldStart(): Promise<void> {
  const sandbox = await startSandbox();
  const env = { HELPCRUNCH_BASE_URL: sandbox.url, HELPCRUNCH_API_KEY: sandbox.apiKey };
  const runs = Number(process.env.BENCH_START_RUNS ?? 15);
  const bareTimes: number[] = [];
  const raw: Array<{ init: number; list: number; rss: number }> = [];
  const ratios: number[] = [];
  const sdkInit: number[] = [];
  const sdkList: number[] = [];
  const baseRuns: Array<{ list: number; rss: number; ratio: number }> = [];
  const refRuns: Array<{ list: number; rss: number; ratio: number }> = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved pairs: a bare node start right before each server start, so each pair sees the
    // same machine load; the median of the per-pair ratios is the figure to compare across machines.
    const bare = await bareNodeMs();
    const run = await rawStart(env);
    bareTimes.push(bare);
    raw.push(run);
    ratios.push(run.list / bare);
    const beforeReference = await bareNodeMs();
    const refRun = await rawStart({}, 0, REFERENCE_PATH);
    refRuns.push({ list: refRun.list, rss: refRun.rss, ratio: refRun.list / beforeReference });
    if (BASELINE) {
      const before = await bareNodeMs();
      const baseRun = await rawStart(env, 0, BASELINE);
      baseRuns.push({ list: baseRun.list, rss: baseRun.rss, ratio: baseRun.list / before });
    }
    // The same start as a client sees it: the SDK client also validates and caches every tool's outputSchema.
    const start = performance.now();
    const { client } = await stdioClient(env);
    sdkInit.push(performance.now() - start);
    await client.listTools();
    sdkList.push(performance.now() - start);
    await client.close();
  }
  // V8 keeps the young generation it grew during start-up until its memory reducer runs, ~10 s idle.
  const settled = (await rawStart(env, 15_000)).settled;
  const baseSettled = BASELINE ? (await rawStart(env, 15_000, BASELINE)).settled : Number.NaN;
  await sandbox.stop();
  const bareRss = [await bareNodeRssMb(), await bareNodeRssMb(), await bareNodeRssMb()];
  const rss = raw.map((r) => r.rss);
  const p50 = (xs: number[]) => round(percentile(xs, 50));
  const max = (xs: number[]) => round(Math.max(...xs));
  const refRatio = p50(refRuns.map((r) => r.ratio));
  const refRss = percentile(
    refRuns.map((r) => r.rss),
    50,
  );
  headline.push(
    targetRow(
      "cold start: spawn → tools/list answered over stdio ÷ bare `node -e 0` (median of per-pair ratios)",
      `${p50(ratios)}× (reference: ${refRatio}×)`,
      p50(ratios),
      1.6,
      "×",
      LEFT.start,
    ),
    targetRow(
      "idle RSS 300 ms after tools/list",
      `${percentile(rss, 50)} MB (reference: ${refRss} MB)`,
      percentile(rss, 50),
      60,
      " MB",
      LEFT.rss,
    ),
  );
  report(
    `4. Cold start (${runs} runs, each paired with a bare \`node -e 0\`)`,
    table(
      ["measure", "p50", "max"],
      [
        ["bare `node -e 0`: spawn → exit (ms)", p50(bareTimes), max(bareTimes)],
        ["spawn → initialize answered (ms)", p50(raw.map((r) => r.init)), max(raw.map((r) => r.init))],
        ["spawn → tools/list answered (ms)", p50(raw.map((r) => r.list)), max(raw.map((r) => r.list))],
        ["**tools/list answered ÷ bare node**, per pair (×)", p50(ratios), max(ratios)],
        ["with the SDK client: spawn → connected (ms)", p50(sdkInit), max(sdkInit)],
        ["with the SDK client: spawn → listTools() resolved (ms)", p50(sdkList), max(sdkList)],
        ["**idle RSS** 300 ms after tools/list (MB)", percentile(rss, 50), Math.max(...rss)],
        ["idle RSS 15 s after tools/list, one run (MB)", settled, settled],
        ["bare node idle RSS, for reference (MB)", percentile(bareRss, 50), Math.max(...bareRss)],
        [
          "the reference server (bench/reference-server.ts): tools/list answered ÷ bare node (×)",
          refRatio,
          max(refRuns.map((r) => r.ratio)),
        ],
        ["the reference server: idle RSS 300 ms after tools/list (MB)", refRss, Math.max(...refRuns.map((r) => r.rss))],
      ],
    ) +
      (baseRuns.length
        ? `\n\n${BASELINE_LABEL} and this build, interleaved in the same run (p50):\n\n${table(
            ["measure", BASELINE_LABEL, "this build"],
            [
              ["spawn → tools/list answered (ms)", p50(baseRuns.map((r) => r.list)), p50(raw.map((r) => r.list))],
              ["tools/list answered ÷ bare node (×)", p50(baseRuns.map((r) => r.ratio)), p50(ratios)],
              [
                "idle RSS 300 ms after tools/list (MB)",
                percentile(
                  baseRuns.map((r) => r.rss),
                  50,
                ),
                percentile(rss, 50),
              ],
              ["idle RSS 15 s after tools/list, one run (MB)", baseSettled, settled],
            ],
          )}`
        : "") +
      "\n\nThe server is dist/server.js (the one-file bundle) over stdio. The first rows drive it with bare JSON-RPC lines, so they time the server alone; the SDK client rows add the client's own work (connect, and compiling a validator for each tool's outputSchema). RSS is VmRSS from /proc. Targets: ≤ 2.0× bare node to tools/list answered (median of the per-pair ratios), ≤ 60 MB idle RSS.",
  );
}

async function requestEconomy(): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  const big = await startHarness({ sandbox: { chatCount: 900 } });
  const open = (await big.call("triage_queue", { limit: 20 })).structuredContent as { counts: { open: number; snoozed: number } };
  rows.push([`triage_queue over ${open.counts.open + open.counts.snoozed} open chats`, big.sandbox.requests.length, "≤ 8"]);
  const agents = (await big.api.listAgents()).map((a) => a.name as string);
  big.sandbox.clearRequests();
  await big.call("search_chats", { assignee: agents[0], limit: 5 });
  const first = big.sandbox.requests.filter((r) => r.path === "/agents").length;
  big.sandbox.clearRequests();
  await big.call("search_chats", { assignee: agents[1], limit: 5 });
  const second = big.sandbox.requests.filter((r) => r.path === "/agents").length;
  rows.push(["name resolution: GET /agents on first / second call", `${first} / ${second}`, "second = 0"]);
  await big.close();

  // HelpCrunch's real budget: sandbox enforces 120/min, client limits itself to 120/min.
  const limited = await startHarness({ sandbox: { rateLimitPerMinute: 120 }, config: { rateLimitPerMinute: 120 } });
  const ids = (await limited.api.searchChats({ statuses: ["opened"], limit: 50 })).data.map((c) => c.id);
  const agentName = (await limited.api.listAgents())[0]?.name as string;
  limited.sandbox.clearRequests();
  const [result, ms] = await timed(() => limited.call("assign_chat", { chat_ids: ids, agent: agentName }));
  const s = result.structuredContent as { succeeded: number };
  rows.push([
    `bulk assign of ${ids.length} chats (${s.succeeded} ok)`,
    limited.sandbox.requests.length,
    `${ids.length} writes + name lookup`,
  ]);
  rows.push(["bulk assign wall time with 120/min limits (ms)", round(ms, 0), "—"]);
  rows.push(["429s seen by the bulk assign", limited.sandbox.requests.filter((r) => r.status === 429).length, "0"]);
  await limited.close();

  for (const chats of [500, 2_000]) {
    const window = await startHarness({ sandbox: { seed: 42, chatCount: chats, now: pinned }, now: pinned });
    window.sandbox.clearRequests();
    const stats = (await window.call("chat_stats", { from: "30d" })).structuredContent as {
      requests: number;
      total: { created: number; closed: number; open: number };
    };
    const pages = (n: number) => Math.max(1, Math.ceil(n / 100));
    const ideal = pages(stats.total.created) + pages(stats.total.closed) + pages(stats.total.open);
    rows.push([
      `chat_stats over 30 days: ${stats.total.created} created, ${stats.total.closed} closed, ${stats.total.open} open`,
      window.sandbox.requests.length,
      `${ideal} = one request per 100 chats of each question`,
    ]);
    await window.close();
  }
  report("5. Request economy", table(["measure", "value", "target"], rows));
}

/** What learning the account's dialect costs: once per process, then nothing. */
async function dialectLearning(): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  const dialects: Array<[string, SandboxOptions["dialect"]]> = [
    ["names", { statusFilter: "names" }],
    ["the docs' codes 1–7", { statusFilter: { codes: { ...DOCS_STATUS_CODES } } }],
    ...[1, 2, 3, 4, 5].map((seed): [string, SandboxOptions["dialect"]] => [
      `random codes (seed ${seed})`,
      { statusFilter: { codes: randomStatusCodes(seed) } },
    ]),
  ];
  for (const [name, dialect] of dialects) {
    const h = await startHarness({ sandbox: { dialect }, config: { statusFilter: "auto" } });
    await h.call("triage_queue", { limit: 20 });
    const first = h.sandbox.requests.length;
    h.sandbox.clearRequests();
    await h.call("triage_queue", { limit: 20 });
    const second = h.sandbox.requests.length;
    const { probes } = h.api.dialect().requests;
    rows.push([name, probes, first, second]);
    await h.close();
  }
  report(
    "6. Dialect learning (once per process)",
    table(["account's status filter", "probe requests", "first triage_queue: requests", "second triage_queue: requests"], rows) +
      "\n\nThe probes are part of the first call's requests; the second call pays none. Bound: ≤ 10 probes per process.",
  );
}

async function main(): Promise<void> {
  const started = new Date();
  // BENCH_ONLY=knowledge (or scale): only that section, printed and not written to docs/benchmarks.md.
  if (process.env.BENCH_ONLY === "knowledge") return knowledgeEconomy(report);
  if (process.env.BENCH_ONLY === "scale") return triageScale(report, PINNED_NOW);
  await bundleReference();
  // BENCH_ONLY=http: the close-to-the-floor figures (stdio overhead, cold start, HTTP), printed and not written.
  if (process.env.BENCH_ONLY === "http") {
    await overhead();
    await coldStart();
    return httpCost(report, headline);
  }
  await tokenEconomy();
  await toolsListSize();
  await overhead();
  await coldStart();
  await requestEconomy();
  await dialectLearning();
  await liveQueueEconomy(report, PINNED_NOW);
  await triageScale(report, PINNED_NOW);
  await knowledgeEconomy(report);
  await httpCost(report, headline);
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const header = `# Benchmarks

Produced by \`${BASELINE ? `BENCH_BASELINE=${BASELINE} BENCH_BASELINE_LABEL="${BASELINE_LABEL}" ` : ""}npm run bench\` on ${started.toISOString().slice(0, 10)} (${started.toISOString()}).
Machine: ${os.cpus().length} × ${cpu}, ${round(os.totalmem() / 2 ** 30, 0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}.
Everything runs on loopback against the built-in sandbox (seed 42), so network latency is ~0 and the figures isolate our own costs.
Tokens are counted with gpt-tokenizer (o200k_base); Claude's tokenizer differs by a few percent, the ratios hold.
`;
  const notes = readFileSync("bench/notes.md", "utf8");
  writeFileSync("docs/benchmarks.md", `${header}\n${sections.join("\n")}\n${notes}`);
  process.stdout.write("\nWrote docs/benchmarks.md\n");
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
