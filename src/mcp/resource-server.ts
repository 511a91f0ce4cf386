/**
 * The HTTP side of the OAuth resource server (MCP authorization spec): the protected-resource
 * metadata document (RFC 9728) that tells a client which identity provider to sign in with, and the
 * 401/403 answers with `WWW-Authenticate` pointing at it.
 */
import type { IncomingMessage } from "node:http";
import type { AuthInfo } from "@modelcontextprotocol/server";
import type { OAuthConfig } from "../config.js";
import { type Actor, ADMIN_SCOPE, SEND_SCOPE } from "../runtime/actor.js";
import type { OAuthVerifier } from "./oauth.js";

const METADATA_PATH = "/.well-known/oauth-protected-resource";
/** How long a client should wait after a 503 from an identity provider that could not be asked; discovery is retried on the next request. */
const RETRY_AFTER_S = 10;

/**
 * This server's resource identifier: the audience when it is an http(s) URL (the URL people reach
 * the server at, perhaps through a proxy), as configured, since clients compare it as a string;
 * else the origin the request came to, plus /mcp: an opaque audience such as
 * "api://helpcrunch-mcp" names the tokens' audience, not a place, and RFC 9728 wants a URL.
 */
function resourceOf(oauth: OAuthConfig, req: IncomingMessage): string {
  if (/^https?:\/\//i.test(oauth.audience) && URL.canParse(oauth.audience)) return oauth.audience;
  const origin = `http://${req.headers.host ?? "localhost"}`;
  return URL.canParse(origin) ? `${origin}/mcp` : "http://localhost/mcp";
}

/** Where a client looks for the resource's metadata (RFC 9728 §3.1): the well-known segment between the host and the path. */
function metadataUrlOf(resource: string): URL {
  const url = new URL(resource);
  const path = url.pathname === "/" ? "" : url.pathname;
  return new URL(`${url.origin}${METADATA_PATH}${path}${url.search}`);
}

/** RFC 9728 metadata for a GET to `path`: at the resource's §3.1 location or the root form; undefined anywhere else. */
export function protectedResourceMetadata(oauth: OAuthConfig, req: IncomingMessage, path: string): Record<string, unknown> | undefined {
  const resource = resourceOf(oauth, req);
  if (path !== METADATA_PATH && path !== metadataUrlOf(resource).pathname) return undefined;
  return {
    resource,
    authorization_servers: [oauth.issuer],
    bearer_methods_supported: ["header"],
    scopes_supported: [...new Set([...oauth.requiredScopes, SEND_SCOPE, ADMIN_SCOPE])],
    resource_name: "HelpCrunch MCP server",
  };
}

export type Authentication = { ok: true; auth: AuthInfo } | { ok: false; status: number; headers: Record<string, string>; message: string };

/** The token of an `Authorization: Bearer …` header; the scheme is case-insensitive (RFC 9110). */
export const bearerToken = (header: string | undefined): string | undefined => /^bearer +(.+)$/i.exec(header ?? "")?.[1]?.trim();

/** Checks the request's bearer token; on success the SDK hands `auth` to every tool call as authInfo. */
export async function authenticate(req: IncomingMessage, verifier: OAuthVerifier, oauth: OAuthConfig): Promise<Authentication> {
  const token = bearerToken(req.headers.authorization);
  const verdict = await verifier.verify(token);
  if (verdict.ok) {
    const actor: Actor = verdict.actor;
    return { ok: true, auth: { token: token as string, clientId: actor.subject, scopes: actor.scopes, extra: { actor } } };
  }
  // The identity provider is down: no credentials would help, so no challenge (it would send the client to sign in again).
  if (verdict.status === 503) {
    return { ok: false, status: 503, headers: { "retry-after": String(RETRY_AFTER_S) }, message: verdict.description };
  }
  const params: Array<[string, string]> = [["resource_metadata", metadataUrlOf(resourceOf(oauth, req)).href]];
  // A request without any token gets the bare challenge (RFC 6750 §3.1); a bad one says why.
  if (token) params.push(["error", verdict.error], ["error_description", verdict.description]);
  if (verdict.scope) params.push(["scope", verdict.scope]);
  return {
    ok: false,
    status: verdict.status,
    headers: { "www-authenticate": `Bearer ${params.map(([name, value]) => `${name}=${quoted(value)}`).join(", ")}` },
    message: verdict.description,
  };
}

/**
 * An auth-param value as RFC 6750 §3 allows it (printable ASCII without `"` and `\`), anything else
 * percent-encoded as UTF-8 (`%` too, so it decodes back): the values come from configuration, the
 * request and the identity provider, and a CR, LF or non-ASCII character would split the header or
 * make Node refuse to send the answer at all.
 */
function quoted(value: string): string {
  const encoded = value.replace(/[^\x20\x21\x23\x24\x26-\x5b\x5d-\x7e]/gu, (c) =>
    [...Buffer.from(c)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
  return `"${encoded}"`;
}
