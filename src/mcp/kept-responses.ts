/**
 * 2025-era answers over stateless HTTP sent again as bytes: the first request of a kind goes through
 * a fresh server as every request does, and its answer (status, headers, result) is kept when
 * re-serializing it reproduces the SDK's body exactly; later requests of that kind get those bytes
 * with their own JSON-RPC id, skipping the server, the SDK's checks and serialization. Two kinds:
 * - tools/list, which depends only on the configuration and on what the request says of its client
 *   (the session id's MCP Apps kind, the protocol version and the content headers the transport checks);
 * - a tools/call a tool tags (Tool.answerTag: triage_queue's whole queue from an answer the live
 *   queue keeps for the minute), for the same client, arguments and tag.
 */
import type { AuthInfo, JSONRPCMessage } from "@modelcontextprotocol/server";
import type { ToolServices } from "../runtime/context.js";
import { BoundedMap } from "../services/mirror-store.js";
import { capabilitiesOf } from "./http-session.js";
import { servedTool } from "./mcp-server.js";
import { showsViews } from "./views.js";

/** Answers kept at once: the tool lists of a few client kinds, and tagged calls (tags change every minute). */
const KEPT = 64;

interface Kept {
  status: number;
  headers: Record<string, string>;
  /** The body up to the id: `{"result":…,"jsonrpc":"2.0","id":`. */
  head: string;
}

export class KeptResponses {
  private readonly kept = new BoundedMap<string, Kept>(KEPT);

  constructor(private readonly services: ToolServices) {}

  /** The key of a request whose answer can be sent again, or undefined (anything else, or a call that wants progress). */
  async keyOf(request: Request, message: JSONRPCMessage, authInfo: AuthInfo | undefined): Promise<string | undefined> {
    if (!("method" in message) || !("id" in message)) return undefined;
    const params = message.params as { name?: unknown; arguments?: unknown; _meta?: { progressToken?: unknown } } | undefined;
    const h = request.headers;
    const kind = capabilitiesOf(h.get("mcp-session-id") ?? undefined);
    const client = [h.get("mcp-protocol-version"), h.get("accept"), h.get("content-type"), kind === undefined ? "none" : showsViews(kind)];
    if (message.method === "tools/list")
      return params === undefined || Object.keys(params).length === 0 ? JSON.stringify(["list", ...client]) : undefined;
    if (message.method !== "tools/call" || typeof params?.name !== "string" || params._meta !== undefined) return undefined;
    const tag = await servedTool(this.services, params.name)?.answerTag?.(params.arguments, this.services);
    if (tag === undefined) return undefined;
    return JSON.stringify(["call", ...client, authInfo?.clientId ?? null, params.name, JSON.stringify(params.arguments ?? {}), tag]);
  }

  /** The kept answer to `id`, if one was kept under `key`. */
  answer(key: string, id: unknown): Response | undefined {
    const kept = this.kept.get(key);
    if (!kept) return undefined;
    return new Response(`${kept.head}${JSON.stringify(id)}}`, { status: kept.status, headers: kept.headers });
  }

  /**
   * Keeps the SDK's answer when it is a JSON result whose body this class reproduces byte for byte,
   * and the request's key still holds now that it is answered (a tagged answer made from a mirror
   * that changed meanwhile is not kept under the older tag).
   */
  async keep(key: string, response: Response, stillKey: () => Promise<string | undefined>): Promise<Response> {
    // A session id in the answer would be one client's: such an answer is never replayed to another.
    if (response.status !== 200 || response.headers.get("content-type") !== "application/json" || response.headers.has("mcp-session-id"))
      return response;
    const body = await response.text();
    const parsed = JSON.parse(body) as { result?: unknown; id?: unknown };
    const head = `{"result":${JSON.stringify(parsed.result)},"jsonrpc":"2.0","id":`;
    const reproduced = parsed.result !== undefined && `${head}${JSON.stringify(parsed.id)}}` === body;
    if (reproduced && !(parsed.result as { isError?: unknown }).isError && (await stillKey()) === key)
      this.kept.set(key, { status: response.status, headers: Object.fromEntries(response.headers), head });
    return new Response(body, { status: response.status, headers: response.headers });
  }
}
