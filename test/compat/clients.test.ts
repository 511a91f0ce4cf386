/**
 * Client compatibility: the built server (dist/server.js) driven over stdio by the official TypeScript
 * SDK client and by the official Python SDK client (`mcp` on PyPI, in .venv-compat/ made by the global setup),
 * through the same scenario (scenario.ts / scenario.py): initialize, tools/list, search_chats, get_chat
 * on hostile customer text, 200 bulk chat writes with progress, a cancelled call, tools/list again.
 * Each client must answer every call, keep the hostile text valid, and report no protocol error.
 *
 * The Python client's tests skip (loudly) when the global setup could not provide the client (never
 * under CI=true: the run fails instead); COMPAT_PYTHON=/path/to/python points them at another interpreter.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";
import { TOOLS } from "../../src/tools/index.js";
import { packageRoot } from "../../src/version.js";
import { SERVER_PATH } from "../helpers/spawn.js";
import { compatPython } from "../prerequisites.js";
import { runTsScenario, type ScenarioConfig, type ScenarioSummary } from "./scenario.js";

const HOSTILE = "refund &#9999999; please &#55296; now \uD800 or &#x110000; ok";
const EXPECTED_TOOLS = TOOLS.length;
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

let sandbox: SandboxHandle;
let config: ScenarioConfig;

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
  config = {
    command: process.execPath,
    args: [SERVER_PATH],
    cwd: ROOT,
    env: {
      HELPCRUNCH_BASE_URL: sandbox.url,
      HELPCRUNCH_API_KEY: sandbox.apiKey,
      HELPCRUNCH_LOG_LEVEL: "warn",
      HELPCRUNCH_RATE_LIMIT_PER_MINUTE: "100000",
    },
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
});

afterAll(async () => {
  await sandbox?.stop();
});

const CLIENTS: Array<{ name: string; skip: boolean; run: (c: ScenarioConfig) => Promise<ScenarioSummary> }> = [
  { name: "TypeScript SDK client", skip: false, run: runTsScenario },
  { name: "Python SDK client (mcp on PyPI)", skip: !py.ok, run: runPythonScenario },
];

describe.each(CLIENTS)("$name over stdio", ({ skip, run }) => {
  let summary: ScenarioSummary;
  // Shown with any failure: the whole summary says what this client saw.
  const seen = () => JSON.stringify(summary, null, 2);

  beforeAll(async () => {
    if (skip) return;
    summary = await run(config);
  }, SCENARIO_TIMEOUT_MS);

  it.skipIf(skip)("answers every request of the scenario", () => {
    expect(summary.failures, seen()).toEqual([]);
    expect(summary.completed, seen()).toBe(true);
    expect(summary.answersReceived, seen()).toBe(summary.requestsSent);
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
