export { HelpCrunchClient, createClient } from "./client.js";
export { MAX_PROBES, type DialectReport, type StatusFilterReport } from "./dialect.js";
export { HelpCrunchError, NotFoundError, isHelpCrunchError, isNotFound, type HelpCrunchErrorKind, type NotFoundEntity } from "./errors.js";
export { collectAll, paginate, MAX_PAGE_SIZE, type PageFetcher, type PaginateOptions } from "./paginate.js";
export { describeRequest, type Executed, type PlannedRequest, type PreparedWrite } from "./requests.js";
export type { Agent, AgentRef, Application, Chat, Customer, CustomerRef, Department, Message, Page } from "./schemas.js";
export {
  CHAT_STATUSES,
  WRITABLE_STATUSES,
  isKnownStatus,
  normaliseStatus,
  type ChatStatus,
  type StatusFilterSetting,
  type WritableStatus,
} from "./status.js";
export type * from "./types.js";
