/**
 * Client-compatibility scenario, TypeScript side: each TypeScript client of the matrix (ts-clients.ts:
 * v1 and v2 SDKs, both protocol generations, stdio and HTTP) drives the built server through the same
 * steps; test/compat/scenario.py runs them with the official Python SDK. All return a ScenarioSummary
 * so clients.test.ts asserts the same things about each.
 *
 * Protocol errors: everything the SDK reports through client.onerror (e.g. "Received a progress
 * notification for an unknown token", an unparseable stdout line, a response for an unknown id).
 */

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type FormAnswer, makeClient, type ServerTarget, type ToolCall, type ToolResult, type TsClientKind } from "./ts-clients.js";

export type { ToolCall } from "./ts-clients.js";

/** The scenario's input; scenario.py takes the same object as JSON. */
export interface ScenarioConfig {
  command: string;
  args: string[];
  /** The server's environment (the TS side adds PATH; the Python SDK merges it over its safe defaults). */
  env: Record<string, string>;
  cwd?: string;
  stepTimeoutMs: number;
  /** The chat whose customer text is hostile (numeric references past U+10FFFF, lone surrogates). */
  hostileChatId: number;
  /** Bulk writes, each sent with a progress token. */
  bulkCalls: ToolCall[];
  /** A call started, cancelled after afterMs, then settleMs for late traffic before tools/list. */
  cancel?: ToolCall & { afterMs: number; settleMs: number };
  /**
   * Two customer replies under HELPCRUNCH_CUSTOMER_MESSAGES=confirm: the person accepts the first
   * with an edit and declines the second (each sent to its own chat, so the sandbox's log tells them apart).
   */
  replies?: { confirm: { chatId: number; draft: string; edit: string }; decline: { chatId: number; draft: string } };
}

/** What came of one customer reply: the answer, and how many forms the client was shown for it. */
export interface ReplyOutcome {
  answered: boolean;
  isError: boolean | null;
  forms: number;
  text: string | null;
}

/** What a client saw; printed as JSON by scenario.py, returned by runTsScenario. */
export interface ScenarioSummary {
  client: string;
  /** Every step ran (a step that failed is in `failures`, not a crash). */
  completed: boolean;
  /** Steps that got no answer or threw: timeouts, error responses, schema validation failures. */
  failures: string[];
  /** What the client SDK itself reported as protocol errors. */
  protocolErrors: string[];
  /** Requests the scenario sent (the cancelled one excluded) and how many were answered. */
  requestsSent: number;
  answersReceived: number;
  /** notifications/progress messages on the wire. */
  progressNotifications: number;
  protocolVersion?: string;
  serverName?: string;
  tools?: { count: number | null };
  search?: { isError: boolean; chatCount: number | null; statuses: string[] | null };
  hostile?: { isError: boolean; containsReplacement: boolean; loneSurrogates: boolean; strictJson: boolean; excerpt: string };
  /** progress: callbacks in all; progressPerCall: per call; progressOrdered: every call's values rose and stayed within its total. */
  bulk?: {
    calls: number;
    answered: number;
    isErrors: number;
    succeeded: number;
    failed: number;
    progress: number;
    progressPerCall: number[];
    progressOrdered: boolean;
  };
  cancel?: { outcome: string; cancelled?: boolean; progress: number; toolsAfter?: number | null };
  replies?: { confirmed: ReplyOutcome; declined: ReplyOutcome };
  wire?: Record<string, number>;
  elapsedMs?: number;
}

// JSON.stringify writes a lone surrogate as a \ud800 escape, which strict JSON parsers refuse.
export const LONE_ESCAPE = /\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i;

const textOf = (r: ToolResult) =>
  (r.content ?? []).flatMap((c) => (c.type === "text" && typeof c.text === "string" ? [c.text] : [])).join("\n");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 2000);

