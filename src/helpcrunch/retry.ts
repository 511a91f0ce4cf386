/** Retry policy helpers: which failures are worth another try, and how long to wait. */

/**
 * The three HTTP-date forms (RFC 9110 §5.6.7) all open with a day name and carry hh:mm:ss.
 * Checked before Date.parse because V8's parser also accepts junk such as "-1" or "foo 12".
 */
const HTTP_DATE = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,? .*\b\d{1,2}:\d{2}:\d{2}\b/i;

/** `Retry-After` as seconds or an HTTP date → milliseconds from `now`, or undefined if absent/garbage. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  if (!HTTP_DATE.test(value)) return undefined;
  // asctime dates carry no zone but are GMT by definition; Date.parse would read them as local time.
  const date = Date.parse(/\bGMT\b/i.test(value) ? value : `${value} GMT`);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Exponential backoff with full jitter: a random wait in [0, base·2^attempt), capped. */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  return Math.min(capMs, Math.floor(random() * baseMs * 2 ** attempt));
}

/** Sleeps `ms`, rejecting at once with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** HelpCrunch's rate limit and server/proxy trouble: worth another try for idempotent calls. */
export const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
