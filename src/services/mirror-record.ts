/**
 * A chat as the live queue's mirror keeps it, in both stores: one compact string a chat, positional
 * fields in JSON (`[version,…fields,facets]`), times in seconds, agents by id. The same chat always
 * gives the same text, so two can be compared by their bodies (the Redis script does); the last
 * field is the chat's tally facets (src/domain/queue-tally.ts), so a store that removes or replaces
 * a record knows what to take off its counts without decoding it.
 */
import { tallyFacets } from "../domain/queue-tally.js";
import type { Chat } from "../helpcrunch/index.js";

/** Customer text kept per chat: twice what a summary shows (PREVIEW_MAX 120, names 60), so the shown text is the same. */
const TEXT_KEPT = 240;
const NAME_KEPT = 120;

const trim = (text: string | null, max: number) => (text !== null && text.length > max ? text.slice(0, max) : text);

/**
 * A chat as the mirror keeps it: what the queue ranks, counts and shows (status, times, who, the
 * preview), text trimmed to what a summary can show, agents by id. Everything else (customer's
 * userId, agents' emails, the closing fields of an open chat) is read from the API when a tool needs it.
 */
export function queueChat(chat: Chat): Chat {
  return {
    ...chat,
    lastMessageText: trim(chat.lastMessageText, TEXT_KEPT),
    agents: chat.agents.map((agent) => ({ id: agent.id, name: null, email: null, role: null })),
    customer: chat.customer && {
      ...chat.customer,
      name: trim(chat.customer.name, NAME_KEPT),
      email: trim(chat.customer.email, NAME_KEPT),
      userId: null,
    },
    assignee: chat.assignee && { id: chat.assignee.id, name: trim(chat.assignee.name, NAME_KEPT), email: null, role: null },
    department: chat.department && { id: chat.department.id, name: trim(chat.department.name, NAME_KEPT) },
  };
}

/** How one field of a chat is written in a record (JSON, short) and read back. */
interface Codec<T> {
  encode(value: T): unknown;
  decode(value: unknown): T;
}

const asIs = <T>(): Codec<T> => ({ encode: (value) => value, decode: (value) => value as T });
/** Epoch ms as seconds (HelpCrunch's times are whole seconds; a fraction keeps the rest); null as 0. */
const time: Codec<number | null> = {
  encode: (ms) => (ms === null ? 0 : ms / 1000),
  decode: (value) => (typeof value === "number" && value !== 0 ? Math.round(value * 1000) : null),
};
const text: Codec<string | null> = { encode: (value) => value ?? 0, decode: (value) => (typeof value === "string" ? value : null) };
const flag: Codec<boolean | null> = {
  encode: (value) => (value === null ? -1 : value ? 1 : 0),
  decode: (value) => (value === -1 ? null : value === 1),
};
/** HelpCrunch ids start at 1, so 0 stands for none. */
const optionalId: Codec<number | null> = {
  encode: (id) => id ?? 0,
  decode: (value) => (typeof value === "number" && value !== 0 ? value : null),
};
/** `[id, name]`, or 0 for none; what queueChat keeps of an assignee or a department. */
const ref = <T extends { id: number; name: string | null }>(read: (id: number, name: string | null) => T): Codec<T | null> => ({
  encode: (r) => (r ? [r.id, text.encode(r.name)] : 0),
  decode: (value) => (Array.isArray(value) ? read(value[0] as number, text.decode(value[1])) : null),
});

type Fields = { [K in keyof Chat]: Codec<Chat[K]> };

/**
 * The record's layout, one entry a field of Chat (the type makes it complete): the order of the
 * keys is the order of the fields in a record, after its version. Records already stored (in Redis,
 * by older replicas) are read with it, so a field is only ever appended, before the facets.
 */
const FIELDS: Fields = {
  id: asIs(),
  status: asIs(),
  createdAt: time,
  lastMessageAt: time,
  lastCustomerMessageAt: time,
  snoozedUntil: time,
  readByAgent: flag,
  readByCustomer: flag,
  assignee: ref((id, name) => ({ id, name, email: null, role: null })),
  department: ref((id, name) => ({ id, name })),
  customer: {
    encode: (c) => (c ? [c.id, text.encode(c.name), text.encode(c.email)] : 0),
    decode: (v) => (Array.isArray(v) ? { id: v[0] as number, name: text.decode(v[1]), email: text.decode(v[2]), userId: null } : null),
  },
  lastMessageText: text,
  agents: {
    encode: (agents) => agents.map((agent) => agent.id),
    decode: (ids) => (Array.isArray(ids) ? (ids as number[]) : []).map((id) => ({ id, name: null, email: null, role: null })),
  },
  lastCommunicatedAgentId: optionalId,
  lastMessageId: optionalId,
  applicationId: optionalId,
  rating: text,
  createdWith: text,
  closedAt: time,
  closedBy: text,
};
/** FIELDS as a list, for the loops below (each codec reads and writes its own field's type). */
const LAYOUT = Object.entries(FIELDS) as Array<[keyof Chat, Codec<unknown>]>;

/** Every field already in place, in the record's order: filling a copy decodes about a fifth faster than adding twenty properties one by one. */
const BLANK = Object.fromEntries(LAYOUT.map(([name]) => [name, null])) as Record<keyof Chat, unknown>;

/**
 * A chat (as queueChat keeps it) as the fields of its record, without brackets or version: the
 * same chat always gives the same text, so the script can compare two by their bodies.
 */
export function encodeChat(chat: Chat): string {
  const c = queueChat(chat);
  const fields: unknown[] = [];
  for (const [name, codec] of LAYOUT) fields.push(codec.encode(c[name]));
  fields.push(facetsField(c));
  return JSON.stringify(fields).slice(1, -1);
}

/** A record (`[version,…fields]`) back to the chat queueChat kept. */
export function decodeChat(record: string): { chat: Chat; version: number } {
  const f = JSON.parse(record) as unknown[];
  const chat: Record<keyof Chat, unknown> = { ...BLANK };
  let index = 1;
  for (const [name, codec] of LAYOUT) chat[name] = codec.decode(f[index++]);
  return { version: f[0] as number, chat: chat as Chat };
}

/** The facets field: ALL first, so a record without one (written before facets were kept) is told apart. */
const facetsField = (chat: Chat) => tallyFacets(chat).join("|");

/** A record's facets (its last field), without decoding the rest. */
export function recordFacets(record: string): string[] {
  const match = /,"(n(?:\|[^"|]*)*)"\]$/.exec(record);
  return match?.[1] ? match[1].split("|") : [];
}

/** A record's version (its first field), without decoding the rest. */
export const recordVersion = (record: string): number => Number(record.slice(1, record.indexOf(",")));
