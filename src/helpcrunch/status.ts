/**
 * HelpCrunch chat status names and how reads spell them.
 *
 * Reads show `onhold` and `on hold`, one example writes `open` and reads back `opened`: every read is
 * normalised here. What a search filter or a status write must send is not fixed by the docs; it is
 * learned per account in dialect.ts.
 */

export const CHAT_STATUSES = ["new", "opened", "pending", "onhold", "no communication", "closed", "empty"] as const;
export type ChatStatus = (typeof CHAT_STATUSES)[number];

/** `empty` is a read-only state HelpCrunch gives chats without messages. */
export const WRITABLE_STATUSES = ["new", "opened", "pending", "onhold", "no communication", "closed"] as const;
export type WritableStatus = (typeof WRITABLE_STATUSES)[number];

/** How `chats.status` search filters are written: names, numeric codes, or learned from the account. */
export type StatusFilterSetting = "name" | "code" | "auto";

/** The on-hold spellings HelpCrunch's pages show for PUT /chats/status, in the order they are tried. */
export const ON_HOLD_SPELLINGS = ["on hold", "onhold", "on-hold"] as const;

const READ_ALIASES: Record<string, ChatStatus> = {
  open: "opened",
  "on hold": "onhold",
  "on-hold": "onhold",
  on_hold: "onhold",
  "no-communication": "no communication",
  no_communication: "no communication",
};

/** Lower-cases and maps known spellings to one name; unknown values are kept (lower-cased) as they are. */
export function normaliseStatus(raw: string): string {
  const lower = raw.trim().toLowerCase().replace(/\s+/g, " ");
  return READ_ALIASES[lower] ?? lower;
}

export function isKnownStatus(value: string): value is ChatStatus {
  return (CHAT_STATUSES as readonly string[]).includes(value);
}
