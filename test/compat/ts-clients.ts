/**
 * The TypeScript clients of the compatibility matrix behind one small interface, so scenario.ts runs
 * the same steps with each: the v1 SDK (@modelcontextprotocol/sdk 1.x, protocol 2025-11-25) and the
 * v2 SDK (@modelcontextprotocol/client) pinned to 2025-11-25 through initialize or to 2026-07-28
 * through server/discover, each over stdio or Streamable HTTP.
 *
 * Both SDKs answer a confirmation form through one elicitation handler: on 2026-07-28 the v2 client
 * turns the server's "input required" result into the same handler call and retries with the answer.
 */
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as HttpV2,
  type JSONRPCMessage as MessageV2,
} from "@modelcontextprotocol/client";
import { StdioClientTransport as StdioV2 } from "@modelcontextprotocol/client/stdio";
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport as StdioV1 } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport as HttpV1 } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema, type JSONRPCMessage as MessageV1 } from "@modelcontextprotocol/sdk/types.js";

export type TsClientKind =
  | { sdk: "v1"; transport: "stdio" | "http" }
  | { sdk: "v2"; protocol: "2025-11-25" | "2026-07-28"; transport: "stdio" | "http" };

/** Where the server is: a command to spawn (stdio) or a URL with its bearer token (HTTP). */
export type ServerTarget =
  | { kind: "stdio"; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { kind: "http"; url: string; token: string };

export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

export interface ToolResult {
  content?: Array<{ type: string; text?: string }>;
  structuredContent?: unknown;
  isError?: boolean;
}

export interface CallOptions {
  timeout: number;
  signal?: AbortSignal;
  onprogress?: (progress: { progress: number; total?: number; message?: string }) => void;
}

/** What the person answers to a confirmation form. */
export type FormAnswer = { action: "accept"; content: Record<string, string | boolean> } | { action: "decline" | "cancel" };
export type FormHandler = (params: { message?: string }) => FormAnswer;

export type WireMessage = MessageV1 | MessageV2;

export interface CompatClient {
  label: string;
  connect(timeout: number): Promise<void>;
  protocolVersion(): string | undefined;
  serverName(): string | undefined;
  listTools(timeout: number): Promise<{ tools: unknown[] }>;
  callTool(call: ToolCall, options: CallOptions): Promise<ToolResult>;
  close(): Promise<void>;
  /** The server's stderr (stdio only), for diagnostics. */
  stderr: string[];
}

export const labelOf = (kind: TsClientKind): string =>
  kind.sdk === "v1" ? `v1 SDK client (2025-11-25) over ${kind.transport}` : `v2 SDK client on ${kind.protocol} over ${kind.transport}`;

/**
 * Sees every message the server sends, the first (initialize or discover) included: the SDKs assign
 * `onmessage` when they connect, so the tap wraps whatever they assign.
 */
function tapMessages<T extends { onmessage?: unknown }>(transport: T, listener: (message: WireMessage) => void): T {
  let deliver: ((message: WireMessage, ...rest: unknown[]) => void) | undefined;
  Object.defineProperty(transport, "onmessage", {
    configurable: true,
    get: () =>
      deliver &&
      ((message: WireMessage, ...rest: unknown[]) => {
        listener(message);
        deliver?.(message, ...rest);
      }),
    set: (fn: typeof deliver) => {
      deliver = fn;
    },
  });
  return transport;
}

const bearer = (target: { token: string }) => ({ requestInit: { headers: { authorization: `Bearer ${target.token}` } } });
const stdioParams = (target: Extract<ServerTarget, { kind: "stdio" }>) => ({
  command: target.command,
  args: target.args,
  env: { PATH: process.env.PATH ?? "", ...target.env },
  cwd: target.cwd,
  stderr: "pipe" as const,
});

export function makeClient(
  kind: TsClientKind,
  target: ServerTarget,
  onForm: FormHandler,
  onMessage: (message: WireMessage) => void,
  onError: (error: unknown) => void,
): CompatClient {
  if (kind.transport !== target.kind) throw new Error(`${labelOf(kind)} needs a ${kind.transport} server, not ${target.kind}`);
  const stderr: string[] = [];
  let initializedVersion: string | undefined;
  const listener = (message: WireMessage) => {
    const result = "result" in message ? (message.result as { protocolVersion?: unknown }) : undefined;
    if (typeof result?.protocolVersion === "string") initializedVersion = result.protocolVersion;
    onMessage(message);
  };
  const info = { name: `compat-${kind.sdk}`, version: "1.0.0" };

  if (kind.sdk === "v1") {
    const client = new ClientV1(info, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async (request) => onForm(request.params));
    client.onerror = onError;
    const transport = target.kind === "stdio" ? new StdioV1(stdioParams(target)) : new HttpV1(new URL(target.url), bearer(target));
    if (transport instanceof StdioV1) transport.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
    return {
      label: labelOf(kind),
      connect: (timeout) => client.connect(tapMessages(transport, listener), { timeout }),
      protocolVersion: () => initializedVersion,
      serverName: () => client.getServerVersion()?.name,
      listTools: (timeout) => client.listTools(undefined, { timeout }),
      callTool: (call, options) => client.callTool(call, undefined, options) as Promise<ToolResult>,
      close: () => client.close(),
      stderr,
    };
  }

  const client = new ClientV2(info, {
    capabilities: { elicitation: {} },
    versionNegotiation: { mode: kind.protocol === "2026-07-28" ? { pin: "2026-07-28" } : "legacy" },
  });
  client.setRequestHandler("elicitation/create", async (request) => onForm(request.params));
  client.onerror = onError;
  const transport = target.kind === "stdio" ? new StdioV2(stdioParams(target)) : new HttpV2(new URL(target.url), bearer(target));
  if (transport instanceof StdioV2) transport.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  return {
    label: labelOf(kind),
    connect: (timeout) => client.connect(tapMessages(transport, listener), { timeout }),
    protocolVersion: () => client.getNegotiatedProtocolVersion() ?? initializedVersion,
    serverName: () => client.getServerVersion()?.name,
    listTools: (timeout) => client.listTools(undefined, { timeout }),
    callTool: (call, options) => client.callTool(call, options) as Promise<ToolResult>,
    close: () => client.close(),
    stderr,
  };
}
