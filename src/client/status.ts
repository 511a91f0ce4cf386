/**
 * Every decision about HelpCrunch chat status spelling and encoding lives here.
 *
 * The docs disagree (../shared/helpcrunch-api.md, "Status value in filters is uncertain"):
 * - reads show `onhold` and `on hold`, one example writes `open` and reads back `opened`;
 * - PUT /chats/status docs show `on hold` and `on-hold`;
 * - search filters are typed String, yet the newest example filters with numeric strings.
 * We normalise every read, send names by default (switchable to codes), and guard searches by
 * dropping chats whose status was not asked for, so a wrong guess yields fewer results, never wrong ones.
 */

export const CHAT_STATUSES = ["new", "opened", "pending", "onhold", "no communication", "closed", "empty"] as const;
export type ChatStatus = (typeof CHAT_STATUSES)[number];

/** `empty` is a read-only state HelpCrunch gives chats without messages. */
export const WRITABLE_STATUSES = ["new", "opened", "pending", "onhold", "no communication", "closed"] as const;
export type WritableStatus = (typeof WRITABLE_STATUSES)[number];

export type StatusFilterEncoding = "name" | "code";

/**
 * UNVERIFIED numeric codes (no HelpCrunch source maps numbers to statuses; this follows the model
 * page's order). Only used when HELPCRUNCH_STATUS_FILTER=code.
 */
const STATUS_CODES: Record<ChatStatus, string> = {
  new: "1",
  opened: "2",
  pending: "3",
  onhold: "4",
  closed: "5",
  "no communication": "6",
  empty: "7",
};

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
  if (lower in READ_ALIASES) return READ_ALIASES[lower] as ChatStatus;
  const byCode = Object.entries(STATUS_CODES).find(([, code]) => code === lower);
  return byCode ? byCode[0] : lower;
}

export function isKnownStatus(value: string): value is ChatStatus {
  return (CHAT_STATUSES as readonly string[]).includes(value);
}

/** The value to put in a `chats.status` search filter. */
export function encodeStatusFilter(status: ChatStatus, encoding: StatusFilterEncoding): string {
  return encoding === "code" ? STATUS_CODES[status] : status;
}

/**
 * Spellings to try, in order, for PUT /chats/status. Only on-hold is contested; the current English
 * docs say `on hold`, older ones `on-hold`, reads say `onhold`. `preferred` is the spelling that
 * worked last time in this process, tried first.
 */
export function statusWriteSpellings(status: WritableStatus, preferred?: string): string[] {
  if (status !== "onhold") return [status];
  const all = ["on hold", "onhold", "on-hold"];
  return preferred ? [preferred, ...all.filter((s) => s !== preferred)] : all;
}
