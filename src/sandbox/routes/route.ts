/** What every endpoint handler gets and gives back. */
import type { SandboxState } from "../state.js";
import type { SandboxDialect } from "../types.js";

export interface RouteInput {
  state: SandboxState;
  /** The one API dialect this sandbox speaks (status filters, snooze times, on-hold writes, search sorts). */
  dialect: SandboxDialect;
  /** The sandbox clock (epoch ms) when the request is processed. */
  now: number;
  query: Record<string, string>;
  /** Parsed JSON, the raw text when it was not JSON, or undefined. */
  body: unknown;
  /** The pattern's capture groups, e.g. the chat id of /chats/123. */
  params: string[];
}

/** [HTTP status, JSON body]. Handlers throw ApiError for every error answer. */
export type Reply = [status: number, body: unknown];

export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Tested against the path after /v1, without query string or trailing slash. */
  pattern: RegExp;
  handle(input: RouteInput): Reply;
}
