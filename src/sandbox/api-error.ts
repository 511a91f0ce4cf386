/**
 * HelpCrunch's error answers. The body is always `{"errors":[{code, message}, ...]}`; two generations
 * coexist in the docs and both are emulated where the docs show them:
 * - older, specific: `invalid_chat_value` "status value is invalid", `chat_not_found`, `entity_not_found`;
 * - newer validation (Symfony-style): `invalid_request` first, then one entry per field path,
 *   e.g. `{"code":"filter[0].value","message":"This value should be of type numeric."}`.
 */
export interface ErrorEntry {
  code: string;
  message: string;
}

export const errorBody = (...entries: ErrorEntry[]) => ({ errors: entries });

/** Thrown by a route; the server turns it into the answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly entries: ErrorEntry[],
  ) {
    super(entries.map((e) => `${e.code}: ${e.message}`).join("; "));
  }
}

/** Validator sentences, as Symfony words them (the newer HelpCrunch error examples quote them). */
export const SAYS = {
  blank: "This value should not be blank.",
  invalid: "This value is not valid.",
  numeric: "This value should be of type numeric.",
  integer: "This value should be of type integer.",
  string: "This value should be of type string.",
  array: "This value should be of type array.",
  bool: "This value should be of type bool.",
  maxLimit: "This value should be less than or equal to 100.",
  positive: "This value should be positive.",
  notNegative: "This value should be greater than or equal to 0.",
} as const;

export const notFound = (code: string, message: string) => new ApiError(404, [{ code, message }]);
export const invalidChatValue = (message: string) => new ApiError(400, [{ code: "invalid_chat_value", message }]);
export const invalidRequest = () => new ApiError(400, [{ code: "invalid_request", message: "Invalid request" }]);

/** Collects every field violation of one request, so a 400 lists them all as Symfony does. */
export class Violations {
  private readonly entries: ErrorEntry[] = [];

  add(code: string, message: string): void {
    this.entries.push({ code, message });
  }

  get count(): number {
    return this.entries.length;
  }

  /** Throws the 400 if anything was added. */
  check(): void {
    if (this.entries.length > 0) throw new ApiError(400, [{ code: "invalid_request", message: "Invalid request" }, ...this.entries]);
  }
}

const DIGITS = /^\d+$/;

/**
 * An id as HelpCrunch's validator takes it: a JSON integer or a string of digits (PHP's
 * is_numeric reading). Returns undefined for anything else.
 */
export function asInt(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && DIGITS.test(value)) return Number(value);
  return undefined;
}

/** A required integer field: blank and type violations are recorded under `code`. */
export function requiredInt(body: Record<string, unknown>, key: string, violations: Violations, code = key): number | undefined {
  const value = body[key];
  if (value === undefined || value === null || value === "") {
    violations.add(code, SAYS.blank);
    return undefined;
  }
  const n = asInt(value);
  if (n === undefined) violations.add(code, SAYS.numeric);
  return n;
}

/** An optional integer field where null means "none". */
export function optionalInt(body: Record<string, unknown>, key: string, violations: Violations): number | null | undefined {
  const value = body[key];
  if (value === undefined || value === null) return value === null ? null : undefined;
  const n = asInt(value);
  if (n === undefined) violations.add(key, SAYS.numeric);
  return n;
}

/** The JSON object a write needs; anything else (no body, an array, unparsable text) is a bare invalid_request. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body === "object" && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  throw invalidRequest();
}
