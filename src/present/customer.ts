/**
 * A customer's profile, for get_customer and tag_customer: one compact text block and lean
 * structuredContent from one view. Names, emails, phones, companies, tags and custom data are
 * customer-written (tags are typed by agents, but read back like everything else from HelpCrunch):
 * cleaned, capped and, in text, fenced.
 */
import { z } from "zod";
import { humanDuration, isoUtc } from "../domain/time.js";
import type { Customer } from "../helpcrunch/index.js";
import { prune, toSeconds, unixSeconds } from "./chat-summary.js";
import { fence, tagList, untrusted } from "./text.js";

/** Custom data shown per customer, and the length of each value: a profile, not a data dump. */
export const CUSTOM_DATA_KEYS = 20;
const CUSTOM_VALUE_MAX = 100;
const TAGS_MAX = 30;

export const customerProfileSchema = z.object({
  id: z.number(),
  name: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  company: z.string().optional(),
  user_id: z.string().optional().describe("Your product's id for this customer"),
  tags: z.array(z.string()).optional(),
  custom_data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  custom_data_more: z.number().optional().describe("Custom data keys left out beyond the first 20"),
  created_at: unixSeconds.optional(),
  last_seen: unixSeconds.optional(),
});
export type CustomerProfile = z.infer<typeof customerProfileSchema>;

/** The lean, sanitised profile (structuredContent). */
export function customerProfile(c: Customer): CustomerProfile {
  const entries = Object.entries(c.customData ?? {});
  const shown = entries
    .slice(0, CUSTOM_DATA_KEYS)
    .map(([k, v]) => [untrusted(k, 40), typeof v === "string" ? untrusted(v, CUSTOM_VALUE_MAX) : v]);
  const tags = (c.tags ?? [])
    .slice(0, TAGS_MAX)
    .map((t) => untrusted(t, 40))
    .filter(Boolean);
  return prune({
    id: c.id,
    name: untrusted(c.name, 60) || undefined,
    email: untrusted(c.email, 80) || undefined,
    phone: untrusted(c.phone, 40) || undefined,
    company: untrusted(c.company, 80) || undefined,
    user_id: untrusted(c.userId, 60) || undefined,
    tags: tags.length ? tags : undefined,
    custom_data: shown.length ? Object.fromEntries(shown) : undefined,
    custom_data_more: entries.length > CUSTOM_DATA_KEYS ? entries.length - CUSTOM_DATA_KEYS : undefined,
    created_at: toSeconds(c.firstSeen ?? undefined),
    last_seen: toSeconds(c.lastSeen ?? undefined),
  });
}

/** `Customer 42: <customer_name>Mike Ross</customer_name> · <customer_data>mike@x.io</customer_data> · tags …` and the custom data. */
export function customerLines(p: CustomerProfile, now: number): string[] {
  const contact = [p.email, p.phone, p.company, p.user_id ? `userId ${p.user_id}` : undefined].filter(Boolean).join(" · ");
  const head = [
    `Customer ${p.id}: ${p.name ? fence("customer_name", p.name) : "(no name)"}`,
    contact ? fence("customer_data", contact) : undefined,
    p.tags ? `tags ${fence("customer_data", tagList(p.tags))}` : "no tags",
    p.created_at !== undefined ? `since ${isoUtc(p.created_at * 1000).slice(0, 10)}` : undefined,
    p.last_seen !== undefined ? `last seen ${humanDuration(now - p.last_seen * 1000)} ago` : undefined,
  ].filter(Boolean);
  const data = customDataText(p.custom_data ?? {});
  const more = p.custom_data_more ? ` (+${p.custom_data_more} more)` : "";
  return [head.join(" · "), ...(data ? [`Custom data: ${fence("customer_data", data)}${more}`] : [])];
}

/**
 * `plan=pro; seats=3`: how custom data reads in text. Values may hold "; " and "=" themselves, so
 * the line cannot be split back into pairs: privacy mode renders it again from the values it hid.
 */
export function customDataText(data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join("; ");
}
