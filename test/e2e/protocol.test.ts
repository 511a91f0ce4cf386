/**
 * The built server over raw stdio lines, as a buggy or hostile client would write them: every malformed message is answered, tool calls wait for initialize, an
 * oversized line is refused without the server going deaf, and closing stdin ends the process.
 * Before the fix each of these got no answer at all, and a line over 10 MB closed the transport.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sniffId } from "../../src/mcp/stdio.js";
import { type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";
import { SERVER_PATH } from "../helpers/spawn.js";

type Message = { id?: string | number | null; result?: unknown; error?: { code: number; message: string }; method?: string };

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 3 });
});
afterAll(() => sandbox.stop());

class RawClient {
  readonly child: ChildProcessWithoutNullStreams;
  private buffer = "";
  private readonly received: Message[] = [];
  private waiters: Array<() => void> = [];

  constructor() {
    this.child = spawn(process.execPath, [SERVER_PATH], {
      env: {
        PATH: process.env.PATH ?? "",
        HELPCRUNCH_BASE_URL: sandbox.url,
        HELPCRUNCH_API_KEY: sandbox.apiKey,
        HELPCRUNCH_LOG_LEVEL: "error",
      },
    });
    this.child.stdout.on("data", (chunk: Buffer) => {
      this.buffer += chunk.toString();
      for (let i = this.buffer.indexOf("\n"); i >= 0; i = this.buffer.indexOf("\n")) {
        this.received.push(JSON.parse(this.buffer.slice(0, i)) as Message);
        this.buffer = this.buffer.slice(i + 1);
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  write(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** The next `count` messages from the server, in order. */
  async next(count = 1): Promise<Message[]> {
    while (this.received.length < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.received.splice(0, count);
  }

  async initialize(): Promise<void> {
    this.write(
      JSON.stringify({
        jsonrpc: "2.0",
        id: "init",
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
      }),
    );
    const [answer] = await this.next();
    expect(answer?.id).toBe("init");
    this.write(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
  }

  exit(): Promise<number | null> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) resolve(this.child.exitCode);
      else this.child.once("exit", (code) => resolve(code));
    });
  }
}

let client: RawClient | undefined;
afterEach(() => {
  client?.child.kill();
  client = undefined;
});

describe("malformed messages are answered", () => {
  it("tools/call before initialize is refused, and nothing reaches HelpCrunch", async () => {
    client = new RawClient();
    sandbox.clearRequests();
    client.write(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "tools/call",
        params: { name: "set_chat_status", arguments: { chat_id: 1, status: "closed" } },
      }),
    );
    const [answer] = await client.next();
    expect(answer).toMatchObject({ id: 1, error: { code: -32600, message: "Server not initialized: send initialize before tools/call." } });
    expect(sandbox.requests).toEqual([]);
  });

  it("answers -32700, -32600 with the id, batches per request, and short params errors", async () => {
    client = new RawClient();
    await client.initialize();
    client.write("{not json");
    client.write(JSON.stringify({ foo: 1, id: 3 }));
    client.write(JSON.stringify({ jsonrpc: "2.0", id: 4, method: "tools/list", params: "x" }));
    client.write(
      JSON.stringify([
        { jsonrpc: "2.0", id: 5, method: "ping" },
        { jsonrpc: "2.0", id: 6, method: "ping" },
      ]),
    );
    client.write(JSON.stringify({ jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "get_chat", arguments: null } }));
    client.write(JSON.stringify({ jsonrpc: "2.0", id: 8, method: "ping" }));
    const answers = await client.next(7);
    expect(answers.map((a) => [a.id, a.error?.code])).toEqual([
      [null, -32700],
      [3, -32600],
      [4, -32600],
      [5, -32600],
      [6, -32600],
      [7, -32602],
      [8, undefined],
    ]);
    for (const a of answers.slice(0, 6)) expect(a.error?.message).not.toContain("\n");
    expect(answers[5]?.error?.message).toMatch(/^Invalid params for tools\/call: params\.arguments: .{5,120}\.$/);
  });
});

describe("oversized lines", () => {
  it("a line over 1 MB is refused with its id; the server keeps serving", async () => {
    client = new RawClient();
    await client.initialize();
    const huge = JSON.stringify({
      jsonrpc: "2.0",
      method: "tools/call",
      params: { name: "send_message", arguments: { chat_id: 1, text: "x".repeat(2_000_000) } },
      id: 41,
    });
    client.write(huge);
    client.write(JSON.stringify({ jsonrpc: "2.0", id: 42, method: "ping" }));
    const [refused, pong] = await client.next(2);
    expect(refused).toMatchObject({ id: 41, error: { code: -32600 } });
    expect(pong).toMatchObject({ id: 42, result: {} });
  });

  it("after an 11 MB line the server still answers, and exits when stdin closes", async () => {
    client = new RawClient();
    await client.initialize();
    client.write(`{"jsonrpc":"2.0","id":"big","method":"ping","params":{"pad":"${"y".repeat(11_000_000)}"}}`);
    client.write(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }));
    const [refused, listed] = await client.next(2);
    expect(refused).toMatchObject({ id: "big", error: { code: -32600 } });
    expect((listed?.result as { tools: unknown[] }).tools.length).toBeGreaterThan(5);
    const exited = client.exit();
    client.child.stdin.end();
    expect(await exited).toBe(0);
  }, 20_000);
});

describe("sniffId", () => {
  it("reads a top-level id at either edge, never a nested one", () => {
    expect(sniffId('{"jsonrpc":"2.0","id":7,"method":"x","params":{', "")).toBe(7);
    expect(sniffId('{"method":"x"', ',"jsonrpc":"2.0","id":"a-1"}')).toBe("a-1");
    expect(sniffId('{"method":"x"', '"params":{"id":5}}')).toBeUndefined();
    expect(sniffId('{"params":{"id":5', "xx")).toBeUndefined();
  });
});
