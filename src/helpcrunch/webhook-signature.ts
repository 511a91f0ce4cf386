/**
 * HelpCrunch's webhook signature: `X-HelpCrunch-Signature` = hex HMAC-SHA1 of the raw body, keyed
 * with the account's "HTTP Webhook Signing Key" [doc]. Its own module so that only the --http
 * webhook route loads node:crypto (a plain stdio start loads none).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-helpcrunch-signature";

/** The hex HMAC-SHA1 HelpCrunch sends for `body`. */
export function webhookSignature(body: Uint8Array | string, secret: string): string {
  return createHmac("sha1", secret).update(body).digest("hex");
}

/** Whether `header` is the signature of exactly these bytes; constant time whatever the header holds. */
export function verifyWebhookSignature(body: Uint8Array, header: string | undefined, secret: string): boolean {
  const expected = Buffer.from(webhookSignature(body, secret), "utf8");
  const given = Buffer.from((header ?? "").trim().toLowerCase(), "utf8");
  // Compare equal-length buffers only: the length of a hex SHA-1 is public, its content is not.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
