/**
 * Over stateless `--http`, a 2025 client's capabilities arrive only with initialize, and every later
 * request reaches a fresh server (on any replica) that never saw them. The one capability that changes
 * what the server offers there is the MCP Apps extension (views, and the approval card where no form
 * can ask), so the answer to initialize names it in the Mcp-Session-Id that the client echoes on every
 * request. Nothing is stored: any replica reads it back from the header. It is not sealed: it repeats
 * the client's own declaration, which any client may make at initialize.
 */
import { RESOURCE_MIME_TYPE } from "@modelcontextprotocol/ext-apps/server";
import type { ClientCapabilities } from "@modelcontextprotocol/server";
import { showsViews } from "./views.js";

const SESSION_ID = /^hc1\.(ui|plain)\.[0-9a-f]{32}$/;
const UI_EXTENSION = "io.modelcontextprotocol/ui";

/** A new session id for a client that declared `capabilities` at initialize (visible ASCII, as the spec requires). */
export function sessionIdFor(capabilities: ClientCapabilities | undefined): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  return `hc1.${showsViews(capabilities) ? "ui" : "plain"}.${random}`;
}

/** What a session id of ours says of its client; undefined for none, or one we did not make. */
export function capabilitiesOf(sessionId: string | undefined): ClientCapabilities | undefined {
  const kind = sessionId === undefined ? undefined : SESSION_ID.exec(sessionId)?.[1];
  if (kind === undefined) return undefined;
  return kind === "ui" ? ({ extensions: { [UI_EXTENSION]: { mimeTypes: [RESOURCE_MIME_TYPE] } } } as ClientCapabilities) : {};
}
