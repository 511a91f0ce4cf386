/**
 * Every write HelpCrunch takes, one entry each: what makes a call a bug (checked before anything is
 * sent), the request with the learned dialect applied, whether it may be retried, what the answer
 * parses as, and the refusal a learned fallback can get around. A new write is one entry here, its
 * intent in requests.ts and one line in the client's preparer.
 */
import type { z } from "zod";
import type { Dialect } from "./dialect.js";
import type { HelpCrunchError } from "./errors.js";
import type { PlannedRequest, WriteIntent } from "./requests.js";
import { chatSchema, customerSchema, messageSchema } from "./schemas.js";
import { WRITABLE_STATUSES } from "./status.js";

type Intent<K extends WriteIntent["type"]> = Extract<WriteIntent, { type: K }>;

interface WriteKind<I extends WriteIntent> {
  /** Throws when the call is a bug (an id that is not a positive integer, a status that cannot be set). */
  check(intent: I): void;
  /** The one place this write's body is built; `onHold` overrides the learned spelling for a retry. */
  request(intent: I, dialect: Dialect, onHold?: string): PlannedRequest;
  /** POSTs that create something are never retried automatically. */
  idempotent: boolean;
  result: z.ZodType;
  /** After a 400: the request to try instead, when the dialect knows a way around the refusal. */
  fallback?(intent: I, error: HelpCrunchError, tried: PlannedRequest[], dialect: Dialect): PlannedRequest | undefined;
  /** A write HelpCrunch accepted confirms what was learned. */
  accepted?(intent: I, request: PlannedRequest, dialect: Dialect): void;
}

/** Strict sending: ids are positive integers or the call is a bug. */
export function id(value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`invalid id ${String(value)}`);
  return value;
}

const put = (path: string, body: Record<string, unknown>): PlannedRequest => ({ method: "PUT", path, body });

export const WRITES: { [K in WriteIntent["type"]]: WriteKind<Intent<K>> } = {
  snooze: {
    check: (intent) => {
      id(intent.chatId);
      // NaN would serialise as null, which HelpCrunch reads as "unsnooze": refuse instead.
      if (intent.until !== null && !Number.isFinite(intent.until)) throw new Error(`snooze: invalid time ${String(intent.until)}`);
    },
    request: (intent, dialect) => put("/chats/snooze", { id: intent.chatId, snoozedUntil: dialect.snoozedUntil(intent.until) }),
    idempotent: true,
    result: chatSchema,
    fallback: (intent, error, tried, dialect) => {
      const last = tried.at(-1) as PlannedRequest;
      if (intent.until === null || !error.refusesField("snoozedUntil") || !dialect.snoozeRefused(last.body.snoozedUntil)) return undefined;
      return WRITES.snooze.request(intent, dialect);
    },
  },
  status: {
    check: (intent) => {
      id(intent.chatId);
      if (!(WRITABLE_STATUSES as readonly string[]).includes(intent.status))
        throw new Error(`setStatus: "${String(intent.status)}" cannot be set`);
    },
    request: (intent, dialect, onHold = dialect.onHoldSpelling()) =>
      put("/chats/status", { id: intent.chatId, status: intent.status === "onhold" ? onHold : intent.status }),
    idempotent: true,
    result: chatSchema,
    fallback: (intent, error, tried, dialect) => {
      if (intent.status !== "onhold" || !error.hasCode("invalid_chat_value")) return undefined;
      const spelling = dialect.onHoldRefused(new Set(tried.map((r) => String(r.body.status))));
      return spelling === undefined ? undefined : WRITES.status.request(intent, dialect, spelling);
    },
    accepted: (intent, request, dialect) => {
      if (intent.status === "onhold") dialect.onHoldAccepted(String(request.body.status));
    },
  },
  assignee: {
    check: (intent) => {
      id(intent.chatId);
      if (intent.agentId !== null) id(intent.agentId);
    },
    request: (intent) => put("/chats/assignee", { id: intent.chatId, assignee: intent.agentId }),
    idempotent: true,
    result: chatSchema,
  },
  department: {
    check: (intent) => {
      id(intent.chatId);
      id(intent.departmentId);
    },
    request: (intent) => put("/chats/department", { id: intent.chatId, department: intent.departmentId }),
    idempotent: true,
    result: chatSchema,
  },
  createChat: {
    check: ({ input }) => {
      id(input.customer);
      id(input.application);
      if (input.assignee !== undefined) id(input.assignee);
      if (input.department !== undefined) id(input.department);
    },
    request: ({ input: { customer, application, assignee, department } }) => {
      const optional = { ...(assignee !== undefined ? { assignee } : {}), ...(department !== undefined ? { department } : {}) };
      return { method: "POST", path: "/chats", body: { customer, application, ...optional } };
    },
    idempotent: false,
    result: chatSchema,
  },
  createMessage: {
    check: ({ input }) => {
      // Without `agent` HelpCrunch posts the text as the customer: refuse rather than impersonate.
      if (input.agent === undefined || input.agent === null || !Number.isInteger(input.agent) || input.agent <= 0) {
        throw new Error("createMessage: agent is required (without it HelpCrunch posts the message as the customer)");
      }
      id(input.chat);
      if (input.type !== "message" && input.type !== "private") throw new Error(`createMessage: type must be "message" or "private"`);
    },
    request: ({ input: { chat, text, agent, type } }) => ({ method: "POST", path: "/messages", body: { chat, text, agent, type } }),
    idempotent: false,
    result: messageSchema,
  },
  tags: {
    check: (intent) => {
      id(intent.customerId);
      if (intent.names.length === 0) throw new Error("tagCustomer: at least one tag name is required");
    },
    // PUT adds (an unknown tag is created with HelpCrunch's default colour); DELETE takes a body.
    request: (intent) => ({
      method: intent.change === "add" ? "PUT" : "DELETE",
      path: `/customers/${intent.customerId}/tags`,
      body: { tags: intent.names.map((name) => ({ name })) },
    }),
    idempotent: true,
    result: customerSchema,
  },
};

/** The entry of an intent, typed for the intent's own kind. */
export function writeKind(intent: WriteIntent): WriteKind<WriteIntent> {
  return WRITES[intent.type] as WriteKind<WriteIntent>;
}
