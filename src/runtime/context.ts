/** What a tool handler receives: the long-lived services plus this call's signal and progress. */

import type { Config } from "../config.js";
import type { SlaPolicy } from "../domain/sla.js";
import type { CallOptions, HelpCrunchApi } from "../helpcrunch/index.js";
import type { Logger } from "../log.js";
import type { ApprovalDrafts } from "../services/approval-drafts.js";
import type { AuditTrail } from "../services/audit.js";
import type { Directory } from "../services/directory.js";
import type { KnowledgeBase } from "../services/knowledge/index.js";
import type { LiveQueue } from "../services/live-queue.js";
import type { ReplyGuard } from "../services/reply-guard.js";
import type { Actor } from "./actor.js";
import type { Confirm } from "./confirm.js";

export interface ToolServices {
  client: HelpCrunchApi;
  config: Config;
  log: Logger;
  directory: Directory;
  audit: AuditTrail;
  replyGuard: ReplyGuard;
  /** Drafts waiting in MCP Apps approval cards, by one-time token. */
  drafts: ApprovalDrafts;
  /** Response-time targets; `enabled` is false unless configured. */
  sla: SlaPolicy;
  /** The live mirror of the open queue (kept fresh by HELPCRUNCH_WEBHOOK_SECRET or HELPCRUNCH_POLL_SECONDS, else scan memory for `since`). */
  liveQueue: LiveQueue;
  /** The help center and saved replies (search_knowledge); absent when neither is configured. */
  knowledge?: KnowledgeBase;
  /** Epoch ms; injectable so tests can fix the clock. */
  now: () => number;
}

export interface ToolContext extends ToolServices {
  /** Who asked, when the request carried a verified OAuth token; the audit trail names them. */
  actor?: Actor;
  /** Asks the person at the client (one form); `unavailable` when this client or transport cannot ask. */
  confirm: Confirm;
  /** Does this client show MCP Apps views (the UI extension with text/html;profile=mcp-app)? Then a reply no form can confirm goes to an approval card. */
  showsApps: boolean;
  signal: AbortSignal;
  /** Pass to every HelpCrunch request of this call: cancellation, the call's deadline, progress while waiting. */
  upstream: CallOptions & { signal: AbortSignal; deadline: number };
  /**
   * Reports `done` of `total` when the client asked for progress (a progressToken); otherwise a no-op.
   * The final step is not announced: the result is (see progress.ts).
   */
  progress(done: number, total?: number, message?: string): void;
}
