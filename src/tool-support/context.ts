/** What a tool handler receives: the long-lived services plus this call's signal and progress. */
import type { HelpCrunchApi } from "../client/index.js";
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { AuditTrail } from "./audit.js";
import type { Directory } from "./directory.js";
import type { ReplyGuard } from "./reply-guard.js";

export interface ToolServices {
  client: HelpCrunchApi;
  config: Config;
  log: Logger;
  directory: Directory;
  audit: AuditTrail;
  replyGuard: ReplyGuard;
  /** Epoch ms; injectable so tests can fix the clock. */
  now: () => number;
}

export interface ToolContext extends ToolServices {
  signal: AbortSignal;
  /** Sends notifications/progress when the client asked for it (a progressToken); otherwise a no-op. */
  progress(done: number, total?: number, message?: string): Promise<void>;
}
