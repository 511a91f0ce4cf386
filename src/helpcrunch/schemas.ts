/**
 * Liberal zod schemas for everything HelpCrunch returns.
 *
 * HelpCrunch's docs contradict themselves (see docs/helpcrunch-api.md and docs/helpcrunch-dialect.md): timestamps come as
 * integers, strings of seconds or strings with milliseconds; any field may be null or missing;
 * enums grow new values. These schemas accept all of that, ignore extra fields, and turn the
 * payload into one normalised domain shape. Nothing outside src/helpcrunch/ sees raw API JSON.
 */
import { z } from "zod";
import { normaliseStatus } from "./status.js";

/** Latest instant a JS Date can hold; anything beyond would break every formatter downstream. */
const MAX_EPOCH_MS = 8.64e15;
/**
 * Seconds beyond this (year 5138) can only be milliseconds sent by mistake: read them as such
 * rather than dating a chat 50 000 years ahead. A guess, kept here with the other quirks.
 */
const SECONDS_CEILING = 1e11;

/** Values degraded to null during the current `parseDegrading` call. */
let degraded: string[] | undefined;

/**
 * Runs a synchronous parse and returns, beside its result, the values it read as null because
 * they made no sense (one bad timestamp must cost that field, not the whole page). Zod parses
 * synchronously, so this dynamic scope cannot leak into another parse.
 */
export function parseDegrading<T>(parse: () => T): { result: T; degraded: string[] } {
  const outer = degraded;
  const mine: string[] = [];
  degraded = mine;
  try {
    return { result: parse(), degraded: mine };
  } finally {
    degraded = outer;
  }
}

/** UNIX seconds as number | "1603885746" | "1603864800.000" | null → epoch milliseconds; null when absent or unreadable. */
export const timestamp = z
  .unknown()
  .optional()
  .transform((value): number | null => {
    if (value === null || value === undefined || (typeof value === "string" && value.trim() === "")) return null;
    const seconds = typeof value === "number" ? value : typeof value === "string" ? Number(value.trim()) : Number.NaN;
    const ms = Math.abs(seconds) >= SECONDS_CEILING ? Math.round(seconds) : Math.round(seconds * 1000);
    if (!Number.isFinite(ms) || Math.abs(ms) > MAX_EPOCH_MS) {
      degraded?.push(`not a UNIX timestamp: ${String(JSON.stringify(value)).slice(0, 40)}`);
      return null;
    }
    return ms;
  });

/** Integer ids, sometimes sent as numeric strings; null/absent → null. */
const optionalId = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((v, ctx): number | null => {
    if (v === null || v === undefined || v === "") return null;
    const n = Number(v);
    if (!Number.isInteger(n)) {
      ctx.addIssue({ code: "custom", message: "not an integer id" });
      return z.NEVER;
    }
    return n;
  });
export const id = optionalId.refine((v): v is number => v !== null, "id is missing").transform((v) => v as number);
const text = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined ? null : String(v)));
const flag = z
  .union([z.boolean(), z.number(), z.string(), z.null()])
  .optional()
  .transform((v) => {
    if (v === null || v === undefined) return null;
    if (typeof v === "boolean") return v;
    if (typeof v === "number") return v !== 0;
    return v === "true" || v === "1";
  });

export const agentSchema = z.object({
  id,
  name: text,
  email: text,
  role: text, // agentChatOnly | agent | superviser (sic) | admin | anything new
});
export type Agent = z.infer<typeof agentSchema>;

export const departmentSchema = z.object({
  id,
  name: text,
  agents: z
    .array(agentSchema.partial({ name: true, email: true, role: true }))
    .nullish()
    .transform((v) => v ?? []),
});
export type Department = z.infer<typeof departmentSchema>;

export const applicationSchema = z.object({ id, name: text, type: text.optional().transform((v) => v ?? null) });
export type Application = z.infer<typeof applicationSchema>;

const customerRef = z.object({ id, name: text, email: text, userId: text.optional().transform((v) => v ?? null) });
export type CustomerRef = z.infer<typeof customerRef>;

const agentRef = z.object({
  id,
  name: text.optional().transform((v) => v ?? null),
  email: text.optional().transform((v) => v ?? null),
  role: text.optional().transform((v) => v ?? null),
});
export type AgentRef = z.infer<typeof agentRef>;

export const chatSchema = z.object({
  id,
  status: z
    .union([z.string(), z.number(), z.null()])
    .optional()
    .transform((v) => (v === null || v === undefined ? "unknown" : normaliseStatus(String(v)))),
  closedBy: text.optional().transform((v) => v ?? null),
  closedAt: timestamp,
  createdAt: timestamp,
  lastMessageAt: timestamp,
  lastCustomerMessageAt: timestamp,
  snoozedUntil: timestamp,
  rating: text.optional().transform((v) => v ?? null),
  createdWith: text.optional().transform((v) => v ?? null),
  readByAgent: flag,
  readByCustomer: flag,
  lastMessageText: text.optional().transform((v) => v ?? null),
  lastMessageId: optionalId,
  applicationId: optionalId,
  lastCommunicatedAgentId: optionalId,
  // One old doc version shows a single object instead of an array.
  agents: z
    .union([z.array(agentRef), agentRef, z.null()])
    .optional()
    .transform((v) => (v == null ? [] : Array.isArray(v) ? v : [v])),
  customer: customerRef.nullish().transform((v) => v ?? null),
  assignee: agentRef.nullish().transform((v) => v ?? null),
  department: z
    .object({ id, name: text.optional().transform((v) => v ?? null) })
    .nullish()
    .transform((v) => v ?? null),
});
export type Chat = z.infer<typeof chatSchema>;

