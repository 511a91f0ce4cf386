/**
 * The single error type the client throws. Its message is short and safe to show a model:
 * never the API key, never a raw body dump.
 */
export type HelpCrunchErrorKind =
  | "http" // HelpCrunch answered with an error status
  | "timeout" // no answer within the per-request timeout
  | "network" // connection refused / reset before an answer
  | "parse" // the answer was not the JSON we expect
  | "cancelled" // the caller aborted
  | "deadline" // the tool call's time limit came first (or a required wait would outlast it)
  | "too_large" // the answer was over the size we read
  | "budget"; // the call's request budget was spent before this request (see budget.ts)

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
  /**
   * The request may have reached HelpCrunch although no answer came (a reset or a timeout after
   * sending), for any method: an idempotent write retried to exhaustion may still have landed.
   */
  maybeSent?: boolean;
}

export class HelpCrunchError extends Error {
  readonly kind: HelpCrunchErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly details: Array<{ code: string; message: string }>;
  readonly retryable: boolean;
  readonly request?: string;
  readonly outcomeUnknown: boolean;
  readonly maybeSent: boolean;

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
    this.maybeSent = init.maybeSent ?? init.outcomeUnknown ?? false;
  }

  hasCode(code: string): boolean {
    return this.code === code || this.details.some((d) => d.code === code);
  }

  /** A validation refusal that names this request field, e.g. `snoozedUntil` or `sort`. */
  refusesField(field: string): boolean {
    return (
      this.status === 400 && this.details.some((d) => d.code === field || d.code.startsWith(`${field}.`) || d.code.startsWith(`${field}[`))
    );
  }
}

/** What a 404 was about: the chat of the request, or an entity it referenced (an agent, a customer). */
export type NotFoundEntity = "chat" | "agent" | "customer" | "department" | "application" | "message" | "resource";

/** HelpCrunch (not a proxy) answered 404 about `entity`. */
export class NotFoundError extends HelpCrunchError {
  readonly entity: NotFoundEntity;

  constructor(init: HelpCrunchErrorInit & { entity: NotFoundEntity }) {
    super(init);
    this.name = "NotFoundError";
    this.entity = init.entity;
  }
}

export function isNotFound(error: unknown, entity?: NotFoundEntity): error is NotFoundError {
  return error instanceof NotFoundError && (entity === undefined || error.entity === entity);
}

export function isHelpCrunchError(error: unknown): error is HelpCrunchError {
  return error instanceof HelpCrunchError;
}
