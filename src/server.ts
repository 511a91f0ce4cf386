#!/usr/bin/env node
/**
 * Entry point: parse config, build the client (against the sandbox with --demo), register the
 * tool registry, connect stdio. stdout carries only JSON-RPC; everything else goes to stderr.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import * as nodeModule from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type StdioServerHandle, serveStdio } from "@modelcontextprotocol/server/stdio";
import { type Config, ConfigError, clientOptions, parseConfig, USAGE } from "./config.js";
import { createClient } from "./helpcrunch/index.js";
import { createLogger, type Logger } from "./log.js";
import { MAX_LISTENS_PER_CLIENT } from "./mcp/live-updates.js";
import { createMcpServer, createServices } from "./mcp/mcp-server.js";
import { LineStdioTransport } from "./mcp/stdio.js";
import { redact } from "./redact.js";
import type { PageStore } from "./services/knowledge/page-store.js";
import { DEFAULT_POLL_SECONDS } from "./services/live-queue.js";
import { selectTools, TOOL_NAMES } from "./tools/index.js";
import { VERSION } from "./version.js";

function fail(message: string): never {
  process.stderr.write(`helpcrunch-mcp: ${redact(message)}\n`);
  process.exit(2);
}

function loadConfig(argv: string[]): Config {
  try {
    const parsed = parseConfig(argv, process.env);
    if (parsed.kind === "help") {
      process.stdout.write(USAGE);
      process.exit(0);
    }
    if (parsed.kind === "version") {
      process.stdout.write(`${VERSION}\n`);
      process.exit(0);
    }
    const unknown = parsed.config.tools?.filter((t) => !TOOL_NAMES.includes(t)) ?? [];
    if (unknown.length > 0)
      throw new ConfigError(`HELPCRUNCH_TOOLS names unknown tools (${unknown.join(", ")}); known: ${TOOL_NAMES.join(", ")}`);
    const { readOnly, tools } = parsed.config;
    if (selectTools({ readOnly, allow: tools, knowledge: parsed.config.knowledge !== undefined || parsed.config.demo }).length === 0)
      throw new ConfigError(
        tools?.length
          ? "HELPCRUNCH_TOOLS leaves no tool to serve: it names only write tools, and read-only mode removes them; add a read tool such as get_chat"
          : "HELPCRUNCH_TOOLS leaves no tool to serve: it names none; list tools such as get_chat,search_chats, or unset it for all",
      );
    return parsed.config;
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

/**
 * --demo: the built-in sandbox stands in for HelpCrunch. Loaded lazily so production never imports it.
 * It speaks the dialect the newest docs describe (numeric status codes with an unpublished mapping,
 * snoozedUntil as a string), so the demo shows the client learning it.
 */
async function startDemoBackend(config: Config, log: Logger) {
  const { DEMO_SAVED_REPLIES, randomStatusCodes, startHelpCenter, startSandbox } = await import("./sandbox/index.js");
  const sandbox = await startSandbox({ dialect: { statusFilter: { codes: randomStatusCodes(42) }, snoozedUntil: "string" } });
  log.info(`demo mode: serving FICTIONAL demo data from the built-in HelpCrunch sandbox at ${sandbox.url} (no real account is touched)`);
  // The demo's knowledge: the sandbox's help center and saved replies, cached in a folder of its own.
  const helpCenter = config.knowledge ? undefined : await startHelpCenter();
  let knowledge = config.knowledge;
  if (helpCenter) {
    const folder = mkdtempSync(join(tmpdir(), "helpcrunch-mcp-demo-"));
    writeFileSync(join(folder, "saved-replies.md"), DEMO_SAVED_REPLIES);
    knowledge = { url: helpCenter.url, savedReplies: join(folder, "saved-replies.md"), cacheDir: join(folder, "cache") };
    log.info(`demo mode: the FICTIONAL help center at ${helpCenter.url} and demo saved replies serve search_knowledge`);
  }
  return {
    config: { ...config, baseUrl: sandbox.url, apiKey: sandbox.apiKey, ...(knowledge ? { knowledge } : {}) },
    stop: () => Promise.all([sandbox.stop(), helpCenter?.stop()]).then(() => undefined),
  };
}

