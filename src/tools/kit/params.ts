/** Parameter schemas shared by the tools, each described once for the model. */
import { z } from "zod";
import { CHAT_STATUSES, WRITABLE_STATUSES } from "../../helpcrunch/index.js";

export const MAX_BULK = 50;

/**
 * A whole number. zod's .int() publishes ±2^53 bounds in the JSON Schema, about 20 tokens per
 * field in every conversation's tools/list; multipleOf(1) validates the same for our ranges.
 */
export const integer = () => z.number().multipleOf(1);

/**
 * A HelpCrunch id: a positive whole number that a JSON number holds exactly. 1e308 passes
 * multipleOf(1) but is no id; checked by refine, which costs nothing in the published schema.
 */
export const positiveId = () => integer().min(1).refine(Number.isSafeInteger, "must be a whole number up to 9007199254740991");
const isId = (n: number) => Number.isSafeInteger(n) && n > 0;

export const chatId = positiveId().describe("Chat id (from search_chats or triage_queue)");

export const chatIds = z.array(chatId).min(1).max(MAX_BULK).describe("Several chat ids instead of chat_id; each gets its own result");

// Ids, emails and names all go through the resolver, which rejects anything it cannot match.
const personRef = (what: string, example: string) =>
  z.union([z.number().refine(isId, "ids are positive whole numbers"), z.string().trim().min(1).max(200)]).describe(`${what}, ${example}`);

export const agentRef = personRef("Agent id, email or full name", 'e.g. "Priya Patel"');
export const departmentRef = personRef("Department id or name", 'e.g. "Billing"');
export const customerRef = personRef("Customer id or email", 'e.g. "mike@example.com"');
export const customerLookup = personRef("Customer id, email, or your product's userId", 'e.g. "mike@example.com"');
export const customerId = positiveId().describe("Customer id (from search_customers or a chat)");

/** A customer as the tools take one: an id (a number or digits), else an email. */
export type CustomerKey = { id: number } | { email: string };

/**
 * The one reading of a customerRef argument. A function, not a zod transform: tools/call arguments
 * are parsed twice (by the SDK, then by Tool.run for internal callers), and a transform is not.
 */
export function customerKey(ref: number | string): CustomerKey {
  const text = String(ref).trim();
  return /^\d+$/.test(text) ? { id: Number(text) } : { email: text };
}

export const chatStatus = z.enum(CHAT_STATUSES);
export const writableStatus = z.enum(WRITABLE_STATUSES).describe("New status");

export const timeSpec = (meaning: string) =>
  z.string().trim().min(1).max(40).describe(`${meaning}: ISO 8601 (UTC if no zone) or a duration like "2h", "3d"`);

export const limit = (max: number, fallback: number) => integer().min(1).max(max).default(fallback).describe("Max results");

export const offset = integer().min(0).max(10_000).default(0).describe("next_offset of the previous page");

export const dryRun = z.boolean().default(false).describe("Return the exact request(s) without sending");

/** Longest message text accepted (send_message, create_chat). */
export const MESSAGE_MAX = 10_000;

/**
 * Characters a tag may not hold: line breaks and other controls, invisible and bidi-control characters
 * (an override or isolate makes a tag read differently than it is written), and < and > (fence text
 * such as </customer_data>, or markup). A tag is written to HelpCrunch for every agent to see and read
 * back into every model's context: refused, not cleaned, so what is written is what was asked for.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's job
const UNSAFE_IN_TAG = /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF<>]/;

/** A tag name (tag_customer), trimmed. */
export const tagName = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .refine((tag) => !UNSAFE_IN_TAG.test(tag), "a tag cannot hold line breaks, control or invisible characters, or < and >");
