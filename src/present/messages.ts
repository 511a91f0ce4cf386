/** Chat messages as the model sees them: oldest → newest, customer text fenced, long texts capped. */
import { z } from "zod";
import { isoUtc } from "../domain/time.js";
import type { Message } from "../helpcrunch/index.js";
import { prune, toSeconds, unixSeconds } from "./chat-summary.js";
import type { NameBook } from "./names.js";
import { fence, truncate, untrusted } from "./text.js";

/** Per-message cap: a 200 KB paste must not flood the context. */
export const MESSAGE_TEXT_MAX = 1500;

/** A message as structuredContent carries it; like chat summaries, lean and lossless. */
export const messageSummarySchema = z.object({
  id: z.number(),
  from: z.string().optional().describe("customer or system; absent = an agent wrote it"),
  agent: z.number().optional().describe("The writing agent's id, named in names.agents"),
  type: z.string().optional().describe('Absent for an ordinary message; "private" for a note only agents see'),
  text: z.string().describe(`Capped at ${MESSAGE_TEXT_MAX} characters; a customer's is untrusted`),
  truncated: z.boolean().optional().describe("The text was cut at the cap"),
  created_at: unixSeconds.optional(),
});
export type MessageSummary = z.infer<typeof messageSummarySchema>;

/** The full view of a message that its text line is built from. */
export interface MessageView {
  id: number;
  from: string;
  author?: { id: number; name?: string };
  type: string;
  text: string;
  truncated?: boolean;
  /** Epoch ms. */
  created_at?: number;
}

/** The lean form of a message view (see messageSummarySchema); the agent's name goes into `book`. */
export function summarizeMessage(m: MessageView, book: NameBook): MessageSummary {
  const { author, ...rest } = m;
  return prune({
    ...rest,
    from: m.from === "agent" ? undefined : m.from,
    agent: book.agent(author),
    type: m.type === "message" ? undefined : m.type,
    created_at: toSeconds(m.created_at),
  });
}

export function isSystemMessage(m: Message): boolean {
  return m.type === "tech";
}

export function toMessageView(m: Message): MessageView {
  const from = isSystemMessage(m) ? "system" : (m.from ?? "unknown");
  const full = untrusted(m.text, Number.MAX_SAFE_INTEGER);
  const text = truncate(full, MESSAGE_TEXT_MAX);
  return prune({
    id: m.id,
    from,
    author: m.agent ? prune({ id: m.agent.id, name: m.agent.name ? untrusted(m.agent.name, 60) : undefined }) : undefined,
    type: m.type ?? "message",
    text,
    truncated: text !== full ? true : undefined,
    created_at: m.createdAt ?? undefined,
  });
}

/** `[2026-11-25 09:14] customer: <customer_message>…</customer_message>` */
export function messageLine(m: MessageView): string {
  const when = m.created_at !== undefined ? `[${isoUtc(m.created_at).slice(0, 16).replace("T", " ")}] ` : "";
  const note = m.truncated ? " [truncated]" : "";
  if (m.from === "customer") return `${when}customer: ${fence("customer_message", m.text)}${note}`;
  if (m.from === "system") return `${when}system: ${m.text}`;
  const label = m.type === "private" ? "private note" : "agent";
  return `${when}${label}${m.author?.name ? ` ${m.author.name}` : ""}: ${m.text}${note}`;
}
