/**
 * The stdio transport, handed to the SDK's serveStdio in place of its StdioServerTransport, which
 * (v2 as v1) closes the connection for good on a message over its 10 MB buffer and never answers a
 * line it cannot parse (test/e2e/stdio.test.ts and protocol.test.ts fail with it). Here a line over MAX_LINE_BYTES is skipped with an error reply,
 * every malformed message is answered (see incoming.ts), and the process keeps serving until stdin ends.
 */
import { type JSONRPCMessage, ProtocolErrorCode, type Transport } from "@modelcontextprotocol/server";
import { OVERSIZED_ANSWER } from "../runtime/confirm.js";
import { checkIncoming, errorReply, parseErrorReply } from "./incoming.js";

/** The longest line read; MCP requests are small (a tool's largest argument is a 10,000-character message). */
export const MAX_LINE_BYTES = 1_000_000;

/** How much of an oversized line's start and end is kept, to find its id and answer it. */
const EDGE_BYTES = 512;

type Id = string | number;

export class LineStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** Sees each message before the SDK does (server.ts watches for a 2026-07-28 subscriptions/listen). */
  onInbound?: (message: JSONRPCMessage) => void;

  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set while skipping the rest of an oversized line: its first bytes, to find its id. */
  private skipping?: { head: Buffer; tail: Buffer };
  private initialized = false;
  private closed = false;

  constructor(
    private readonly stdin: NodeJS.ReadableStream = process.stdin,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  async start(): Promise<void> {
    this.stdin.on("data", this.onData);
    this.stdin.on("error", this.onStdinError);
    this.stdin.on("end", this.onEnd);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return;
    const line = `${JSON.stringify(message)}\n`;
    await new Promise<void>((resolve) => {
      if (this.stdout.write(line)) resolve();
      else this.stdout.once("drain", resolve);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stdin.off("data", this.onData);
    this.stdin.off("error", this.onStdinError);
    this.stdin.off("end", this.onEnd);
    this.pending = [];
    this.onclose?.();
  }

  private readonly onStdinError = (error: Error) => this.onerror?.(error);
  private readonly onEnd = () => void this.close();

  private readonly onData = (chunk: Buffer | string) => {
    let data = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    for (let newline = data.indexOf(10); newline >= 0; newline = data.indexOf(10)) {
      this.take(data.subarray(0, newline));
      this.endLine();
      data = data.subarray(newline + 1);
    }
    if (data.length > 0) this.take(data);
  };

  /** Adds bytes of the current line, switching to skipping once it outgrows the limit. */
  private take(bytes: Buffer): void {
    if (this.skipping) {
      this.skipping.tail = Buffer.concat([this.skipping.tail, bytes]).subarray(-EDGE_BYTES);
      return;
    }
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes > this.maxLineBytes) {
      const line = Buffer.concat(this.pending);
      this.skipping = { head: line.subarray(0, EDGE_BYTES), tail: line.subarray(-EDGE_BYTES) };
      this.pending = [];
      this.pendingBytes = 0;
    }
  }

  private endLine(): void {
    if (this.skipping) {
      const { head, tail } = this.skipping;
      this.skipping = undefined;
      this.dropOversized(head.toString("utf8"), tail.toString("utf8"));
      return;
    }
    const line = Buffer.concat(this.pending).toString("utf8").trim();
    this.pending = [];
    this.pendingBytes = 0;
    if (line === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.reply([parseErrorReply()]);
      return;
    }
    const { deliver, replies } = checkIncoming(value, this.initialized);
    this.reply(replies);
    for (const message of deliver) {
      if ("method" in message && message.method === "initialize" && "id" in message) this.initialized = true;
      this.onInbound?.(message);
      this.onmessage?.(message);
    }
  }

  /**
   * A request too long to read gets an error reply. A response too long to read (the client's answer
   * to one of our requests, e.g. an elicitation form) must not be answered — JSON-RPC never answers
   * a response — but the request waiting for it must end now, not at its timeout: the server is handed
   * an error response in its place, marked so the waiting code can say why.
   */
  private dropOversized(head: string, tail: string): void {
    const id = sniffId(head, tail);
    if (isResponseStart(head)) {
      if (id === undefined) return;
      const message = `The answer was over ${this.maxLineBytes} bytes and was dropped.`;
      const data = { [OVERSIZED_ANSWER]: this.maxLineBytes };
      this.onmessage?.({ jsonrpc: "2.0", id, error: { code: ProtocolErrorCode.InvalidRequest, message, data } });
      return;
    }
    const message = `Invalid request: a message over ${this.maxLineBytes} bytes was dropped; send smaller messages.`;
    this.reply([errorReply(id, ProtocolErrorCode.InvalidRequest, message)]);
  }

  private reply(replies: JSONRPCMessage[]): void {
    for (const reply of replies) void this.send(reply);
  }
}

/**
 * A response, not a request: its first top-level member after jsonrpc and id is `result` or `error`
 * (the TypeScript SDK writes `{"result":…,"jsonrpc":"2.0","id":7}`, the Python SDK
 * `{"jsonrpc":"2.0","id":7,"result":…}`). A request names its `method` there instead.
 */
export function isResponseStart(head: string): boolean {
  return /^\s*\{\s*(?:"(?:jsonrpc|id)"\s*:\s*(?:"[^"]{0,200}"|-?\d{1,15})\s*,\s*){0,2}"(?:result|error)"\s*:/.test(head);
}

/**
 * The id of a line too long to parse, read off its edges: a top-level `"id"` is either the first
 * member (`{"jsonrpc":"2.0","id":7,…`) or the last (`…,"id":7}`, as the SDKs write it). Anything
 * else is not guessed at: the error then carries `id: null`.
 */
export function sniffId(head: string, tail: string): Id | undefined {
  const value = String.raw`(-?\d{1,15}|"[^"\\]{0,200}")`;
  const first = new RegExp(String.raw`^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*${value}`).exec(head);
  const last = new RegExp(String.raw`[,{]\s*"id"\s*:\s*${value}\s*\}\s*$`).exec(tail);
  const raw = first?.[1] ?? last?.[1];
  if (raw === undefined) return undefined;
  return raw.startsWith('"') ? raw.slice(1, -1) : Number(raw);
}
