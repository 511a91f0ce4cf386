/**
 * Writes are prepared once: a PreparedWrite carries the exact request, built with everything the
 * client has learned about the account (dialect.ts), and `execute` sends that very object. dry_run
 * shows `request`; when a refusal makes the client change the request (another snoozedUntil
 * encoding, another on-hold spelling), the execution reports what was actually sent.
 */
import type { WritableStatus } from "./status.js";

export interface CreateChatInput {
  customer: number;
  application: number;
  assignee?: number;
  department?: number;
}

export interface CreateMessageInput {
  chat: number;
  text: string;
  /** Always required: HelpCrunch posts a message without `agent` as the customer. */
  agent: number;
  type: "message" | "private";
}

// A type alias, not an interface, so it is assignable to the loose Record the output schema publishes.
export type PlannedRequest = {
  method: "POST" | "PUT" | "DELETE";
  /** Path after the base URL, e.g. "/chats/assignee". */
  path: string;
  body: Record<string, unknown>;
};

/** What a write means in domain terms: what fallbacks re-prepare from. */
export type WriteIntent =
  | { type: "snooze"; chatId: number; until: number | null }
  | { type: "status"; chatId: number; status: WritableStatus }
  | { type: "assignee"; chatId: number; agentId: number | null }
  | { type: "department"; chatId: number; departmentId: number }
  | { type: "createChat"; input: CreateChatInput }
  | { type: "createMessage"; input: CreateMessageInput }
  | { type: "tags"; customerId: number; change: "add" | "remove"; names: string[] };

declare const resultType: unique symbol;

export interface PreparedWrite<T> {
  readonly intent: WriteIntent;
  readonly request: PlannedRequest;
  /** Type-level only: what executing it returns. */
  readonly [resultType]?: T;
}

export interface Executed<T> {
  result: T;
  /** The request that HelpCrunch accepted: `request` of the prepared write unless a fallback changed it. */
  sent: PlannedRequest;
  /** Set when a fallback changed the request, e.g. 'snoozedUntil sent as a string after HelpCrunch refused an integer'. */
  fallback?: string;
}

export function describeRequest(request: PlannedRequest): string {
  return `${request.method} ${request.path} ${JSON.stringify(request.body)}`;
}
