/**
 * Every HTTP concern in one place: keep-alive pool, auth, timeouts, retries (idempotent calls
 * only), rate limiting, JSON parsing with zod, and mapping failures to HelpCrunchError with a
 * message a model can act on. The API key is redacted from anything an error carries.
 */
import type { Pool } from "undici";
import type { z } from "zod";
import { readBounded, type StreamedBody } from "../bounded-read.js";
import { redact } from "../redact.js";
import { budgetSpent } from "./budget.js";
import { HelpCrunchError, NotFoundError } from "./errors.js";
import { describeHttpError, notFoundEntity, parseErrorBody } from "./http-errors.js";
import { type RateLimiter, WaitPastDeadline } from "./rate-limiter.js";
import { backoffDelay, parseRetryAfter, RETRYABLE_STATUSES, sleep } from "./retry.js";
import { parseDegrading } from "./schemas.js";
import type { CallOptions, ExchangeObserver } from "./types.js";

export interface RequestSpec {
  method: "GET" | "POST" | "PUT" | "DELETE";
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
  /** Sockets kept to HelpCrunch; the limiter's concurrency cap is the useful value. */
  connections: number;
  userAgent: string;
  observe?: ExchangeObserver;
  /** Told when fields of an answer could not be read and were set to null (e.g. a timestamp "NaN"). */
  onDegraded?: (line: string, problems: string[]) => void;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** The most we read of one HelpCrunch answer; a page of 100 chats is well under 1 MB. */
export const MAX_RESPONSE_BYTES = 10_000_000;
/** Waits shorter than this are not worth a progress notification. */
const NOTEWORTHY_WAIT_MS = 1_000;

type Outcome<T> = { value: T } | { error: HelpCrunchError; retryAfterMs?: number };

/** Connection errors where the request cannot have reached HelpCrunch. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_INVALID_ARG"]);
/** Our own mistake (e.g. a line break in the key header): sending it again cannot help. */
const NOT_RETRYABLE = new Set(["UND_ERR_INVALID_ARG"]);
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/**
 * undici is loaded on the first HelpCrunch request, once per process: start-up and tools/list
 * never pay for it (it is about a third of the bundled server).
 */
let undici: Promise<typeof import("undici")> | undefined;
const loadUndici = () => (undici ??= import("undici"));

export class HttpTransport {
  /** Made with the first request (see loadUndici); `closed` makes a later one fail as a closed pool would. */
  private pool?: Promise<Pool>;
  private closed = false;
  private readonly origin: string;
  private readonly basePath: string;

  constructor(private readonly options: HttpOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`HelpCrunch base URL must be http(s), not ${url.protocol}`);
    // The base URL may carry a path (https://api.helpcrunch.com/v1); the pool is per origin.
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.origin = url.origin;
  }

  private connection(): Promise<Pool> {
    this.pool ??= loadUndici().then(({ Pool }) => {
      const pool = new Pool(this.origin, { connections: this.options.connections, keepAliveTimeout: 30_000, pipelining: 1 });
      if (this.closed) void pool.destroy();
      return pool;
    });
    return this.pool;
  }

  async send<S extends z.ZodType>(spec: RequestSpec, schema: S, opts: CallOptions = {}): Promise<z.output<S>> {
    const line = `${spec.method} ${spec.path}`;
    const call = callSignals(opts);
    for (let attempt = 0; ; attempt++) {
      if (opts.budget && !opts.budget.take()) throw budgetSpent(line, opts.budget.limit);
      // Retries take a slot too: they count against HelpCrunch's limit like any request.
      const release = await this.options.limiter
        .acquire(call.signal, { deadline: opts.deadline, onWait: opts.onWait })
        .catch((error: unknown) => {
          if (error instanceof WaitPastDeadline) throw rateLimitedPastDeadline(line, error.waitMs);
          throw call.deadline?.aborted ? deadlineReached(line, false) : cancelled(line, false);
        });
      let outcome: Outcome<z.output<S>>;
      try {
        outcome = await this.attempt(spec, schema, line, call);
      } finally {
        release();
      }
      if ("value" in outcome) return outcome.value;
      const { error } = outcome;
      if (!error.retryable || !spec.idempotent || attempt >= this.options.maxRetries || call.signal?.aborted) throw error;
      const wait = outcome.retryAfterMs ?? backoffDelay(attempt, this.options.retryBaseDelayMs, this.options.maxRetryDelayMs);
      // A Retry-After longer than we are willing to wait, or past the call's deadline, is passed on to the
      // model as "try again after N s" instead of a wait that outlives the client's timeout.
      if (wait > this.options.maxRetryDelayMs || (opts.deadline !== undefined && Date.now() + wait >= opts.deadline))
        throw retryLater(error, line, wait);
      if (wait >= NOTEWORTHY_WAIT_MS) opts.onWait?.(wait, error.status === 429 ? "HelpCrunch's rate limit" : "a retry");
      await sleep(wait, call.signal).catch(() => {
        throw call.deadline?.aborted ? deadlineReached(line, false) : cancelled(line, false);
      });
    }
  }

