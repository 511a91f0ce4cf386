/** Plain-fetch helpers for the sandbox tests: no client code in between, so the wire format is what is tested. */
import { expect } from "vitest";
import type { SandboxHandle, StoredChat, StoredMessage } from "../../src/sandbox/index.js";

export type Json = Record<string, unknown> & {
  data?: Array<Record<string, unknown>>;
  meta?: { total: number };
  total?: number;
  errors?: Array<{ code: string; message: string }>;
};

export interface Answer {
  status: number;
  headers: Headers;
  json: Json;
}

/** One request with the sandbox's key (or `key`; null sends none); the body is sent as JSON. */
export async function call(
  sb: SandboxHandle,
  method: string,
  path: string,
  body?: unknown,
  key: string | null = sb.apiKey,
): Promise<Answer> {
  const headers: Record<string, string> = { accept: "application/json", "content-type": "application/json" };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${sb.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Json };
}

export const searchChats = (sb: SandboxHandle, filter: unknown, extra: Record<string, unknown> = {}) =>
  call(sb, "POST", "/chats/search", { filter, limit: 100, ...extra });

/** Error codes of an answer, in order. */
export const codes = (a: Answer) => a.json.errors?.map((e) => e.code);

/** Any of HelpCrunch's timestamp encodings → whole seconds. */
export const seconds = (v: unknown) => (v === null || v === undefined ? null : Math.floor(Number(v)));

export const sec = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

export const OPEN = ["new", "opened", "pending", "onhold"];

/**
 * A seeded conversation and its chat agree: an empty chat has no messages, the others 3–12 in time
 * order from the chat's creation, and the chat's last-message fields are those of its last visible
 * message (private notes and system lines do not count). Returns the visible messages.
 */
export function expectConversationAgrees(chat: StoredChat, messages: StoredMessage[]): StoredMessage[] {
  if (chat.status === "empty") {
    expect(messages).toEqual([]);
    return [];
  }
  expect(messages.length, `chat ${chat.id}`).toBeGreaterThanOrEqual(3);
  expect(messages.length, `chat ${chat.id}`).toBeLessThanOrEqual(12);
  const visible = messages.filter((m) => m.type !== "private" && m.type !== "tech");
  const last = visible.at(-1);
  expect([chat.lastMessageAt, chat.lastMessageText, chat.lastMessageId], `chat ${chat.id}`).toEqual([
    last?.createdAt,
    last?.text,
    last?.id,
  ]);
  expect(chat.lastCustomerMessageAt).toBe(visible.filter((m) => m.from === "customer").at(-1)?.createdAt ?? null);
  expect(messages.map((m) => m.createdAt)).toEqual(messages.map((m) => m.createdAt).sort((a, b) => a - b));
  expect(messages[0]?.createdAt).toBeGreaterThanOrEqual(chat.createdAt);
  return visible;
}
