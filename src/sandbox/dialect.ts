/**
 * The API dialect a sandbox emulates (see SandboxDialect in types.ts): one encoding per contested
 * point, chosen by the caller, nothing else accepted.
 */
import { CHAT_SORTS } from "./search.js";
import { prng } from "./seed-data.js";
import { SANDBOX_STATUSES } from "./statuses.js";
import type { SandboxDialect, SandboxStatus } from "./types.js";

/** Names in filters, integer snooze times, `on hold` writes, every chat sort key in search (and honoured). */
export const DEFAULT_DIALECT: Readonly<SandboxDialect> = Object.freeze({
  statusFilter: "names",
  snoozedUntil: "integer",
  onHoldWrite: "on hold",
  searchSorts: Object.freeze(Object.keys(CHAT_SORTS)) as string[],
});

/**
 * A plausible numeric code table (the model page's order), for tests that want fixed codes. The
 * sandbox never uses it unless it is passed as `statusFilter: { codes: DOCS_STATUS_CODES }`.
 */
export const DOCS_STATUS_CODES: Readonly<Record<SandboxStatus, string>> = Object.freeze({
  new: "1",
  opened: "2",
  pending: "3",
  onhold: "4",
  closed: "5",
  "no communication": "6",
  empty: "7",
});

/**
 * A deterministic, seeded code table: 7 distinct codes drawn from "0".."7" (one of the eight is
 * left unused), so a client cannot pass by hard-coding any one guess.
 */
export function randomStatusCodes(seed: number): Record<SandboxStatus, string> {
  const random = prng(seed);
  const pool = ["0", "1", "2", "3", "4", "5", "6", "7"];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  return Object.fromEntries(SANDBOX_STATUSES.map((status, i) => [status, pool[i] as string])) as Record<SandboxStatus, string>;
}

/** A search sort name as stored in CHAT_SORTS ("lastMessageAt" → "chats.lastMessageAt"). */
export const chatSortKey = (name: string) => (name.includes(".") ? name : `chats.${name}`);

/** options.dialect over the defaults; a malformed dialect fails at start, not mid-test. */
export function resolveDialect(partial: Partial<SandboxDialect> = {}): SandboxDialect {
  const dialect: SandboxDialect = {
    statusFilter: partial.statusFilter ?? DEFAULT_DIALECT.statusFilter,
    snoozedUntil: partial.snoozedUntil ?? DEFAULT_DIALECT.snoozedUntil,
    onHoldWrite: partial.onHoldWrite ?? DEFAULT_DIALECT.onHoldWrite,
    searchSorts: [...(partial.searchSorts ?? DEFAULT_DIALECT.searchSorts)],
  };
  if (partial.ignoredSearchSorts) dialect.ignoredSearchSorts = [...partial.ignoredSearchSorts];
  if (dialect.statusFilter !== "names") {
    const codes = dialect.statusFilter.codes;
    const values = SANDBOX_STATUSES.map((s) => codes[s]);
    if (values.some((v) => typeof v !== "string") || new Set(values).size !== values.length) {
      throw new Error(`sandbox dialect: statusFilter.codes needs one distinct string per status, got ${JSON.stringify(codes)}`);
    }
    dialect.statusFilter = { codes: { ...codes } };
  }
  if (!["integer", "string", "either"].includes(dialect.snoozedUntil))
    throw new Error(`sandbox dialect: unknown snoozedUntil ${JSON.stringify(dialect.snoozedUntil)}`);
  if (!["onhold", "on hold", "on-hold"].includes(dialect.onHoldWrite))
    throw new Error(`sandbox dialect: unknown onHoldWrite ${JSON.stringify(dialect.onHoldWrite)}`);
  for (const option of ["searchSorts", "ignoredSearchSorts"] as const) {
    const unknown = (dialect[option] ?? []).filter((s) => !(chatSortKey(s) in CHAT_SORTS));
    if (unknown.length > 0) throw new Error(`sandbox dialect: unknown ${option} ${JSON.stringify(unknown)}`);
  }
  return dialect;
}
