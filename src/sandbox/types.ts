/**
 * Public surface of the HelpCrunch sandbox (a local emulator of REST API v1).
 * Tests, the demo and benchmarks depend on this file; the implementation lives beside it.
 */

/** What to do instead of (or before) answering a matching request. */
export type Fault =
  | { type: "status"; status: number; retryAfter?: string | number; body?: unknown }
  | { type: "delay"; ms: number } // answer normally, but only after `ms`
  | { type: "reset" } // destroy the socket without answering
  | { type: "malformed-json"; status?: number } // a 200 (default) whose body is not valid JSON
  | { type: "html"; status: number } // an HTML error page, as a proxy in front of an API would send
  | { type: "lose-response" }; // process the request (state changes) then destroy the socket: outcome unknown to the client

export interface FaultRule {
  /** HTTP method to match; any when absent. */
  method?: string;
  /** Path after the `/v1` prefix, e.g. "/chats/search"; a string matches exactly, a RegExp tests. Any when absent. */
  path?: string | RegExp;
  /** Skip this many matching requests before faulting (default 0). */
  after?: number;
  /** Fault this many matching requests, then answer normally (default 1; Infinity = always). */
  times?: number;
  fault: Fault;
}

/** Canonical chat statuses as the sandbox stores them. */
export type SandboxStatus = "new" | "opened" | "pending" | "onhold" | "no communication" | "closed" | "empty";

/**
 * The one API "dialect" a sandbox speaks. HelpCrunch's docs disagree on these encodings, so a test
 * picks one and the sandbox accepts nothing else: a client that guesses wrong fails.
 */
export interface SandboxDialect {
  /**
   * How `chats.status` search filter values match. "names": only the canonical stored names,
   * exactly (case-insensitive); any other string, including numeric codes, "open" and "on hold",
   * matches nothing (no error). {codes}: only these numeric strings match (a JSON number with the
   * same value too); names match nothing. Unknown values match nothing, never an error.
   */
  statusFilter: "names" | { codes: Record<SandboxStatus, string> };
  /**
   * What PUT /chats/snooze accepts for a non-null snoozedUntil: "integer" = JSON integer only
   * (anything else → 400 violation "snoozedUntil" "This value should be of type integer.");
   * "string" = numeric string only (a non-string → "This value should be of type string.");
   * "either" = both.
   */
  snoozedUntil: "integer" | "string" | "either";
  /**
   * The one spelling PUT /chats/status accepts for on-hold; the others → 400 invalid_chat_value
   * "status value is invalid". Other statuses: their canonical name only (plus "open" → opened).
   */
  onHoldWrite: "onhold" | "on hold" | "on-hold";
  /**
   * Sort keys POST /chats/search accepts ("chats.x" or "x"); any other explicit `sort` → 400
   * violation "sort". An absent sort still means the default. GET /chats accepts every chat sort key.
   */
  searchSorts: string[];
  /**
   * Sort keys POST /chats/search accepts without error but ignores, as an account that does not
   * honour an order would: the answer comes in the default order (createdAt, newest first), whatever
   * `order` says. A key listed here is accepted even when searchSorts does not list it. Absent: none.
   */
  ignoredSearchSorts?: string[];
}

export interface SandboxOptions {
  /** The API dialect to emulate; unset fields take DEFAULT_DIALECT's. */
  dialect?: Partial<SandboxDialect>;
  /** Seed for deterministic demo data (default 42). */
  seed?: number;
  /** Port on 127.0.0.1 (default 0 = random). */
  port?: number;
  /** The only key accepted (default "sandbox-demo-key"). */
  apiKey?: string;
  /** Number of generated chats (default 320), about 61 % of them open. Data spans the 30 days before `now`. */
  chatCount?: number;
  /**
   * A large queue instead: exactly this many open chats (new, opened, pending, onhold) plus a closed
   * history in proportion (39 closed, no-communication and empty chats for every 61 open). Seeds
   * 100,000 open chats in about 2 s: each chat's messages are made when first read (the chat's fields
   * already agree with them). Other data than `chatCount` gives; not to be combined with it.
   */
  openChats?: number;
  /** Emulate HelpCrunch's rolling per-minute limit; off (undefined/0) by default. */
  rateLimitPerMinute?: number;
  /** Length of the rolling window (default 60000); tests shorten it to emulate "120 per second". */
  rateLimitWindowMs?: number;
  faults?: FaultRule[];
  /** Post signed HelpCrunch webhooks for every change to `url` (see webhooks.ts), with optional delivery faults. */
  webhooks?: import("./webhooks.js").WebhookOptions;
  /** Clock in epoch ms (default Date.now); data is generated relative to it at start. */
  now?: () => number;
}

export interface RecordedRequest {
  method: string;
  /** Path after `/v1`, without the query string, e.g. "/chats/123". */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or the raw string when it was not JSON, or undefined. */
  body: unknown;
  headers: Record<string, string | undefined>;
  /** Status sent back (0 when the connection was reset / response lost). */
  status: number;
  at: number;
}

export interface SandboxHandle {
  /** Base URL including `/v1`, e.g. "http://127.0.0.1:54321/v1". */
  url: string;
  apiKey: string;
  /** The effective dialect (options.dialect over DEFAULT_DIALECT). */
  readonly dialect: SandboxDialect;
  /**
   * The live data, for tests and benchmarks to read and craft (e.g. the true triage order). Reading
   * chats never makes messages, so walking every chat of a 100,000-chat queue takes milliseconds.
   */
  state: import("./state.js").SandboxState;
  /** The open chats (new, opened, pending, onhold) as stored now: the state's own objects, not copies. */
  openChats(): import("./state.js").StoredChat[];
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Empty the request log (handy between test phases). */
  clearRequests(): void;
  setRateLimit(perMinute: number | undefined): void;
  /** A simulated customer writes in a chat (as the widget would): the chat changes and a webhook is sent. */
  customerWrites(chatId: number, text: string): void;
  /** Sends a chat event for a chat a test changed in `state` directly (e.g. "assigned", "closed"). */
  announce(chatId: number, event: string): void;
  webhooks: {
    /** Every delivery made, in order, with the status the receiver answered. */
    deliveries: import("./webhooks.js").WebhookDelivery[];
    /** Releases held events and resolves when every delivery has been answered. */
    settle(): Promise<void>;
    setFaults(faults: import("./webhooks.js").WebhookFaults): void;
  };
  stop(): Promise<void>;
}
