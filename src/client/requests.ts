/**
 * The exact HTTP requests behind every write, built in one place so that what `dry_run` shows
 * is byte-for-byte what the client sends. Strict sending: integer ids, integer UNIX seconds.
 */
import type { CreateChatInput, CreateMessageInput } from "./types.js";

// A type alias, not an interface, so it is assignable to the loose Record the output schema publishes.
export type PlannedRequest = {
  method: "POST" | "PUT";
  /** Path after the base URL, e.g. "/chats/assignee". */
  path: string;
  body: Record<string, unknown>;
};

export const writeRequests = {
  snooze: (chatId: number, untilMs: number | null): PlannedRequest => ({
    method: "PUT",
    path: "/chats/snooze",
    body: { id: chatId, snoozedUntil: untilMs == null ? null : Math.floor(untilMs / 1000) },
  }),
  status: (chatId: number, spelling: string): PlannedRequest => ({
    method: "PUT",
    path: "/chats/status",
    body: { id: chatId, status: spelling },
  }),
  assignee: (chatId: number, agentId: number | null): PlannedRequest => ({
    method: "PUT",
    path: "/chats/assignee",
    body: { id: chatId, assignee: agentId },
  }),
  department: (chatId: number, departmentId: number): PlannedRequest => ({
    method: "PUT",
    path: "/chats/department",
    body: { id: chatId, department: departmentId },
  }),
  createChat: (input: CreateChatInput): PlannedRequest => ({
    method: "POST",
    path: "/chats",
    body: {
      customer: input.customer,
      application: input.application,
      ...(input.assignee !== undefined ? { assignee: input.assignee } : {}),
      ...(input.department !== undefined ? { department: input.department } : {}),
    },
  }),
  createMessage: (input: CreateMessageInput): PlannedRequest => ({
    method: "POST",
    path: "/messages",
    body: { chat: input.chat, text: input.text, agent: input.agent, type: input.type },
  }),
};