/** The help center and saved replies, when configured; loaded lazily (parser and index cost nothing otherwise). */
async function startKnowledgeBase(config: Config, log: Logger, shared: { knowledgeStore(url: string): PageStore } | undefined) {
  if (!config.knowledge) return undefined;
  const { startKnowledge } = await import("./services/knowledge/index.js");
  const url = config.knowledge.url;
  return startKnowledge(config.knowledge, log, url && shared ? shared.knowledgeStore(url) : undefined);
}

/** Long enough for a slow account, short enough that a person does not give up on a silent terminal. */
const DOCTOR_TIMEOUT_SECONDS = 30;

/** `--timeout SECONDS` (doctor only) taken out of `argv`; the rest goes to the usual parser. */
function doctorTimeout(argv: string[]): { seconds: number; rest: string[] } {
  const rest: string[] = [];
  let given: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = (argv[i] as string).split(/=(.*)/s, 2);
    if (name === "--timeout") given = inline ?? argv[++i] ?? "";
    else rest.push(argv[i] as string);
  }
  if (given === undefined) return { seconds: DOCTOR_TIMEOUT_SECONDS, rest };
  const seconds = Number(given);
  if (!/^\d+(\.\d+)?$/.test(given) || seconds < 1 || seconds > 3600)
    fail("--timeout must be a number of seconds (1–3600), e.g. --timeout 60");
  return { seconds, rest };
}

/**
 * `helpcrunch-mcp doctor [--json] [--demo] [--timeout SECONDS]`: a read-only account check within a
 * deadline, each endpoint printed as its check ends; exit 1 when something the tools need failed or
 * did not finish in time.
 */
async function doctor(argv: string[]): Promise<void> {
  const json = argv.includes("--json");
  const timeout = doctorTimeout(argv.filter((a) => a !== "--json"));
  let config = loadConfig(timeout.rest);
  const log = createLogger(config.logLevel === "info" ? "warn" : config.logLevel, [config.apiKey]);
  const print = (text: string) => new Promise<void>((resolve) => process.stdout.write(redact(text, [config.apiKey]), () => resolve()));
  const demo = config.demo ? await startDemoBackend(config, log) : undefined;
  if (demo) config = demo.config;
  const { formatCheck, knowledgeLines, reportHeader, reportTail, runDoctor } = await import("./cli/doctor/index.js");
  const deadline = Date.now() + timeout.seconds * 1000;
  // The knowledge sources load (or crawl) while the endpoints are checked, within the same deadline.
  const shared =
    config.redisUrl && config.knowledge?.url
      ? await (await import("./shared-state/index.js")).openStore(config.redisUrl, config.apiKey, log)
      : undefined;
  const knowledgeStore =
    shared && config.knowledge?.url
      ? new (await import("./shared-state/knowledge-store.js")).RedisPageStore(shared, config.knowledge.url)
      : undefined;
  const knowledge = await startKnowledgeBase(config, log, knowledgeStore ? { knowledgeStore: () => knowledgeStore } : undefined);
  if (!json) await print(reportHeader(config.baseUrl, timeout.seconds));
  const checked = await runDoctor(clientOptions(config, log), {
    timeoutSeconds: timeout.seconds,
    onCheck: json ? undefined : (check) => void print(formatCheck(check)),
    liveQueue: {
      redisUrl: config.redisUrl,
      apiKey: config.apiKey,
      seedShare: config.seedShare ?? 0.25,
      rateLimitPerMinute: config.rateLimitPerMinute,
    },
  });
  let report = checked;
  let knowledgeText = "";
  if (knowledge) {
    await Promise.race([
      Promise.all([knowledge.settled(), knowledge.syncReplies()]),
      new Promise((resolve) => setTimeout(resolve, Math.max(1_000, deadline - Date.now()))),
    ]);
    knowledge.stop();
    const status = knowledge.status();
    const { lines, problems } = knowledgeLines(status, Date.now());
    knowledgeText = `${lines.join("\n")}\n`;
    report = { ...checked, ok: checked.ok && problems.length === 0, problems: [...checked.problems, ...problems], knowledge: status };
  }
  shared?.redis.disconnect();
  await demo?.stop();
  await print(json ? `${JSON.stringify(report, null, 2)}\n` : `${knowledgeText}${reportTail(report)}`);
  // A request the deadline cut off may still hold a timer (a Retry-After wait): the report is out, so end now.
  process.exit(report.ok ? 0 : 1);
}

