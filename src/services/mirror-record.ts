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

type Ref = [number, string | 0];

/** Epoch ms → seconds (HelpCrunch's times are whole seconds; a fraction keeps the rest); null → 0. */
const time = (ms: number | null) => (ms === null ? 0 : ms / 1000);
const untime = (value: unknown) => (typeof value === "number" && value !== 0 ? Math.round(value * 1000) : null);
const str = (value: string | null): string | 0 => value ?? 0;
const unstr = (value: unknown) => (typeof value === "string" ? value : null);
const flag = (value: boolean | null) => (value === null ? -1 : value ? 1 : 0);
const unflag = (value: unknown) => (value === -1 ? null : value === 1);
const num = (value: unknown) => (typeof value === "number" && value !== 0 ? value : null);

/**
 * A chat (as queueChat keeps it) as the fields of its record, without brackets or version: the
 * same chat always gives the same text, so the script can compare two by their bodies.
 */
export function encodeChat(chat: Chat): string {
  const c = queueChat(chat);
  const ref = (r: { id: number; name: string | null } | null): Ref | 0 => (r ? [r.id, str(r.name)] : 0);
  const fields = [
    c.id,
    c.status,
    time(c.createdAt),
    time(c.lastMessageAt),
    time(c.lastCustomerMessageAt),
    time(c.snoozedUntil),
    flag(c.readByAgent),
    flag(c.readByCustomer),
    ref(c.assignee),
    ref(c.department),
    c.customer ? [c.customer.id, str(c.customer.name), str(c.customer.email)] : 0,
    str(c.lastMessageText),
    c.agents.map((agent) => agent.id),
    c.lastCommunicatedAgentId ?? 0,
    c.lastMessageId ?? 0,
    c.applicationId ?? 0,
    str(c.rating),
    str(c.createdWith),
    time(c.closedAt),
    str(c.closedBy),
    facetsField(c),
  ];
  return JSON.stringify(fields).slice(1, -1);
}

/** A record (`[version,…fields]`) back to the chat queueChat kept. */
export function decodeChat(record: string): { chat: Chat; version: number } {
  const f = JSON.parse(record) as unknown[];
  const ref = (value: unknown) => (Array.isArray(value) ? { id: value[0] as number, name: unstr(value[1]) } : null);
  const customer = f[11];
  const assignee = ref(f[9]);
  return {
    version: f[0] as number,
    chat: {
      id: f[1] as number,
      status: f[2] as string,
      createdAt: untime(f[3]),
      lastMessageAt: untime(f[4]),
      lastCustomerMessageAt: untime(f[5]),
      snoozedUntil: untime(f[6]),
      readByAgent: unflag(f[7]),
      readByCustomer: unflag(f[8]),
      assignee: assignee && { ...assignee, email: null, role: null },
      department: ref(f[10]),
      customer: Array.isArray(customer)
        ? { id: customer[0] as number, name: unstr(customer[1]), email: unstr(customer[2]), userId: null }
        : null,
      lastMessageText: unstr(f[12]),
      agents: (Array.isArray(f[13]) ? (f[13] as number[]) : []).map((id) => ({ id, name: null, email: null, role: null })),
      lastCommunicatedAgentId: num(f[14]),
      lastMessageId: num(f[15]),
      applicationId: num(f[16]),
      rating: unstr(f[17]),
      createdWith: unstr(f[18]),
      closedAt: untime(f[19]),
      closedBy: unstr(f[20]),
    },
  };
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
