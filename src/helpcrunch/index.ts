export { RequestBudget } from "./budget.js";
export { createClient, HelpCrunchClient } from "./client.js";
export { type DialectReport, MAX_PROBES, type StatusFilterReport } from "./dialect.js";
export { HelpCrunchError, type HelpCrunchErrorKind, isHelpCrunchError, isNotFound, type NotFoundEntity, NotFoundError } from "./errors.js";
export { collectAll, MAX_PAGE_SIZE, type PageFetcher, type PaginateOptions, paginate } from "./paginate.js";
export {
  type CreateChatInput,
  type CreateMessageInput,
  describeRequest,
  type Executed,
  type PlannedRequest,
  type PreparedWrite,
} from "./requests.js";
export type { Agent, AgentRef, Application, Chat, Customer, CustomerRef, Department, Message, Organization, Page } from "./schemas.js";
export {
  CHAT_STATUSES,
  type ChatStatus,
  isKnownStatus,
  normaliseStatus,
  type StatusFilterSetting,
  WRITABLE_STATUSES,
  type WritableStatus,
} from "./status.js";
export type * from "./types.js";
