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

export interface SandboxOptions {
  /** Seed for deterministic demo data (default 42). */
  seed?: number;
  /** Port on 127.0.0.1 (default 0 = random). */
  port?: number;
  /** The only key accepted (default "sandbox-demo-key"). */
  apiKey?: string;
  /** Number of generated chats (default 320). Data spans the 30 days before `now`. */
  chatCount?: number;
  /** Emulate HelpCrunch's rolling per-minute limit; off (undefined/0) by default. */
  rateLimitPerMinute?: number;
  /** Length of the rolling window (default 60000); tests shorten it to emulate "120 per second". */
  rateLimitWindowMs?: number;
  faults?: FaultRule[];
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
  state: import("./state.js").SandboxState;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Empty the request log (handy between test phases). */
  clearRequests(): void;
  setRateLimit(perMinute: number | undefined): void;
  stop(): Promise<void>;
}
