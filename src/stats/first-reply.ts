/**
 * First-reply time of a chat, from its messages: the customer's first message until the first
 * agent message after it that the customer could see (private notes and system events do not
 * count). One or two requests per chat, so callers measure a bounded sample.
 */
import type { CallOptions, HelpCrunchApi, Message } from "../client/index.js";

const PAGE = 100;
const VISIBLE = new Set(["message", "email"]);

/** Minutes from the customer's first message to the first visible agent reply; undefined when either is missing. */
export function firstReplyMinutes(messages: Message[]): number | undefined {
  const ordered = messages.filter((m) => m.createdAt !== null).sort((a, b) => (a.createdAt as number) - (b.createdAt as number) || a.id - b.id);
  const asked = ordered.find((m) => m.from === "customer");
  if (!asked) return undefined;
  const answered = ordered.find((m) => m.from === "agent" && VISIBLE.has(m.type ?? "message") && (m.createdAt as number) >= (asked.createdAt as number) && m.id !== asked.id);
  return answered ? ((answered.createdAt as number) - (asked.createdAt as number)) / 60_000 : undefined;
}

/** The chat's oldest messages (up to 100): HelpCrunch lists newest first, so a long chat takes a second request. */
export async function oldestMessages(client: HelpCrunchApi, chatId: number, opts: CallOptions): Promise<{ messages: Message[]; requests: number }> {
  const newest = await client.listChatMessages(chatId, { offset: 0, limit: PAGE }, opts);
  if (newest.total <= PAGE) return { messages: newest.data, requests: 1 };
  return { messages: (await client.listChatMessages(chatId, { offset: newest.total - PAGE, limit: PAGE }, opts)).data, requests: 2 };
}

/** `count` items spread evenly over `items` (all of them when there are fewer). */
export function evenSample<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)] as T);
}
