/**
 * Audit trail: one JSON line per write that reached HelpCrunch (time, tool, chat, request,
 * change, outcome, how it was approved), and per write a person declined (outcome "declined": what
 * the model proposed and the person refused), appended to HELPCRUNCH_AUDIT_LOG or logged to
 * stderr at info level.
 * Bodies here are our own requests (ids, statuses, message text) and never carry the API key; a URL's
 * password in them is redacted.
 */
import { appendFileSync } from "node:fs";
import type { PlannedRequest } from "../helpcrunch/index.js";
import type { Logger } from "../log.js";
import { redact } from "../redact.js";

export type Approval = "user" | "policy";
/** Where the person approved: a form (elicitation or an input_required round) or an MCP Apps approval card. */
export type ApprovalVia = "form" | "app";

export interface AuditEntry {
  tool: string;
  chat_id?: number;
  /** For writes to a customer (tags). */
  customer_id?: number;
  /** What was sent: after a learned fallback, the request HelpCrunch accepted. */
  request: PlannedRequest;
  /** Set when a fallback changed the request, e.g. 'sent snoozedUntil as "1700000000" after …'. */
  fallback?: string;
  /** "declined": the person said no or closed the form; "unconfirmed": the form ended without a usable answer. */
  outcome: "ok" | "error" | "unknown" | "declined" | "unconfirmed";
  /** "user": a person confirmed it in a form; "policy": the configuration allowed it without asking. */
  approval?: Approval;
  /** Set for a person's approval through an MCP Apps card ("app"); form approvals predate the field and leave it out. */
  via?: ApprovalVia;
  change?: string;
  before?: string;
  after?: string;
  error?: string;
}

/** Who asked, from the OAuth token of the request (`--http` with an identity provider). */
export interface AuditActor {
  subject: string;
  email?: string;
}

export class AuditTrail {
  constructor(
    private readonly log: Logger,
    private readonly now: () => number,
    private readonly file?: string,
    private readonly actor?: AuditActor,
  ) {}

  /** The same trail, with every line naming who asked. */
  forActor(actor: AuditActor | undefined): AuditTrail {
    return actor ? new AuditTrail(this.log, this.now, this.file, actor) : this;
  }

  record(entry: AuditEntry): void {
    const actor = this.actor ? { actor: { sub: this.actor.subject, ...(this.actor.email ? { email: this.actor.email } : {}) } } : {};
    const line = redact(JSON.stringify({ time: new Date(this.now()).toISOString(), ...actor, ...entry }));
    if (!this.file) {
      this.log.info(`audit ${line}`);
      return;
    }
    try {
      // Synchronous append: a write must be on disk before its result reaches the model.
      appendFileSync(this.file, `${line}\n`);
    } catch (error) {
      this.log.error(`could not append to the audit log (${(error as NodeJS.ErrnoException).code ?? "error"}); entry: ${line}`);
    }
  }
}
