/**
 * Every HTTP concern in one place: keep-alive pool, auth, timeouts, retries (idempotent calls
 * only), rate limiting, JSON parsing with zod, and mapping failures to HelpCrunchError with a
 * message a model can act on. Nothing here ever includes the API key in an error.
 */
import { Pool } from "undici";
import type { z } from "zod";
import { HelpCrunchError } from "./errors.js";
import { RateLimiter } from "./rate-limiter.js";
import { RETRYABLE_STATUSES, backoffDelay, parseRetryAfter, sleep } from "./retry.js";

export interface RequestSpec {
  method: "GET" | "POST" | "PUT";
  /** Path after the base URL, e.g. "/chats/search". */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Safe to send twice. POST /chats and POST /messages are not, and are never retried. */
  idempotent: boolean;
}

export interface HttpOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
  limiter: RateLimiter;
  userAgent: string;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Connection errors where the request cannot have reached HelpCrunch. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT"]);

export class HttpTransport {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(private readonly options: HttpOptions) {
    const url = new URL(options.baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.pool = new Pool(url.origin, { connections: 8, keepAliveTimeout: 30_000, pipelining: 1 });
  }

  async send<S extends z.ZodType>(spec: RequestSpec, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
    const line = `${spec.method} ${spec.path}`;
    for (let attempt = 0; ; attempt++) {
      const release = await this.options.limiter.acquire(signal).catch((reason: unknown) => {
        throw cancelled(line, reason);
      });
      let outcome: { value: z.output<S> } | { error: HelpCrunchError; retryAfterMs?: number };
      try {
        outcome = await this.attempt(spec, schema, line, signal);
      } finally {
        release();
      }
      if ("value" in outcome) return outcome.value;
      const { error } = outcome;
      if (!error.retryable || !spec.idempotent || attempt >= this.options.maxRetries || signal?.aborted) throw error;
      const wait = outcome.retryAfterMs ?? backoffDelay(attempt, this.options.retryBaseDelayMs, this.options.maxRetryDelayMs);
      await sleep(Math.min(wait, this.options.maxRetryDelayMs), signal).catch((reason: unknown) => {
        throw cancelled(line, reason);
      });
    }
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }

  private async attempt<S extends z.ZodType>(
    spec: RequestSpec,
    schema: S,
    line: string,
    signal?: AbortSignal,
  ): Promise<{ value: z.output<S> } | { error: HelpCrunchError; retryAfterMs?: number }> {
    let raw: RawResponse;
    try {
      raw = await this.exchange(spec, signal);
    } catch (error) {
      return { error: this.transportError(error, spec, line, signal) };
    }
    if (raw.status >= 200 && raw.status < 300) return this.parse(raw, schema, spec, line);
    return { error: this.httpError(raw, line), retryAfterMs: parseRetryAfter(raw.headers["retry-after"]) };
  }

