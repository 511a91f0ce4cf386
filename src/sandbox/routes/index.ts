/** The route table and the one place that turns a thrown ApiError into HelpCrunch's error answer. */
import { ApiError, errorBody } from "../api-error.js";
import { CHAT_ROUTES } from "./chats.js";
import { CUSTOMER_ROUTES } from "./customers.js";
import { DIRECTORY_ROUTES } from "./directory.js";
import { MESSAGE_ROUTES } from "./messages.js";
import type { Reply, RouteInput } from "./route.js";

const ROUTES = [...CHAT_ROUTES, ...MESSAGE_ROUTES, ...DIRECTORY_ROUTES, ...CUSTOMER_ROUTES];

/**
 * Answers one request. `path` is after /v1; a trailing slash is ignored, as HelpCrunch ignores it
 * on /chats/{id}/messages/ (seen in third-party code). No match → 404 not_found.
 */
export function dispatch(method: string, path: string, input: Omit<RouteInput, "params">): Reply {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  for (const route of ROUTES) {
    const match = route.method === method ? route.pattern.exec(trimmed) : null;
    if (!match) continue;
    try {
      return route.handle({ ...input, params: match.slice(1) });
    } catch (error) {
      if (error instanceof ApiError) return [error.status, errorBody(...error.entries)];
      throw error;
    }
  }
  return [404, errorBody({ code: "not_found", message: "Not found" })];
}