  close(): Promise<void> {
    this.closed = true;
    return this.pool ? this.pool.then((pool) => pool.destroy()) : Promise.resolve();
  }

  private async attempt<S extends z.ZodType>(spec: RequestSpec, schema: S, line: string, call: CallSignals): Promise<Outcome<z.output<S>>> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let raw: RawResponse;
    const started = performance.now();
    try {
      raw = await this.exchange(spec, call.signal ? AbortSignal.any([call.signal, timeout]) : timeout, line);
    } catch (error) {
      this.observed(spec, started);
      if (error instanceof HelpCrunchError) return { error };
      return { error: this.transportError(error, spec, line, timeout, call) };
    }
    this.observed(spec, started, raw);
    if (raw.status >= 200 && raw.status < 300) return this.parse(raw, schema, spec, line);
    return { error: this.httpError(raw, spec, line), retryAfterMs: parseRetryAfter(raw.headers["retry-after"]) };
  }

  private observed(spec: RequestSpec, started: number, raw?: RawResponse): void {
    if (!this.options.observe) return;
    let json: unknown;
    try {
      json = raw ? JSON.parse(raw.text) : undefined;
    } catch {
      json = undefined;
    }
    const ms = performance.now() - started;
    this.options.observe({ method: spec.method, path: spec.path, status: raw?.status ?? 0, ms, headers: raw?.headers ?? {}, json });
  }

  private async exchange(spec: RequestSpec, signal: AbortSignal, line: string): Promise<RawResponse> {
    const query = Object.entries(spec.query ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join("&");
    const pool = await this.connection();
    const res = await pool.request({
      method: spec.method,
      path: `${this.basePath}${spec.path}${query ? `?${query}` : ""}`,
      headers: {
        authorization: `Bearer ${this.options.apiKey}`,
        accept: "application/json",
        "user-agent": this.options.userAgent,
        ...(spec.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: spec.body !== undefined ? JSON.stringify(spec.body) : undefined,
      signal,
    });
    // The signal also covers reading the body: a stalled body is a timeout like a stalled header.
    return { status: res.statusCode, headers: res.headers, text: await readCapped(res.body, spec, line, res.statusCode) };
  }

  private parse<S extends z.ZodType>(raw: RawResponse, schema: S, spec: RequestSpec, line: string): Outcome<z.output<S>> {
    // A 2xx to POST /chats or /messages means the write happened even if we cannot read the answer.
    const landed = spec.idempotent ? "" : ` The request was accepted (HTTP ${raw.status}); check the chat before retrying.`;
    let json: unknown;
    try {
      json = JSON.parse(raw.text);
    } catch {
      return {
        error: new HelpCrunchError({
          kind: "parse",
          message: spec.idempotent
            ? `HelpCrunch returned a non-JSON answer (HTTP ${raw.status}) to ${line}; try again shortly.`
            : `HelpCrunch returned a non-JSON answer (HTTP ${raw.status}) to ${line}.${landed}`,
          status: raw.status,
          // A truncated or proxy-mangled body is usually transient; only idempotent calls retry.
          retryable: true,
          request: line,
          outcomeUnknown: !spec.idempotent,
        }),
      };
    }
    const { result: parsed, degraded } = parseDegrading(() => schema.safeParse(json));
    if (degraded.length > 0)
      this.options.onDegraded?.(
        line,
        degraded.map((problem) => this.redact(problem)),
      );
    if (parsed.success) return { value: parsed.data as z.output<S> };
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${formatPath(issue.path)}: ` : "";
    return {
      error: new HelpCrunchError({
        kind: "parse",
        message: this.redact(`Unexpected HelpCrunch answer for ${line}: ${where}${trimPeriod(issue?.message ?? "invalid")}.${landed}`),
        status: raw.status,
        request: line,
        outcomeUnknown: !spec.idempotent,
      }),
    };
  }

  private httpError(raw: RawResponse, spec: RequestSpec, line: string): HelpCrunchError {
    const body = parseErrorBody(this.redact(raw.text));
    const { message, code } = describeHttpError(raw.status, body, line);
    // A gateway error can follow a write that landed: for POST /messages and /chats the outcome is unknown.
    const mayHaveLanded = !spec.idempotent && raw.status >= 500;
    const init = {
      kind: "http" as const,
      message: this.redact(
        mayHaveLanded
          ? `HelpCrunch answered HTTP ${raw.status} to ${line}; the request may or may not have been carried out, so check before retrying.`
          : message,
      ),
      status: raw.status,
      code,
      details: body.details,
      retryable: RETRYABLE_STATUSES.has(raw.status),
      request: line,
      outcomeUnknown: mayHaveLanded,
    };
    // A non-JSON 404 is a web server's page (a wrong base URL), not HelpCrunch saying "no such thing".
    if (raw.status === 404 && !body.nonJson) return new NotFoundError({ ...init, entity: notFoundEntity(body.details, spec.path) });
    return new HelpCrunchError(init);
  }

  private transportError(error: unknown, spec: RequestSpec, line: string, timeout: AbortSignal, call: CallSignals): HelpCrunchError {
    // Aborted mid-request: a POST may already be with HelpCrunch.
    if (call.deadline?.aborted) return deadlineReached(line, !spec.idempotent);
    if (call.signal?.aborted) return cancelled(line, !spec.idempotent);
    const code = errorCode(error);
    const timedOut = timeout.aborted || TIMEOUT_CODES.has(code ?? "");
    const maybeSent = timedOut || !NOT_SENT.has(code ?? "");
    const unknownOutcome = !spec.idempotent && maybeSent;
    const base = timedOut
      ? `HelpCrunch did not answer within ${formatDuration(this.options.timeoutMs)}`
      : `Could not reach HelpCrunch (${code ?? "network error"})`;
    return new HelpCrunchError({
      kind: timedOut ? "timeout" : "network",
      message: unknownOutcome
        ? `${base}. The request may or may not have reached HelpCrunch; check the chat before retrying.`
        : `${base}; try again shortly.`,
      retryable: timedOut || !NOT_RETRYABLE.has(code ?? ""),
      request: line,
      outcomeUnknown: unknownOutcome,
      maybeSent,
    });
  }

  /** The key (or a URL's password) must never travel in an error, even when HelpCrunch or a proxy echoes it back. */
  private redact(text: string): string {
    return redact(text, [this.options.apiKey]);
  }
}

/** The caller's signal joined with the call's deadline, and the deadline alone to tell the two apart. */
interface CallSignals {
  signal?: AbortSignal;
  deadline?: AbortSignal;
}

function callSignals(opts: CallOptions): CallSignals {
  if (opts.deadline === undefined) return { signal: opts.signal };
  const deadline = AbortSignal.timeout(Math.max(0, opts.deadline - Date.now()));
  return { signal: opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline, deadline };
}

/** Reads a body up to MAX_RESPONSE_BYTES: an API that ignores `limit` must not fill our memory or the client's pipe. */
async function readCapped(body: StreamedBody, spec: RequestSpec, line: string, status: number): Promise<string> {
  const bytes = await readBounded(body, MAX_RESPONSE_BYTES);
  if (bytes !== null) return bytes.toString("utf8");
  const landed =
    !spec.idempotent && status >= 200 && status < 300 ? ` The request was accepted (HTTP ${status}); check the chat before retrying.` : "";
  throw new HelpCrunchError({
    kind: "too_large",
    message: `HelpCrunch's answer to ${line} was over ${MAX_RESPONSE_BYTES / 1_000_000} MB and was not read; ask for fewer items.${landed}`,
    status,
    request: line,
    outcomeUnknown: landed !== "",
  });
}

function deadlineReached(line: string, maybeSent: boolean): HelpCrunchError {
  return new HelpCrunchError({
    kind: "deadline",
    message: maybeSent
      ? `This call reached its time limit while waiting for ${line}; the request may or may not have reached HelpCrunch, so check the chat before retrying.`
      : `This call reached its time limit before ${line} could be sent; nothing was sent. Try again with fewer chats or a narrower query.`,
    request: line,
    outcomeUnknown: maybeSent,
  });
}

function rateLimitedPastDeadline(line: string, waitMs: number): HelpCrunchError {
  return new HelpCrunchError({
    kind: "deadline",
    message: `HelpCrunch's rate limit would hold ${line} for ${formatDuration(waitMs)}, past this call's time limit; nothing was sent. Try again in ${Math.ceil(waitMs / 1000)} s.`,
    status: 429,
    request: line,
  });
}

/** An error that came with a wait too long to sit through: the model is told when to try again. */
function retryLater(error: HelpCrunchError, line: string, waitMs: number): HelpCrunchError {
  return new HelpCrunchError({
    kind: error.kind,
    message: `HelpCrunch answered HTTP ${error.status ?? "error"} to ${line} and asked to wait ${formatDuration(waitMs)}; try again after that.`,
    status: error.status,
    code: error.code,
    details: error.details,
    request: line,
  });
}

function cancelled(line: string, maybeSent: boolean): HelpCrunchError {
  return new HelpCrunchError({
    kind: "cancelled",
    message: maybeSent
      ? `The request ${line} was cancelled; it may or may not have reached HelpCrunch, so check the chat before retrying.`
      : `The request ${line} was cancelled.`,
    request: line,
    outcomeUnknown: maybeSent,
  });
}

function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === "string" ? code : undefined;
}

/** 15000 → "15 s", 1500 → "1.5 s", 200 → "200 ms". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

function trimPeriod(text: string): string {
  return text.replace(/[.\s]+$/, "");
}

/** ["data", 3, "createdAt"] → "data[3].createdAt" */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "");
}