export const messageSchema = z.object({
  id,
  text: text.optional().transform((v) => v ?? null),
  from: text.optional().transform((v) => v ?? null), // agent | customer | anything new
  type: text.optional().transform((v) => v ?? null), // message | private | tech | email | knowledgeBase | …
  agent: z
    .object({ id, name: text.optional().transform((v) => v ?? null) })
    .nullish()
    .transform((v) => v ?? null),
  read: flag,
  createdAt: timestamp,
  updatedAt: timestamp.optional().transform((v) => v ?? null),
  edited: flag,
  broadcastType: text.optional().transform((v) => v ?? null),
  chat: optionalId,
});
export type Message = z.infer<typeof messageSchema>;

/** GET /organization's answer, wrapped in `data` unlike other single objects. */
export const organizationEnvelope = z.object({
  data: z.object({
    teamOnline: z
      .boolean()
      .nullish()
      .transform((v) => v ?? null),
    chatEnabled: z
      .boolean()
      .nullish()
      .transform((v) => v ?? null),
  }),
});
export type Organization = z.infer<typeof organizationEnvelope>["data"];

/** A tag as customers carry it: `tagsData` (the customer pages) or `tags` (older answers), `[{name, color}]`. */
const tagList = z
  .array(z.object({ name: z.string() }).passthrough())
  .optional()
  .catch(() => {
    degraded?.push("tags: not a list of {name}");
    return undefined;
  });

/**
 * customData reads back as `{property: value}`; values are kept only when they are strings, numbers
 * or booleans (anything else is left out, not guessed at).
 */
const customData = z
  .record(z.string(), z.unknown())
  .optional()
  .catch(() => undefined)
  .transform((raw) =>
    Object.fromEntries(
      Object.entries(raw ?? {}).filter((entry): entry is [string, string | number | boolean] =>
        ["string", "number", "boolean"].includes(typeof entry[1]),
      ),
    ),
  );

export const customerSchema = z
  .object({
    id,
    name: text.optional().transform((v) => v ?? null),
    email: text.optional().transform((v) => v ?? null),
    userId: text.optional().transform((v) => v ?? null),
    company: text.optional().transform((v) => v ?? null),
    phone: text.optional().transform((v) => v ?? null),
    // The customer pages say createdAt; older answers say firstSeen.
    createdAt: timestamp.optional(),
    firstSeen: timestamp.optional(),
    lastSeen: timestamp.optional().transform((v) => v ?? null),
    tagsData: tagList,
    tags: tagList,
    customData,
  })
  .transform(({ createdAt, firstSeen, tagsData, tags, ...rest }) => ({
    ...rest,
    firstSeen: createdAt ?? firstSeen ?? null,
    tags: (tagsData ?? tags ?? []).map((t) => t.name),
  }));
export type Customer = z.infer<typeof customerSchema>;

/**
 * `{data, meta:{total}}`, `{data, total}`, `{messages, total}` or a bare array. A bare array is
 * wrapped first (not a union) so a bad item is reported with its path, e.g. data[3].createdAt.
 */
export function listEnvelope<T extends z.ZodType>(item: T) {
  const total = z.union([z.number(), z.string(), z.null()]).optional();
  return z.preprocess(
    (raw) => (Array.isArray(raw) ? { data: raw } : raw),
    z
      .object({
        data: z.array(item).optional(),
        messages: z.array(item).optional(),
        total,
        meta: z.object({ total }).nullish(),
      })
      .transform((env, ctx) => {
        const data = env.data ?? env.messages;
        if (!data) {
          ctx.addIssue({ code: "custom", message: "expected a `data` array", path: ["data"] });
          return z.NEVER;
        }
        const raw = env.meta?.total ?? env.total;
        const reported = raw === undefined || String(raw).trim() === "" ? Number.NaN : Number(raw);
        const totalReported = Number.isFinite(reported) && reported >= 0;
        return { data, total: totalReported ? reported : data.length, totalReported };
      }),
  );
}

/** One page of a list or search. `total` is what HelpCrunch reported for the whole result. */
export interface Page<T> {
  data: T[];
  total: number;
  /** Items HelpCrunch returned on this page before any client-side guard dropped some. */
  rawCount: number;
  /**
   * False when HelpCrunch sent no total (older list formats) and `total` is only this page's size:
   * paging must then continue until a short page. Absent means reported.
   */
  totalReported?: boolean;
}
