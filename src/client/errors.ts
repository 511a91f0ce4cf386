/**
 * The single error type the client throws. Its message is short and safe to show a model:
 * never the API key, never a raw body dump.
 */
export type HelpCrunchErrorKind =
  | "http" // HelpCrunch answered with an error status
  | "timeout" // no answer within the per-request timeout
  | "network" // connection refused / reset before an answer
  | "parse" // the answer was not the JSON we expect
  | "cancelled"; // the caller aborted

export interface HelpCrunchErrorInit {
  kind: HelpCrunchErrorKind;
  message: string;
  status?: number;
  /** The most specific `errors[].code` (HelpCrunch often puts a generic `invalid_request` first). */
  code?: string;
  /** Every `errors[]` entry, for callers that need field-path codes. */
  details?: Array<{ code: string; message: string }>;
  retryable?: boolean;
  /** Request line, e.g. "PUT /chats/assignee", for logs. */
  request?: string;
  /** True when a non-idempotent request may have reached HelpCrunch but its answer was lost. */
  outcomeUnknown?: boolean;
}

export class HelpCrunchError extends Error {
  readonly kind: HelpCrunchErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly details: Array<{ code: string; message: string }>;
  readonly retryable: boolean;
  readonly request?: string;
  readonly outcomeUnknown: boolean;

  constructor(init: HelpCrunchErrorInit) {
    super(init.message);
    this.name = "HelpCrunchError";
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.retryable = init.retryable ?? false;
    this.request = init.request;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }

  hasCode(code: string): boolean {
    return this.code === code || this.details.some((d) => d.code === code);
  }
}

export function isHelpCrunchError(error: unknown): error is HelpCrunchError {
  return error instanceof HelpCrunchError;
}
