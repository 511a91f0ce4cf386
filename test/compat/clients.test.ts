/**
 * Client compatibility matrix: the built server (dist/server.js) driven by every client we support,
 * through one scenario (scenario.ts / scenario.py): initialize, tools/list, search_chats, get_chat on
 * hostile customer text, 200 bulk chat writes with progress (confirmed in a form where the client can
 * show one), a cancelled call, tools/list again, then a customer reply the person edits and confirms
 * and one they decline (HELPCRUNCH_CUSTOMER_MESSAGES=confirm, the default).
 *
 * The clients: the v2 SDK on 2026-07-28 (server/discover, forms as input_required rounds) over stdio
 * and stateless HTTP; the v2 SDK on 2025-11-25 (initialize, forms as elicitation requests) over stdio;
 * the v1 SDK 1.x over stdio and HTTP; the official Python SDK (`mcp` on PyPI, in .venv-compat/ made by
 * the global setup) over stdio. Each must answer every call, keep the hostile text valid, and report no
 * protocol error. A 2025 client over stateless HTTP cannot be asked (the server cannot send it a
 * request): its replies are refused with one sentence and nothing is sent; every other client's
 * confirmed reply is sent once, as edited, and the declined one never.
 *
 * The Python client's tests skip (loudly) when the global setup could not provide the client (never
 * under CI=true: the run fails instead); COMPAT_PYTHON=/path/to/python points them at another interpreter.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";
import { selectTools } from "../../src/tools/index.js";
import { packageRoot } from "../../src/version.js";
import { SERVER_PATH, spawnHttp } from "../helpers/spawn.js";
import { compatPython } from "../prerequisites.js";
import { runTsScenario, type ScenarioConfig, type ScenarioSummary } from "./scenario.js";
import { labelOf, type ServerTarget, type TsClientKind } from "./ts-clients.js";

const HOSTILE = "refund &#9999999; please &#55296; now \uD800 or &#x110000; ok";
// The scenario's server has no knowledge source, so search_knowledge is not offered.
const EXPECTED_TOOLS = selectTools({ readOnly: false, knowledge: false }).length;
const BULK_WRITES = 200;
const BULK_MAX = 50;
const STEP_TIMEOUT_MS = 30_000;
const SCENARIO_TIMEOUT_MS = 120_000;
/** Writes of the cancelled call are held this long by the sandbox, so the cancel lands while they are in flight. */
const CANCEL_DELAY_MS = 1_000;

const ROOT = packageRoot();
const PY_SCENARIO = join(ROOT, "test", "compat", "scenario.py");

/** The interpreter, or why there is none (the global setup tried to make one, and warned loudly). */
function findPython(): { python: string; ok: true } | { python: string; ok: false; reason: string } {
  const python = compatPython(ROOT);
  const missing = inject("prerequisites").python;
  return missing ? { python, ok: false, reason: missing } : { python, ok: true };
}

const py = findPython();
if (!py.ok) {
  console.warn(
    [
      "",
      "################################################################################",
      "WARNING: Python MCP client compatibility tests are SKIPPED.",
      `WARNING: ${py.reason}`,
      "WARNING: only the TypeScript SDK client is checked against the server.",
      "################################################################################",
      "",
    ].join("\n"),
  );
}

function runPythonScenario(config: ScenarioConfig): Promise<ScenarioSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(py.python, [PY_SCENARIO, JSON.stringify(config)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), SCENARIO_TIMEOUT_MS - 5_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split("\n").at(-1) ?? "";
      try {
        const summary = JSON.parse(line) as ScenarioSummary & { pythonStderrTail?: string };
        if (summary.failures.length > 0 || summary.protocolErrors.length > 0) summary.pythonStderrTail = stderr.slice(-4000);
        resolve(summary);
      } catch {
        reject(
          new Error(
            `scenario.py printed no JSON summary (exit ${code}${signal ? `, ${signal}` : ""}).\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-4000)}`,
          ),
        );
      }
    });
  });
}

const TOKEN = "compat-token-0123456789abcdef";

let sandbox: SandboxHandle;
let base: ScenarioConfig;
let http: Awaited<ReturnType<typeof spawnHttp>>;
/** Chats no other step touches, two per client: one reply confirmed, one declined. */
let replyChats: number[];

/** One cell of the matrix. `forms`: can the person be asked (the reply is confirmed), or is it refused? */
interface Cell {
  name: string;
  skip: boolean;
  forms: boolean;
  protocol: string;
  run: (config: ScenarioConfig) => Promise<ScenarioSummary>;
}

