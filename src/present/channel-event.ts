/**
 * What a Claude Code channel event says (src/mcp/channel.ts sends it): a customer's new message,
 * fenced and sanitised like every output, or a reply target that has just passed, each with where
 * the chat stands (assignee, department); the ids a session acts on go in `meta`, not in the text.
 * The sender applies pseudonyms (HELPCRUNCH_REDACT) to the text, as it does to every result.
 */
import { isAwaitingReply } from "../domain/conversation.js";
import { type SlaPolicy, slaPhrase } from "../domain/sla.js";
import type { Chat } from "../helpcrunch/index.js";
import { type ChatView, toChatView } from "./chat-summary.js";
import { fence, untrusted } from "./text.js";

export interface ChannelEvent {
  content: string;
  meta: Record<string, string>;
}

/** Characters of the customer's message an event quotes: more than a summary's preview, as the event is read alone. */
const QUOTED_MAX = 300;

/** The event for a customer's new message, or undefined when the chat does not await a reply from them. */
export function customerMessageEvent(chat: Chat, now: number, sla: SlaPolicy): ChannelEvent | undefined {
  if (!isAwaitingReply(chat)) return undefined;
  const view = toChatView(chat, now, sla);
  const who = view.customer?.name ? fence("customer_name", view.customer.name) : `customer ${view.customer?.id ?? "unknown"}`;
  const text = fence("customer_message", untrusted(chat.lastMessageText, QUOTED_MAX));
  return chatEvent(`New customer message in chat #${chat.id} from ${who} (${placeOf(view)}): ${text}`, view, "customer_message");
}

/** The event for a chat whose reply target has passed, or undefined when it has not (or no target is set). */
export function slaBreachEvent(chat: Chat, now: number, sla: SlaPolicy): ChannelEvent | undefined {
  const view = toChatView(chat, now, sla);
  if (view.sla?.state !== "breached") return undefined;
  return chatEvent(`Reply target passed in chat #${chat.id}: ${slaPhrase(view.sla)} (${placeOf(view)}).`, view, "sla_breach");
}

/** The one event that stands for those a minute's limit held back. */
export const heldBackEvent = (held: number): ChannelEvent => ({
  content: `${held} more customer messages or passed reply targets in the last minute; call triage_queue to see them.`,
  meta: { kind: "summary" },
});

/** "assigned to Priya, Billing" or "unassigned". */
const placeOf = (view: ChatView) =>
  [view.assignee ? `assigned to ${view.assignee.name ?? `agent ${view.assignee.id}`}` : "unassigned", view.department?.name]
    .filter(Boolean)
    .join(", ");

function chatEvent(content: string, view: ChatView, kind: string): ChannelEvent {
  const meta: Record<string, string> = { chat_id: String(view.id), kind };
  if (view.customer) meta.customer_id = String(view.customer.id);
  return { content, meta };
}
