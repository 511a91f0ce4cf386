export { HelpCrunchClient, createClient } from "./client.js";
export { HelpCrunchError, isHelpCrunchError, type HelpCrunchErrorKind } from "./errors.js";
export { collectAll, paginate, MAX_PAGE_SIZE, type PageFetcher, type PaginateOptions } from "./paginate.js";
export { writeRequests, type PlannedRequest } from "./requests.js";
export type { Agent, AgentRef, Application, Chat, Customer, CustomerRef, Department, Message, Page } from "./schemas.js";
export {
  CHAT_STATUSES,
  WRITABLE_STATUSES,
  encodeStatusFilter,
  isKnownStatus,
  normaliseStatus,
  statusWriteSpellings,
  type ChatStatus,
  type StatusFilterEncoding,
  type WritableStatus,
} from "./status.js";
export type * from "./types.js";