  private async exchange(spec: RequestSpec, signal?: AbortSignal): Promise<RawResponse> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const query = Object.entries(spec.query ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join("&");
    const res = await this.pool.request({
      method: spec.method,
      path: `${this.basePath}${spec.path}${query ? `?${query}` : ""}`,
      headers: {
        authorization: `Bearer ${this.options.apiKey}`,
        accept: "application/json",
        "user-agent": this.options.userAgent,
        ...(spec.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: spec.body !== undefined ? JSON.stringify(spec.body) : undefined,
      signal: combined,
    });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  }

  private parse<S extends z.ZodType>(raw: RawResponse, schema: S, spec: RequestSpec, line: string) {
    let json: unknown;
    try {
      json = JSON.parse(raw.text);
    } catch {
      return {
        error: new HelpCrunchError({
          kind: "parse",
          message: `HelpCrunch returned a non-JSON answer (HTTP ${raw.status}) to ${line}; try again shortly.`,
          status: raw.status,
          retryable: true,
          request: line,
          outcomeUnknown: !spec.idempotent,
        }),
      };
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return { value: parsed.data as z.output<S> };
    const issue = parsed.error.issues[0];
    const where = issue ? formatPath(issue.path) : "";
    return {
      error: new HelpCrunchError({
        kind: "parse",
        message: this.redact(`Unexpected HelpCrunch answer to ${line}: ${where ? `${where}: ` : ""}${issue?.message ?? "invalid"}.`),
        status: raw.status,
        request: line,
        outcomeUnknown: !spec.idempotent,
      }),
    };
  }

  private httpError(raw: RawResponse, line: string): HelpCrunchError {
    const details = errorDetails(raw.text);
    const specific = details.find((d) => d.code !== "invalid_request") ?? details[0];
    const status = raw.status;
    const helpcrunchSays = details
      .filter((d) => d.code !== "invalid_request")
      // Named codes (chat_not_found) speak for themselves; field-path codes (filter[0].value) need the field.
      .map((d) => (d.code.includes("_") ? d.message : `${d.code}: ${d.message}`))
      .join("; ")
      .slice(0, 200);
    let message: string;
    if (status === 401 || status === 403) message = `HelpCrunch rejected the API key (${status}). Check HELPCRUNCH_API_KEY.`;
    else if (status === 404) message = `${helpcrunchSays || "Not found"} (404).`;
    else if (status === 429) message = "HelpCrunch rate limit reached (120 requests/min); wait a minute and try again.";
    else if (status === 400 || status === 422) message = `HelpCrunch refused the request: ${helpcrunchSays || "invalid request"}.`;
    else if (status >= 500) message = `HelpCrunch is having trouble (HTTP ${status}); try again shortly.`;
    else message = `HelpCrunch answered HTTP ${status} to ${line}.`;
    return new HelpCrunchError({
      kind: "http",
      message: this.redact(message),
      status,
      code: specific?.code,
      details,
      retryable: RETRYABLE_STATUSES.has(status),
      request: line,
    });
  }

  private transportError(error: unknown, spec: RequestSpec, line: string, signal?: AbortSignal): HelpCrunchError {
    if (signal?.aborted) return cancelled(line, signal.reason);
    const code = errorCode(error);
    const timedOut = code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || (error instanceof Error && error.name === "TimeoutError");
    const maybeSent = !NOT_SENT.has(code ?? "");
    const unknownOutcome = !spec.idempotent && (timedOut || maybeSent);
    const base = timedOut ? `HelpCrunch did not answer within ${Math.round(this.options.timeoutMs / 1000)} s` : `Could not reach HelpCrunch (${code ?? "network error"})`;
    return new HelpCrunchError({
      kind: timedOut ? "timeout" : "network",
      message: unknownOutcome
        ? `${base}; the request may or may not have reached HelpCrunch, so check before retrying.`
        : `${base}; try again shortly.`,
      retryable: true,
      request: line,
      outcomeUnknown: unknownOutcome,
    });
  }

  private redact(text: string): string {
    return this.options.apiKey.length >= 4 ? text.split(this.options.apiKey).join("[redacted]") : text;
  }
}

function cancelled(line: string, _reason: unknown): HelpCrunchError {
  return new HelpCrunchError({ kind: "cancelled", message: `The request ${line} was cancelled.`, request: line });
}

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === "string" ? code : undefined;
}

/** `{"errors":[{code,message},…]}` → entries; anything else (HTML, junk) → none. */
export function errorDetails(text: string): Array<{ code: string; message: string }> {
  try {
    const body = JSON.parse(text) as { errors?: unknown };
    if (!Array.isArray(body.errors)) return [];
    return body.errors
      .filter((e): e is { code?: unknown; message?: unknown } => typeof e === "object" && e !== null)
      .map((e) => ({ code: String(e.code ?? "unknown"), message: String(e.message ?? "").slice(0, 200) }));
  } catch {
    return [];
  }
}

/** ["data", 3, "createdAt"] → "data[3].createdAt" */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}