/** The installed version of an SDK package (its exports map hides package.json, so walk up from an entry). */
function sdkVersion(name: string): string {
  try {
    const entry = name === "@modelcontextprotocol/sdk" ? `${name}/client/index.js` : name;
    let dir = dirname(createRequire(import.meta.url).resolve(entry));
    for (; dir !== dirname(dir); dir = dirname(dir)) {
      const file = join(dir, "package.json");
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version ?? "unknown";
    }
  } catch {
    // fall through
  }
  return "unknown";
}

const structured = (r: ToolResult) => (r.structuredContent ?? {}) as Record<string, unknown>;

/** Runs the scenario with one TypeScript client of the matrix against `target` (by default the stdio server of `config`). */
export async function runTsScenario(config: ScenarioConfig, kind: TsClientKind, target?: ServerTarget): Promise<ScenarioSummary> {
  const started = Date.now();
  const summary: ScenarioSummary = {
    client: `typescript ${kind.sdk === "v1" ? `@modelcontextprotocol/sdk ${sdkVersion("@modelcontextprotocol/sdk")}` : `@modelcontextprotocol/client ${sdkVersion("@modelcontextprotocol/client")}`}`,
    completed: false,
    failures: [],
    protocolErrors: [],
    requestsSent: 0,
    answersReceived: 0,
    progressNotifications: 0,
  };
  const wire = { messages: 0, progress: 0, loneSurrogateEscapes: 0 };
  summary.wire = wire;
  // The person at the client: yes to a large bulk change; each reply step says what they answer, and counts the forms shown.
  let answer: FormAnswer = { action: "accept", content: { confirm: true } };
  let forms = 0;
  const client = makeClient(
    kind,
    target ?? { kind: "stdio", command: config.command, args: config.args, env: config.env, cwd: config.cwd },
    () => {
      forms++;
      return answer;
    },
    // A tap on every message the server sends: counts progress on the wire and checks each line is
    // strict JSON. JSON.parse accepts a lone surrogate escape; re-serialising shows it again.
    (message) => {
      wire.messages++;
      if ("method" in message && message.method === "notifications/progress") wire.progress++;
      // Not a protocol error for this SDK (JSON.parse accepts it), but a strict parser refuses the line.
      if (LONE_ESCAPE.test(JSON.stringify(message))) wire.loneSurrogateEscapes++;
    },
    (error) => summary.protocolErrors.push(describe(error).slice(0, 2000)),
  );
  const timeout = config.stepTimeoutMs;

  async function step<T>(name: string, call: () => Promise<T>): Promise<T | undefined> {
    summary.requestsSent++;
    try {
      const result = await call();
      summary.answersReceived++;
      return result;
    } catch (error) {
      summary.failures.push(`${name}: ${describe(error)}`);
      return undefined;
    }
  }

  try {
    const connected = await step("initialize", () => client.connect(timeout).then(() => true));
    if (!connected) return summary;
    summary.serverName = client.serverName();
    summary.protocolVersion = client.protocolVersion();

    const tools = await step("tools/list", () => client.listTools(timeout));
    summary.tools = { count: tools ? tools.tools.length : null };

    const search = await step("search_chats", () =>
      client.callTool({ name: "search_chats", arguments: { status: ["opened"], limit: 5 } }, { timeout }),
    );
    if (search) {
      const chats = structured(search).chats;
      summary.search = {
        isError: Boolean(search.isError),
        chatCount: Array.isArray(chats) ? chats.length : null,
        statuses: Array.isArray(chats) ? [...new Set(chats.map((c) => String((c as { status?: unknown }).status)))].sort() : null,
      };
    }

    const escapesBefore = wire.loneSurrogateEscapes;
    const hostile = await step("get_chat (hostile text)", () =>
      client.callTool({ name: "get_chat", arguments: { chat_id: config.hostileChatId } }, { timeout }),
    );
    if (hostile) {
      const text = textOf(hostile);
      summary.hostile = {
        isError: Boolean(hostile.isError),
        containsReplacement: text.includes("\uFFFD"),
        // A lone surrogate parsed from a \ud800 escape; JSON.stringify writes it back as that escape.
        loneSurrogates: LONE_ESCAPE.test(JSON.stringify(hostile)),
        strictJson: wire.loneSurrogateEscapes === escapesBefore,
        excerpt: (text.split("\n").find((line) => line.includes("refund")) ?? text.slice(0, 200)).slice(0, 300),
      };
    }

    const bulk: NonNullable<ScenarioSummary["bulk"]> = {
      calls: 0,
      answered: 0,
      isErrors: 0,
      succeeded: 0,
      failed: 0,
      progress: 0,
      progressPerCall: [],
      progressOrdered: true,
    };
    summary.bulk = bulk;
    for (const [index, call] of config.bulkCalls.entries()) {
      bulk.calls++;
      bulk.progressPerCall.push(0);
      let last = Number.NEGATIVE_INFINITY;
      const onprogress = ({ progress, total, message }: { progress: number; total?: number; message?: string }) => {
        // The v2 client reports each input-required round to onprogress itself (progress = the round);
        // that is not the server's progress, and is not on the wire.
        if (message?.startsWith("Fulfilling input required")) return;
        bulk.progress++;
        bulk.progressPerCall[index] = (bulk.progressPerCall[index] ?? 0) + 1;
        if (!(progress > last) || (total !== undefined && progress > total)) bulk.progressOrdered = false;
        last = progress;
      };
      const result = await step(`bulk ${call.name} #${index + 1}`, () => client.callTool(call, { timeout, onprogress }));
      if (result) {
        bulk.answered++;
        if (result.isError) bulk.isErrors++;
        bulk.succeeded += Number(structured(result).succeeded ?? 0);
        bulk.failed += Number(structured(result).failed ?? 0);
      }
    }

    if (config.cancel) {
      const spec = config.cancel;
      const cancel: NonNullable<ScenarioSummary["cancel"]> = { outcome: "not started", progress: 0 };
      summary.cancel = cancel;
      const controller = new AbortController();
      const call = client
        .callTool(
          { name: spec.name, arguments: spec.arguments },
          { timeout, signal: controller.signal, onprogress: () => void cancel.progress++ },
        )
        .then(
          () => (cancel.outcome = "completed before the cancel"),
          (error: unknown) => (cancel.outcome = controller.signal.aborted ? "cancelled" : `error: ${describe(error)}`),
        );
      await sleep(spec.afterMs);
      // The SDK rejects the call and sends notifications/cancelled for it.
      controller.abort("compat scenario cancels the call");
      await call;
      cancel.cancelled = cancel.outcome === "cancelled";
      await sleep(spec.settleMs);
      const after = await step("tools/list after the cancel", () => client.listTools(timeout));
      cancel.toolsAfter = after ? after.tools.length : null;
    }

    if (config.replies) {
      const reply = async (name: string, spec: { chatId: number; draft: string }, given: FormAnswer): Promise<ReplyOutcome> => {
        answer = given;
        forms = 0;
        const result = await step(name, () =>
          client.callTool({ name: "send_message", arguments: { chat_id: spec.chatId, text: spec.draft } }, { timeout }),
        );
        return {
          answered: Boolean(result),
          isError: result ? Boolean(result.isError) : null,
          forms,
          text: result ? textOf(result).slice(0, 400) : null,
        };
      };
      const { confirm, decline } = config.replies;
      summary.replies = {
        confirmed: await reply("send_message (confirmed)", confirm, { action: "accept", content: { text: confirm.edit } }),
        declined: await reply("send_message (declined)", decline, { action: "decline" }),
      };
    }
    summary.progressNotifications = wire.progress;
    summary.completed = true;
  } catch (error) {
    summary.failures.push(`scenario crashed: ${describe(error)}`);
  } finally {
    summary.progressNotifications = wire.progress;
    await client.close().catch((error: unknown) => summary.failures.push(`close: ${describe(error)}`));
    summary.elapsedMs = Date.now() - started;
    if (summary.failures.length > 0 || summary.protocolErrors.length > 0) {
      // For diagnostics only: the server's stderr (log level warn) when something went wrong.
      (summary as ScenarioSummary & { serverStderrTail?: string }).serverStderrTail = client.stderr.join("").slice(-4000);
    }
  }
  return summary;
}
