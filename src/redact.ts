/**
 * The one redaction every printed text passes through (logs, errors a model sees, the audit trail,
 * doctor's report): registered secrets such as the API key, and the credentials of any URL
 * (`https://user:password@host` → `https://[redacted]@host`), whichever variable the URL came from.
 */

/**
 * A scheme, then userinfo up to the last "@" before the authority ends (at "/", "?", "#" or white
 * space), as URL parsers read it: a raw "@" in a password must not leave the rest of it showing.
 * Over-redacting an "@" later on the same run of text is the safe way to be wrong.
 */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;

/** Shorter secrets are not replaced: they would mangle ordinary text. */
const MIN_SECRET_LENGTH = 4;

export function redact(text: string, secrets: readonly string[] = []): string {
  const withoutSecrets = secrets
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    .reduce((out, secret) => out.split(secret).join("[redacted]"), text);
  return withoutSecrets.replace(URL_USERINFO, "$1[redacted]@");
}
