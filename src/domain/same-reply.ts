/** When two replies are the same one: the duplicate guard and an edited approval both ask here. */

/** Who a message is for: the customer, or the team (a private note). */
export type Audience = "customer" | "private";

/** What makes two messages the same: chat, audience, and the text up to case, width and spacing. */
export function replyKey(chatId: number, audience: Audience, text: string): string {
  return `${chatId}\u0000${audience}\u0000${text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim()}`;
}
