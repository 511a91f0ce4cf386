/**
 * Polite HTTP for the help-center crawler: one origin, at most MAX_IN_FLIGHT requests at a time (an
 * undici Pool of that many connections, no pipelining), a User-Agent naming the project, a deadline
 * per request (headers and the whole body), a byte cap per response read as it streams, redirects
 * followed by hand and only within the allowed scope, conditional requests (ETag / Last-Modified),
 * and Retry-After honoured once when it is short. Every outcome is a value, never a throw.
 */
import { gunzipSync } from "node:zlib";
import type { Pool } from "undici";
import { readBounded } from "../../bounded-read.js";
import { VERSION } from "../../version.js";

export const MAX_IN_FLIGHT = 2;
export const USER_AGENT = `helpcrunch-mcp/${VERSION} (knowledge search; +https://github.com/helpcrunch-mcp/helpcrunch-mcp)`;
const MAX_REDIRECTS = 5;
/** A Retry-After up to this long is waited out once; a longer one fails the page (tried again at the next refresh). */
const MAX_RETRY_AFTER_MS = 30_000;

export type FetchOutcome =
  | { kind: "ok"; url: string; text: string; contentType: string; etag?: string; lastModified?: string }
  | { kind: "not-modified"; url: string }
  | { kind: "failed"; url: string; reason: string; status?: number };

export interface FetchRequest {
  url: string;
  maxBytes: number;
  /** Validators of the copy we hold: a 304 answer means it is still current. */
  etag?: string;
  lastModified?: string;
  /** May a redirect go to this URL? (Off the help center's scope: the fetch fails instead.) */
  allowed(url: URL): boolean;
}

let undici: Promise<typeof import("undici")> | undefined;
const loadUndici = () => (undici ??= import("undici"));

export class PoliteFetcher {
  private pool?: Promise<Pool>;
  private closed = false;

  constructor(
    private readonly origin: string,
    private readonly timeoutMs: number,
    private readonly signal: AbortSignal,
  ) {}

  private connection(): Promise<Pool> {
    this.pool ??= loadUndici().then(
      ({ Pool }) => new Pool(this.origin, { connections: MAX_IN_FLIGHT, pipelining: 1, keepAliveTimeout: 10_000 }),
    );
    return this.pool;
  }

  async get(request: FetchRequest): Promise<FetchOutcome> {
    let url = new URL(request.url);
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (url.origin !== this.origin || !request.allowed(url))
        return failed(request.url, `redirected off the help center to ${url.origin}${url.pathname.slice(0, 80)}`);
      const outcome = await this.once(url, request, hop === 0);
      if (!("location" in outcome)) return outcome;
      try {
        url = new URL(outcome.location, url);
      } catch {
        return failed(request.url, "redirected to a malformed URL");
      }
    }
    return failed(request.url, `more than ${MAX_REDIRECTS} redirects (a redirect loop?)`);
  }

  private async once(url: URL, request: FetchRequest, conditional: boolean, retried = false): Promise<FetchOutcome | { location: string }> {
    if (this.closed || this.signal.aborted) return failed(url.href, "the crawl was stopped");
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = AbortSignal.any([deadline, this.signal]);
    try {
      const pool = await this.connection();
      const res = await pool.request({
        method: "GET",
        path: `${url.pathname}${url.search}`,
        headers: {
          "user-agent": USER_AGENT,
          accept: "text/html, application/xhtml+xml, application/xml;q=0.9, text/plain;q=0.8",
          "accept-encoding": "identity",
          ...(conditional && request.etag ? { "if-none-match": request.etag } : {}),
          ...(conditional && request.lastModified ? { "if-modified-since": request.lastModified } : {}),
        },
        signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const header = (name: string) => {
        const value = res.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const status = res.statusCode;
      if (status >= 300 && status < 400 && status !== 304) {
        await res.body.dump({ limit: 16_384 }).catch(() => {});
        const location = header("location");
        return location ? { location } : failed(url.href, `HTTP ${status} without a Location`, status);
      }
      if (status === 304) {
        await res.body.dump({ limit: 16_384 }).catch(() => {});
        return { kind: "not-modified", url: url.href };
      }
      if (status === 429 || status === 503) {
        await res.body.dump({ limit: 16_384 }).catch(() => {});
        const wait = retryAfterMs(header("retry-after"));
        if (!retried && wait !== undefined && wait <= MAX_RETRY_AFTER_MS) {
          await pause(wait, this.signal);
          return this.once(url, request, conditional, true);
        }
        return failed(url.href, `HTTP ${status}${wait !== undefined ? ` (asked to wait ${Math.round(wait / 1000)} s)` : ""}`, status);
      }
      if (status !== 200) {
        await res.body.dump({ limit: 16_384 }).catch(() => {});
        return failed(url.href, `HTTP ${status}`, status);
      }
      const declared = Number(header("content-length"));
      if (Number.isFinite(declared) && declared > request.maxBytes) {
        res.body.destroy();
        return failed(url.href, `larger than ${formatBytes(request.maxBytes)} (${formatBytes(declared)})`);
      }
      const bytes = await readBounded(res.body, request.maxBytes);
      if (bytes === null) return failed(url.href, `larger than ${formatBytes(request.maxBytes)}`);
      const contentType = header("content-type") ?? "";
      const body =
        header("content-encoding") === "gzip" || url.pathname.endsWith(".gz")
          ? gunzipSync(bytes, { maxOutputLength: request.maxBytes })
          : bytes;
      return {
        kind: "ok",
        url: url.href,
        text: decode(body, contentType),
        contentType: contentType.split(";")[0]?.trim().toLowerCase() ?? "",
        ...(header("etag") ? { etag: header("etag") } : {}),
        ...(header("last-modified") ? { lastModified: header("last-modified") } : {}),
      };
    } catch (error) {
      // gunzip's own bound: the page was small on the wire and too large unpacked.
      if (error instanceof RangeError && /maxOutputLength|buffer/i.test(error.message))
        return failed(url.href, `larger than ${formatBytes(request.maxBytes)}`);
      if (deadline.aborted) return failed(url.href, `no complete answer within ${Math.round(this.timeoutMs / 1000)} s`);
      if (this.signal.aborted) return failed(url.href, "the crawl was stopped");
      return failed(url.href, `unreachable (${error instanceof Error ? error.message.slice(0, 120) : "network error"})`);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = await this.pool;
    await pool?.destroy().catch(() => {});
  }
}

function failed(url: string, reason: string, status?: number): FetchOutcome {
  return { kind: "failed", url, reason, ...(status !== undefined ? { status } : {}) };
}

/** Bytes → text in the declared charset (UTF-8 when none or unknown); malformed bytes become U+FFFD. */
function decode(bytes: Buffer, contentType: string): string {
  const charset = /charset=["']?([\w.:-]+)/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8").decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Waits `ms`, or less when `signal` aborts (a stopped crawl does not wait out its pauses). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function formatBytes(bytes: number): string {
  return bytes >= 1_048_576 ? `${Math.round((bytes / 1_048_576) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}
