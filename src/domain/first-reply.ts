/**
 * First-reply time of a chat, from its messages: the customer's first message until the first
 * agent message after it that the customer could see (private notes and system events do not
 * count). One or two requests per chat, so callers measure a bounded sample.
 */
import type { CallOptions, HelpCrunchApi, Message } from "../helpcrunch/index.js";

const PAGE = 100;
const VISIBLE = new Set(["message", "email"]);

/** A customer waiting: from their first unanswered message until an agent's visible reply (absent: still waiting). */
export interface Wait {
  from: number;
  to?: number;
}

/**
 * The customer's waits in a chat, oldest first: the first is the wait for the first reply, the
 * others for next replies. A wait starts at the first customer message after the last visible
 * agent message and ends at the next one.
 */
export function customerWaits(messages: Message[]): Wait[] {
  const ordered = messages
    .filter((m): m is Message & { createdAt: number } => m.createdAt !== null)
    .sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  const waits: Wait[] = [];
  let open: Wait | undefined;
  for (const m of ordered) {
    if (m.from === "customer" && !open) waits.push((open = { from: m.createdAt }));
    else if (m.from === "agent" && VISIBLE.has(m.type ?? "message") && open) {
      open.to = m.createdAt;
      open = undefined;
    }
  }
  return waits;
}

/** Minutes from the customer's first message to the first visible agent reply; undefined when either is missing. */
export function firstReplyMinutes(messages: Message[]): number | undefined {
  const first = customerWaits(messages)[0];
  return first?.to === undefined ? undefined : (first.to - first.from) / 60_000;
}

/** The chat's oldest messages (up to 100): HelpCrunch lists newest first, so a long chat takes a second request. */
export async function oldestMessages(
  client: HelpCrunchApi,
  chatId: number,
  opts: CallOptions,
): Promise<{ messages: Message[]; requests: number }> {
  const newest = await client.listChatMessages(chatId, { offset: 0, limit: PAGE }, opts);
  if (newest.total <= PAGE) return { messages: newest.data, requests: 1 };
  return { messages: (await client.listChatMessages(chatId, { offset: newest.total - PAGE, limit: PAGE }, opts)).data, requests: 2 };
}

/** `count` items spread evenly over `items` (all of them when there are fewer). */
export function evenSample<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)] as T);
}
