/** The HelpCrunch sandbox: a local emulator of REST API v1 with seeded demo data, faults and a request log. */

export { DEFAULT_DIALECT, DOCS_STATUS_CODES, randomStatusCodes } from "./dialect.js";
export { ARTICLES, DEMO_SAVED_REPLIES, type HelpArticle } from "./help-center/articles.js";
export { articlePath, HIDDEN_MARKERS } from "./help-center/pages.js";
export {
  FLOOD_SIZE,
  type HelpCenterHandle,
  type HelpCenterOptions,
  type HelpCenterRequest,
  OVERSIZED_PATH,
  startHelpCenter,
} from "./help-center/server.js";
export {
  AGENTS,
  APPLICATIONS,
  DEPARTMENTS,
  FIRST_CHAT_ID,
  FIRST_CUSTOMER_ID,
  FIRST_MESSAGE_ID,
  HELPBOT_ID,
  INJECTION_CUSTOMERS,
  MIN_CUSTOMERS,
  SPOTLIGHT_MAX_WAIT_MIN,
  SPOTLIGHT_SCRIPTS,
  SPOTLIGHT_WAITS_MIN,
  STATUS_SHARES,
  TOPICS,
} from "./seed-data.js";
export { DEFAULT_API_KEY, startSandbox } from "./server.js";
export type { SandboxState, StoredAgent, StoredApplication, StoredChat, StoredCustomer, StoredDepartment, StoredMessage } from "./state.js";
export { OPEN_STATUSES } from "./state.js";
export type { WritableSandboxStatus } from "./statuses.js";
export { SANDBOX_STATUSES, WRITABLE_SANDBOX_STATUSES } from "./statuses.js";
export type * from "./types.js";
export type { WebhookDelivery, WebhookEnvelope, WebhookFaults, WebhookOptions } from "./webhooks.js";