const ts = (kind: TsClientKind, forms: boolean): Cell => ({
  name: labelOf(kind),
  skip: false,
  forms,
  protocol: kind.sdk === "v2" ? kind.protocol : "2025-11-25",
  run: (config) => {
    const target: ServerTarget | undefined =
      kind.transport === "http" ? { kind: "http", url: `${http.base}/mcp`, token: TOKEN } : undefined;
    return runTsScenario(config, kind, target);
  },
});

const CELLS: Cell[] = [
  ts({ sdk: "v2", protocol: "2026-07-28", transport: "stdio" }, true),
  ts({ sdk: "v2", protocol: "2026-07-28", transport: "http" }, true),
  ts({ sdk: "v2", protocol: "2025-11-25", transport: "stdio" }, true),
  ts({ sdk: "v1", transport: "stdio" }, true),
  // 2025 clients over stateless HTTP cannot be asked: their customer replies are refused.
  ts({ sdk: "v1", transport: "http" }, false),
  { name: "Python SDK client (mcp on PyPI) over stdio", skip: !py.ok, forms: true, protocol: "2025-11-25", run: runPythonScenario },
];

beforeAll(async () => {
  sandbox = await startSandbox();
  const opened = [...sandbox.state.chats.values()].filter((c) => c.status === "opened");
  const hostile = opened.find((c) => (sandbox.state.messages.get(c.id)?.length ?? 0) > 0);
  if (!hostile) throw new Error("the sandbox seed has no opened chat with messages");
  hostile.lastMessageText = HOSTILE;
  for (const message of sandbox.state.messages.get(hostile.id) ?? []) message.text = HOSTILE;

  const ids = opened.filter((c) => c.id !== hostile.id).map((c) => c.id);
  if (ids.length < BULK_MAX) throw new Error(`the sandbox seed has ${ids.length} other opened chats; the scenario needs ${BULK_MAX}`);
  const batch = ids.slice(0, BULK_MAX);
  // Replies go to chats the bulk writes and the cancelled call leave alone: new and pending ones.
  replyChats = [...sandbox.state.chats.values()].filter((c) => c.status === "new" || c.status === "pending").map((c) => c.id);
  if (replyChats.length < 2 * CELLS.length)
    throw new Error(`the sandbox seed has ${replyChats.length} new or pending chats; the replies need ${2 * CELLS.length}`);
  const env = {
    HELPCRUNCH_BASE_URL: sandbox.url,
    HELPCRUNCH_API_KEY: sandbox.apiKey,
    HELPCRUNCH_RATE_LIMIT_PER_MINUTE: "100000",
    HELPCRUNCH_DEFAULT_AGENT: [...sandbox.state.agents.values()][0]?.email as string,
  };
  base = {
    command: process.execPath,
    args: [SERVER_PATH],
    cwd: ROOT,
    env: { ...env, HELPCRUNCH_LOG_LEVEL: "warn" },
    stepTimeoutMs: STEP_TIMEOUT_MS,
    hostileChatId: hostile.id,
    bulkCalls: Array.from({ length: BULK_WRITES / BULK_MAX }, () => ({ name: "snooze_chat", arguments: { chat_ids: batch, until: "1h" } })),
    cancel: {
      name: "assign_chat",
      arguments: { chat_ids: ids.slice(-BULK_MAX), agent: "none" },
      afterMs: 300,
      settleMs: CANCEL_DELAY_MS + 1_000,
    },
  };
  // Only the cancelled call assigns: hold its writes so the cancel arrives while they are in flight.
  sandbox.addFault({
    method: "PUT",
    path: "/chats/assignee",
    times: Number.POSITIVE_INFINITY,
    fault: { type: "delay", ms: CANCEL_DELAY_MS },
  });
  http = await spawnHttp({ ...env, MCP_HTTP_TOKEN: TOKEN }, []);
});

afterAll(async () => {
  http?.stop();
  await sandbox?.stop();
});

const posted = (chatId: number) =>
  sandbox.requests
    .filter((r) => r.method === "POST" && r.path === "/messages" && (r.body as { chat?: number } | undefined)?.chat === chatId)
    .map((r) => (r.body as { text?: string }).text);