/**
 * Node 22.1+ keeps V8's compiled code of the modules loaded from here on (dist/vendor/: undici at the
 * first HelpCrunch request, ioredis, jose, ajv) on disk between starts; Node 20 has no such call, and
 * a cache that cannot be written is reported in the return value, never thrown. dist/server.js itself
 * is compiled before this line runs: a cache for it needs NODE_COMPILE_CACHE set by the launcher.
 */
function enableCompileCache(): void {
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
}

async function main(): Promise<void> {
  enableCompileCache();
  const argv = process.argv.slice(2);
  if (argv[0] === "doctor") return doctor(argv.slice(1));
  let config = loadConfig(argv);
  const log = createLogger(config.logLevel, [config.apiKey]);
  const demo = config.demo ? await startDemoBackend(config, log) : undefined;
  if (demo) config = demo.config;

  // Loaded only with HELPCRUNCH_REDIS_URL: ioredis and the shared state cost nothing otherwise.
  const shared = config.redisUrl
    ? await (await import("./shared-state/index.js")).connectSharedState({
        redisUrl: config.redisUrl,
        apiKey: config.apiKey,
        rateLimitPerMinute: config.rateLimitPerMinute,
        rateLimitWindowMs: config.rateLimitWindowMs,
        requestTimeoutMs: config.timeoutMs,
        log,
      })
    : undefined;
  const client = createClient({ ...clientOptions(config, log), rateWindow: shared?.rateWindow });
  const knowledge = await startKnowledgeBase(config, log, shared);
  const services = createServices({ client, config, log, shared, mirror: shared?.mirror, knowledge });
  // Loaded only for --http: the Streamable HTTP stack costs stdio users start-up time for nothing.
  const http = config.http ? await (await import("./mcp/http-server.js")).startHttpServer(services, config.http) : undefined;

  let stdio: StdioServerHandle | undefined;
  let closing = false;
  const shutdown = async (reason: string) => {
    if (closing) return;
    closing = true;
    log.debug(`shutting down (${reason})`);
    // In-flight HelpCrunch calls get a short grace period, then the process ends regardless:
    // a client closing stdin expects us gone, not waiting on a slow upstream.
    const grace = new Promise((resolve) => setTimeout(resolve, 500).unref());
    services.liveQueue.stop();
    knowledge?.stop();
    await Promise.race([Promise.allSettled([stdio?.close(), http?.close(), client.close(), demo?.stop(), shared?.close()]), grace]);
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  if (!config.http) {
    process.stdin.on("end", () => void shutdown("stdin closed"));
    process.stdin.on("close", () => void shutdown("stdin closed"));
  }
  process.on("unhandledRejection", (reason) =>
    log.error(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`),
  );

  const mode = config.readOnly ? "read-only" : "read/write";
  if (http) {
    log.info(
      `helpcrunch-mcp ${VERSION} serving Streamable HTTP at ${http.url} (${mode}${config.http?.token ? ", bearer token required" : ""})`,
    );
    return;
  }
  // One server per connection; serveStdio picks its era from the opening message (initialize, or a
  // 2026-07-28 request) and reads through our transport, which answers what the SDK's would drop.
  const transport = new LineStdioTransport();
  // A 2026-07-28 listen is served by serveStdio's entry, out of the server instance's sight: as a
  // 2025 resources/subscribe does, it turns polling on when nothing else keeps the queue fresh.
  transport.onInbound = (message) => {
    if ("method" in message && message.method === "subscriptions/listen" && !services.liveQueue.kept)
      services.liveQueue.startPolling(DEFAULT_POLL_SECONDS);
  };
  stdio = serveStdio(({ era }) => createMcpServer(services, { era }), {
    transport,
    // One connection is one client: its cap, not the SDK's 1,024.
    maxSubscriptions: MAX_LISTENS_PER_CLIENT,
    onerror: (error) => log.warn(`stdio: ${error.message}`),
  });
  log.info(`helpcrunch-mcp ${VERSION} ready on stdio (${mode})`);
}

main().catch((error: unknown) => {
  process.stderr.write(`helpcrunch-mcp: failed to start: ${redact(error instanceof Error ? error.message : String(error))}\n`);
  process.exit(1);
});
