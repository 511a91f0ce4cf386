/**
 * The server as a process: stdout carries nothing but JSON-RPC, the API key never leaves it,
 * and it ends promptly and cleanly on stdin close, SIGTERM and SIGINT, even mid-request.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";
import { SERVER_PATH } from "../helpers/spawn.js";

const KEY = "hc-live-SECRET-1234567890abcdef";
let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, seed: 9 });
});
afterAll(() => sandbox.stop());

interface Session {
  child: ChildProcessWithoutNullStreams;
  stdout: string[];
  stderr: string[];
  send(message: object): void;
  response(id: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  endAt(): number;
}

function startServer(extraEnv: Record<string, string> = {}): Session {
  const child = spawn(process.execPath, [SERVER_PATH], {
    env: {
      PATH: process.env.PATH ?? "",
      HELPCRUNCH_API_KEY: KEY,
      HELPCRUNCH_BASE_URL: sandbox.url,
      HELPCRUNCH_LOG_LEVEL: "debug",
      ...extraEnv,
    },
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  let buffer = "";
  const waiters = new Map<number, (m: Record<string, unknown>) => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl = buffer.indexOf("\n");
    while (nl >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      stdout.push(line);
      const message = JSON.parse(line) as Record<string, unknown>;
      if (typeof message.id === "number") waiters.get(message.id)?.(message);
      nl = buffer.indexOf("\n");
    }
  });
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  let end = 0;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) => {
    child.on("exit", (code, signal) => resolve({ code, signal, ms: performance.now() - end }));
  });
  return {
    child,
    stdout,
    stderr,
    send: (message) => child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", ...message })}\n`),
    response: (id) => new Promise((resolve) => waiters.set(id, resolve)),
    exited,
    endAt: () => {
      end = performance.now();
      return end;
    },
  };
}

async function initialize(s: Session): Promise<void> {
  s.send({
    id: 0,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
  });
  await s.response(0);
  s.send({ method: "notifications/initialized" });
}

describe("a full session over raw stdio", () => {
  it("writes only JSON-RPC lines to stdout and never reveals the key", async () => {
    const s = startServer();
    await initialize(s);
    const calls: Array<[string, Record<string, unknown>]> = [
      ["triage_queue", { limit: 5 }],
      ["search_chats", { status: ["opened"], limit: 5 }],
      ["get_chat", { chat_id: 1 }],
      ["list_agents", {}],
      ["assign_chat", { chat_id: 424242, agent: 1 }],
      ["send_message", { chat_id: 1, text: "hi" }],
      ["search_chats", { status: ["nope"] }],
    ];
    s.send({ id: 1, method: "tools/list" });
    await s.response(1);
    for (const [i, [name, args]] of calls.entries()) {
      s.send({ id: i + 2, method: "tools/call", params: { name, arguments: args } });
      await s.response(i + 2);
    }
    s.send({ id: 99, method: "resources/read", params: { uri: "helpcrunch://queue" } });
    await s.response(99);
    s.endAt();
    s.child.stdin.end();
    const exit = await s.exited;
    expect(exit.code).toBe(0);
    expect(s.stdout.length).toBeGreaterThan(calls.length);
    for (const line of s.stdout) expect(JSON.parse(line)).toMatchObject({ jsonrpc: "2.0" });
    expect(s.stdout.join("\n")).not.toContain(KEY);
    expect(s.stderr.join("")).not.toContain(KEY);
    expect(sandbox.requests.some((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
  });
});

describe("lifecycle", () => {
  it.each([["stdin close"], ["SIGTERM"], ["SIGINT"]])(
    "%s ends the process within 2 s, mid-request, without unhandled rejections",
    async (how) => {
      sandbox.addFault({ method: "GET", path: /^\/chats\/\d+$/, times: 1, fault: { type: "delay", ms: 5_000 } });
      const s = startServer();
      await initialize(s);
      s.send({ id: 5, method: "tools/call", params: { name: "get_chat", arguments: { chat_id: 1, messages: 0 } } });
      await new Promise((r) => setTimeout(r, 150));
      s.endAt();
      if (how === "stdin close") s.child.stdin.end();
      else s.child.kill(how as NodeJS.Signals);
      const exit = await s.exited;
      sandbox.clearFaults();
      expect(exit.ms).toBeLessThan(2_000);
      expect(exit.code).toBe(0);
      expect(s.stderr.join("")).not.toMatch(/unhandled|UnhandledPromiseRejection/i);
    },
  );
});