describe.each(CELLS.map((cell, index) => ({ ...cell, index })))("$name", ({ skip, run, forms, protocol, index }) => {
  let summary: ScenarioSummary;
  let config: ScenarioConfig;
  // Shown with any failure: the whole summary says what this client saw.
  const seen = () => JSON.stringify(summary, null, 2);

  beforeAll(async () => {
    if (skip) return;
    const [confirmChat, declineChat] = [replyChats[2 * index] as number, replyChats[2 * index + 1] as number];
    config = {
      ...base,
      replies: {
        confirm: { chatId: confirmChat, draft: `Draft for chat ${confirmChat}.`, edit: `Edited by the person for chat ${confirmChat}.` },
        decline: { chatId: declineChat, draft: `Declined draft for chat ${declineChat}.` },
      },
    };
    summary = await run(config);
  }, SCENARIO_TIMEOUT_MS);

  it.skipIf(skip)(`answers every request of the scenario, on ${protocol}`, () => {
    expect(summary.failures, seen()).toEqual([]);
    expect(summary.completed, seen()).toBe(true);
    expect(summary.answersReceived, seen()).toBe(summary.requestsSent);
    expect(summary.protocolVersion, seen()).toBe(protocol);
    expect(summary.tools?.count, seen()).toBe(EXPECTED_TOOLS);
    expect(summary.search?.isError, seen()).toBe(false);
    expect(summary.search?.chatCount, seen()).toBeGreaterThan(0);
    expect(summary.search?.chatCount, seen()).toBeLessThanOrEqual(5);
  });

  it.skipIf(skip)("gets hostile customer text back as valid Unicode (U+FFFD, strict JSON)", () => {
    expect(summary.hostile, seen()).toMatchObject({ isError: false, containsReplacement: true, loneSurrogates: false, strictJson: true });
    expect(summary.hostile?.excerpt, seen()).toContain("\uFFFD");
  });

  it.skipIf(skip)(`does ${BULK_WRITES} bulk chat writes, every call answered with progress on the way`, () => {
    expect(summary.bulk, seen()).toMatchObject({
      calls: BULK_WRITES / BULK_MAX,
      answered: BULK_WRITES / BULK_MAX,
      isErrors: 0,
      succeeded: BULK_WRITES,
      failed: 0,
      progressOrdered: true,
    });
    // Each call reports progress while its chats are written (the server may leave the final step to the result).
    for (const count of summary.bulk?.progressPerCall ?? []) expect(count, seen()).toBeGreaterThan(0);
    expect(summary.progressNotifications, seen()).toBeGreaterThanOrEqual(summary.bulk?.progress ?? 0);
  });

  it.skipIf(skip)("cancels a call and the server still answers tools/list", () => {
    expect(summary.cancel?.outcome, seen()).toBe("cancelled");
    expect(summary.cancel?.toolsAfter, seen()).toBe(EXPECTED_TOOLS);
  });

  it.skipIf(skip)(
    forms
      ? "sends a confirmed customer reply once, as the person edited it, and a declined one never"
      : "refuses both customer replies in one sentence (no form over stateless HTTP on 2025) and sends nothing",
    () => {
      const { confirm, decline } = config.replies as NonNullable<ScenarioConfig["replies"]>;
      if (forms) {
        expect(summary.replies?.confirmed, seen()).toMatchObject({ answered: true, isError: false, forms: 1 });
        expect(posted(confirm.chatId), seen()).toEqual([confirm.edit]);
        expect(summary.replies?.declined, seen()).toMatchObject({ answered: true, isError: true, forms: 1 });
        expect(summary.replies?.declined.text, seen()).toMatch(/declined this reply; nothing was sent/);
      } else {
        for (const outcome of [summary.replies?.confirmed, summary.replies?.declined]) {
          expect(outcome, seen()).toMatchObject({ answered: true, isError: true, forms: 0 });
          expect(outcome?.text, seen()).toMatch(/^Nothing was sent: .*cannot show a confirmation form/);
        }
        expect(posted(confirm.chatId), seen()).toEqual([]);
      }
      expect(posted(decline.chatId), seen()).toEqual([]);
    },
  );

  it.skipIf(skip)("reports no protocol error (no progress notification for an unknown token)", () => {
    // Only meaningful if the scenario ran through, progress and the cancel included.
    expect(summary.completed, seen()).toBe(true);
    expect(summary.bulk?.progress, seen()).toBeGreaterThan(0);
    expect(summary.cancel?.outcome, seen()).toBe("cancelled");
    const unknownToken = summary.protocolErrors.filter((e) => /unknown (progress )?token/i.test(e));
    expect(unknownToken, seen()).toEqual([]);
    expect(summary.protocolErrors, seen()).toEqual([]);
  });
});
