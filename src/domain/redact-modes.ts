/**
 * How much of a customer an output may show (HELPCRUNCH_REDACT): `off` all of it, `contact` no
 * emails or phone numbers, `all` no names or custom data values either. Declared here, below both
 * the configuration that reads the setting and src/present/privacy.ts that applies it, so the
 * presentation does not depend on the configuration.
 */
export const REDACT_MODES = ["off", "contact", "all"] as const;
export type RedactMode = (typeof REDACT_MODES)[number];
