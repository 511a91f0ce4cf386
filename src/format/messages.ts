/** Chat messages as the model sees them: oldest → newest, customer text fenced, long texts capped. */
import { z } from "zod";
import type { Message } from "../client/index.js";
import { prune } from "./chat-summary.js";
import { fence, truncate, untrusted } from "./text.js";
import { isoOrUndefined } from "./time.js";

/** Per-message cap: a 200 KB paste must not flood the context. */
export const MESSAGE_TEXT_MAX = 1500;

export const messageSummarySchema = z.object({
  id: z.number(),
  from: z.string(),
  author: z.string().optional(),
  type: z.string(),
  text: z.string(),
  truncated: z.boolean().optional(),
  created_at: z.string().optional(),
});
export type MessageSummary = z.infer<typeof messageSummarySchema>;

export function isSystemMessage(m: Message): boolean {
  return m.type === "tech";
}

export function toMessageSummary(m: Message): MessageSummary {
  const from = isSystemMessage(m) ? "system" : (m.from ?? "unknown");
  const full = untrusted(m.text, Number.MAX_SAFE_INTEGER);
  const text = truncate(full, MESSAGE_TEXT_MAX);
  return prune({
    id: m.id,
    from,
    author: m.agent?.name ? untrusted(m.agent.name, 60) : undefined,
    type: m.type ?? "message",
    text,
    truncated: text !== full ? true : undefined,
    created_at: isoOrUndefined(m.createdAt),
  });
}

/** `[2026-11-25 09:14] customer: <customer_message>…</customer_message>` */
export function messageLine(m: MessageSummary): string {
  const when = m.created_at ? `[${m.created_at.slice(0, 16).replace("T", " ")}] ` : "";
  const note = m.truncated ? " [truncated]" : "";
  if (m.from === "customer") return `${when}customer: ${fence("customer_message", m.text)}${note}`;
  if (m.from === "system") return `${when}system: ${m.text}`;
  const label = m.type === "private" ? "private note" : "agent";
  return `${when}${label}${m.author ? ` ${m.author}` : ""}: ${m.text}${note}`;
}
