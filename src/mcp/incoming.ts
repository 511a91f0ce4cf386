/**
 * Checks every message a client sends before the SDK sees it, so that each malformed one gets an
 * answer instead of silence. The v2 SDK still drops what it cannot read: its stdio transport skips
 * a line that is not JSON and reports a frame of no JSON-RPC shape to `onerror` only (the client then
 * waits forever for that id), serveStdio serves tools/call before initialize, and over HTTP invalid
 * params come back as a 200 (test/e2e/protocol.test.ts, stdio.test.ts and http.test.ts fail without
 * this module). Here: -32700 for a line that is not JSON, -32600 for something that
 * is not a JSON-RPC message (with its id when one can be read), -32602 with one short sentence for
 * params a known method cannot take, and a refusal of everything but initialize and ping before
 * initialize (a 2026-07-28 request, which never initializes, names its revision in `_meta` instead).
 * A 2026-07-28 request for a method that revision removed gets -32601 before its params are read:
 * checked against the 2025 schemas it would get -32602, which tells the client to fix params of a
 * method that no longer exists.
 */
import { ClientRequestSchema, JSONRPCMessageSchema } from "@modelcontextprotocol/core";
import { type JSONRPCErrorResponse, type JSONRPCMessage, PROTOCOL_VERSION_META_KEY, ProtocolErrorCode } from "@modelcontextprotocol/server";
import type { z } from "zod";

type Id = string | number;

/** What to do with one parsed value: messages to hand to the SDK and errors to send back. */
export interface Checked {
  deliver: JSONRPCMessage[];
  replies: JSONRPCErrorResponse[];
}

/** The request schemas of the SDK, by method: the same ones its Protocol parses with. */
const REQUEST_SCHEMAS = new Map<string, z.ZodType>(
  ClientRequestSchema.options.map((schema) => [schema.shape.method.value, schema as z.ZodType]),
);

/** Methods a client may call before initializing (MCP lifecycle: only pings may precede it). */
const BEFORE_INIT = new Set(["initialize", "ping"]);

/**
 * Client-to-server methods of 2025-11-25 that 2026-07-28 removed and that carry params we would
 * otherwise check, each with what a client does instead (the SDK's era registry knows them but is
 * not exported; ping, which has no params, already reaches the SDK and gets -32601 there).
 */
const REMOVED_IN_MODERN_ERA = new Map([
  ["initialize", "call server/discover instead"],
  ["logging/setLevel", "this server sends no log messages (it logs to its own stderr)"],
  ["resources/subscribe", "open subscriptions/listen instead"],
  ["resources/unsubscribe", "close the subscriptions/listen stream instead"],
]);

/**
 * A 2026-07-28 request: it names its protocol version in `_meta` and never sends initialize
 * (server/discover or a plain request opens the connection), so the lifecycle check does not apply.
 */
function claimsModernEra(message: { params?: unknown }): boolean {
  const meta = (message.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
  return typeof meta?.[PROTOCOL_VERSION_META_KEY] === "string";
}

export function errorReply(id: Id | undefined, code: number, message: string): JSONRPCErrorResponse {
  // JSON-RPC wants `id: null` when the id cannot be read; the SDK's type has no null, so it is cast once here.
  return { jsonrpc: "2.0", id: (id ?? null) as Id, error: { code, message } };
}

/** A line that is not JSON at all. */
export function parseErrorReply(): JSONRPCErrorResponse {
  return errorReply(
    undefined,
    ProtocolErrorCode.ParseError,
    "Parse error: the message is not valid JSON; send one JSON-RPC object per line.",
  );
}

/** The id of something that looks like a request, if it has a usable one. */
function readableId(value: unknown): Id | undefined {
  const id = (value as { id?: unknown } | null)?.id;
  return (typeof id === "string" && id.length <= 200) || (typeof id === "number" && Number.isFinite(id)) ? id : undefined;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  const path = issue.path.map(String).join(".");
  // Union errors say "Invalid input"; the first branch's own issue is the useful one.
  const nested = (issue as { errors?: z.core.$ZodIssue[][] }).errors?.[0]?.[0];
  const detail = nested
    ? `${[...issue.path, ...nested.path].map(String).join(".")}: ${nested.message}`
    : `${path ? `${path}: ` : ""}${issue.message}`;
  return detail.split("\n")[0]?.slice(0, 200) ?? "invalid";
}

/**
 * Checks one parsed JSON value. `initialized` says whether an initialize request has been accepted
 * on this connection; stateless HTTP passes true, since every request there stands alone.
 */
export function checkIncoming(value: unknown, initialized: boolean): Checked {
  if (Array.isArray(value)) {
    // MCP 2025-06-18 removed JSON-RPC batching; answer every request in it so no caller waits.
    const ids = value.map(readableId).filter((id): id is Id => id !== undefined);
    const message = "Invalid request: JSON-RPC batches are not supported; send one message at a time.";
    return {
      deliver: [],
      replies: (ids.length ? ids : [undefined]).map((id) => errorReply(id, ProtocolErrorCode.InvalidRequest, message)),
    };
  }
  const id = readableId(value);
  const parsed = JSONRPCMessageSchema.safeParse(value);
  if (!parsed.success) {
    const method = (value as { method?: unknown } | null)?.method;
    // A malformed notification (a method, no id) gets no answer: JSON-RPC never answers notifications.
    if (id === undefined && typeof method === "string") return { deliver: [], replies: [] };
    return { deliver: [], replies: [errorReply(id, ProtocolErrorCode.InvalidRequest, `Invalid request: ${firstIssue(parsed.error)}.`)] };
  }
  const message = parsed.data;
  if (!("method" in message) || !("id" in message)) return { deliver: [message], replies: [] };
  const instead = claimsModernEra(message) ? REMOVED_IN_MODERN_ERA.get(message.method) : undefined;
  if (instead) {
    const sentence = `Method not found: MCP 2026-07-28 removed ${message.method}; ${instead}.`;
    return { deliver: [], replies: [errorReply(message.id, ProtocolErrorCode.MethodNotFound, sentence)] };
  }
  if (!initialized && !BEFORE_INIT.has(message.method) && !claimsModernEra(message)) {
    return {
      deliver: [],
      replies: [
        errorReply(
          message.id,
          ProtocolErrorCode.InvalidRequest,
          `Server not initialized: send initialize before ${message.method.slice(0, 60)}.`,
        ),
      ],
    };
  }
  const schema = REQUEST_SCHEMAS.get(message.method);
  const checked = schema?.safeParse(message);
  if (checked && !checked.success) {
    return {
      deliver: [],
      replies: [
        errorReply(message.id, ProtocolErrorCode.InvalidParams, `Invalid params for ${message.method}: ${firstIssue(checked.error)}.`),
      ],
    };
  }
  return { deliver: [message], replies: [] };
}
