/**
 * OAuth 2.1 resource server (MCP authorization spec): tokens are issued by the company's identity
 * provider and only checked here, with `jose` (no hand-written crypto). The issuer's discovery
 * document names its JWKS; keys are cached and refetched when a token names an unknown `kid`.
 * Checked: signature (asymmetric algorithms only: no `none`, no HS* that a public key could forge),
 * `iss`, `aud`, `exp` (required) and `nbf` with a minute of clock skew, `sub` (a non-empty string), then
 * the required scopes.
 * An identity provider that cannot be asked (discovery or JWKS down, slow or garbled) is answered
 * 503, never 401: a 401 tells the client to sign in again, which cannot help and loops.
 */
import type { JWTPayload, JWTVerifyGetKey } from "jose";
import type { OAuthConfig } from "../config.js";
import type { Logger } from "../log.js";
import type { Actor } from "../runtime/actor.js";

const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
const CLOCK_SKEW_S = 60;
/** For each discovery document and each JWKS fetch, so an issuer that hangs cannot hang the request. */
const ISSUER_TIMEOUT_MS = 5_000;

export type Verdict =
  | { ok: true; actor: Actor }
  | {
      ok: false;
      status: 401 | 403 | 503;
      error: "invalid_token" | "insufficient_scope" | "temporarily_unavailable";
      description: string;
      scope?: string;
    };

type Jose = typeof import("jose");

/** The identity provider could not be asked: the server's problem, not the token's. */
class IssuerUnavailable extends Error {}

/** jose is loaded with the first token checked: it lives in its own file (dist/vendor/jose.cjs, see scripts/build.mjs). */
let jose: Promise<Jose> | undefined;
const loadJose = () => (jose ??= import("jose"));

/** Where an issuer publishes its metadata: OpenID Connect's path, then RFC 8414's (path inserted after the host). */
function discoveryUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, "");
  return [`${url.origin}${path}/.well-known/openid-configuration`, `${url.origin}/.well-known/oauth-authorization-server${path}`];
}

const sameIssuer = (a: string, b: string) => a.replace(/\/$/, "") === b.replace(/\/$/, "");

export class OAuthVerifier {
  private keys?: Promise<JWTVerifyGetKey>;
  /** The issuer problem last logged, so one that lasts is one log line, not one per request. */
  private loggedProblem?: string;

  constructor(
    private readonly config: OAuthConfig,
    private readonly log: Pick<Logger, "error">,
  ) {}

  async verify(token: string | undefined): Promise<Verdict> {
    if (!token)
      return { ok: false, status: 401, error: "invalid_token", description: "A bearer token from the identity provider is required" };
    let payload: JWTPayload;
    const { errors, jwtVerify } = await loadJose();
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), {
        issuer: [this.config.issuer, this.config.issuer.replace(/\/$/, ""), `${this.config.issuer.replace(/\/$/, "")}/`],
        audience: this.config.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_SKEW_S,
        requiredClaims: ["exp", "sub"],
      }));
    } catch (error) {
      if (error instanceof IssuerUnavailable) return this.unavailable(error.message);
      return { ok: false, status: 401, error: "invalid_token", description: describeJoseError(error, errors) };
    }
    this.loggedProblem = undefined;
    // RFC 7519 §4.1.2 makes `sub` a string; jose only checks it is present. A number (or "") would be
    // turned into the same person as some string subject.
    if (typeof payload.sub !== "string" || payload.sub === "")
      return { ok: false, status: 401, error: "invalid_token", description: "The token's sub claim must be a non-empty string" };
    const { sub } = payload;
    const scopes = scopesOf(payload);
    const missing = this.config.requiredScopes.filter((s) => !scopes.includes(s));
    if (missing.length > 0) {
      return {
        ok: false,
        status: 403,
        error: "insufficient_scope",
        description: `The token lacks the scope ${missing.join(" ")}`,
        scope: this.config.requiredScopes.join(" "),
      };
    }
    const email = typeof payload.email === "string" ? payload.email : undefined;
    const emailVerified = booleanClaim(payload.email_verified);
    return {
      ok: true,
      actor: {
        subject: sub,
        ...(email ? { email } : {}),
        ...(emailVerified === undefined ? {} : { emailVerified }),
        scopes,
      },
    };
  }

  /** The issuer's JWKS, found through its discovery document once (again after a failure), then cached by jose. */
  private keySet(): Promise<JWTVerifyGetKey> {
    this.keys ??= this.discoverKeys().catch((error: unknown) => {
      this.keys = undefined; // ask again on the next request
      throw error instanceof IssuerUnavailable ? error : new IssuerUnavailable(reason(error));
    });
    return this.keys;
  }

  private unavailable(problem: string): Verdict {
    if (problem !== this.loggedProblem) {
      this.loggedProblem = problem;
      this.log.error(oneLine(`OAuth issuer ${this.config.issuer} cannot be used, every request gets 503 until it can: ${problem}`));
    }
    return {
      ok: false,
      status: 503,
      error: "temporarily_unavailable",
      description: `The identity provider's keys could not be loaded (${problem})`,
    };
  }

  private async discoverKeys(): Promise<JWTVerifyGetKey> {
    const problems: string[] = [];
    for (const url of discoveryUrls(this.config.issuer)) {
      const doc = await discoveryDocument(url);
      if (typeof doc === "string") {
        problems.push(`${url} ${doc}`);
        continue;
      }
      if (typeof doc.issuer === "string" && !sameIssuer(doc.issuer, this.config.issuer)) {
        throw new IssuerUnavailable(`${url} names issuer ${doc.issuer.slice(0, 80)}, not the configured one`);
      }
      return keyLookup(doc.jwksUri, await loadJose());
    }
    throw new IssuerUnavailable(`no usable discovery document: ${problems.join("; ")}`);
  }
}

/** The discovery document at `url`, or what is wrong with it (a phrase that follows the URL). */
async function discoveryDocument(url: string): Promise<{ issuer?: unknown; jwksUri: URL } | string> {
  const signal = AbortSignal.timeout(ISSUER_TIMEOUT_MS);
  const timedOut = `gave no answer within ${ISSUER_TIMEOUT_MS / 1000} s`;
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { accept: "application/json" } });
  } catch (error) {
    return signal.aborted ? timedOut : `could not be fetched: ${reason(error)}`;
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    return `answered ${res.status}`;
  }
  const doc: unknown = await res.json().catch(() => undefined);
  if (signal.aborted) return timedOut;
  if (typeof doc !== "object" || doc === null)
    return `is not JSON (${(res.headers.get("content-type") ?? "no content type").slice(0, 60)})`;
  const { issuer, jwks_uri } = doc as { issuer?: unknown; jwks_uri?: unknown };
  const jwksUri = typeof jwks_uri === "string" && URL.canParse(jwks_uri) ? new URL(jwks_uri) : undefined;
  if (!jwksUri || !/^https?:$/.test(jwksUri.protocol)) return "names no http(s) jwks_uri";
  return { issuer, jwksUri };
}

/**
 * jose's remote key set (cached, refetched on an unknown kid), with a JWKS that cannot be fetched
 * told apart from a token that no published key verifies.
 */
function keyLookup(jwksUrl: URL, { createRemoteJWKSet, errors }: Jose): JWTVerifyGetKey {
  const keys = createRemoteJWKSet(jwksUrl, { timeoutDuration: ISSUER_TIMEOUT_MS, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      const why = error instanceof errors.JWKSTimeout ? `gave no answer within ${ISSUER_TIMEOUT_MS / 1000} s` : `failed: ${reason(error)}`;
      throw new IssuerUnavailable(`its JWKS ${jwksUrl.href} ${why}`);
    }
  };
}

/** Control characters (CR, LF…) escaped, so text from the identity provider cannot split a log line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's job
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);

/** An error's message, with the system error code a failed fetch hides in its cause (ECONNREFUSED, ENOTFOUND…). */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? `${error.message} (${code})` : error.message;
}

/** A boolean claim; some providers (Cognito) send "true" and "false" as strings. */
function booleanClaim(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  return value === "true" ? true : value === "false" ? false : undefined;
}

/** `scope` (space-separated, RFC 8693/9068) or `scp` (a list, as Entra ID and Okta send). */
function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === "string") return raw.split(/\s+/).filter(Boolean);
  return Array.isArray(raw) ? raw.filter((s): s is string => typeof s === "string") : [];
}

function describeJoseError(error: unknown, errors: Jose["errors"]): string {
  if (error instanceof errors.JWTExpired) return "The token has expired";
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not accepted here`;
  if (error instanceof errors.JWKSNoMatchingKey) return "The token is signed with a key the identity provider does not publish";
  if (error instanceof errors.JOSEAlgNotAllowed) return "The token's signing algorithm is not accepted";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "The token's signature does not verify";
  return "The token is not a valid JWT from the configured identity provider";
}
