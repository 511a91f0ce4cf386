/** Parameter schemas shared by the tools, each described once for the model. */
import { z } from "zod";
import { CHAT_STATUSES, WRITABLE_STATUSES } from "../client/index.js";

export const MAX_BULK = 50;

export const chatId = z.number().int().positive().describe("HelpCrunch chat id, e.g. 5215752 (from search_chats or triage_queue)");

export const chatIds = z
  .array(chatId)
  .min(1)
  .max(MAX_BULK)
  .describe(`1–${MAX_BULK} chat ids for a bulk change, e.g. [5215752, 5215760]; each chat gets its own result`);

const personRef = (what: string, example: string) =>
  z.union([z.number().int().positive(), z.string().trim().min(1).max(200)]).describe(`${what}: ${example}`);

export const agentRef = personRef("Agent id, email or full name (case-insensitive)", 'e.g. 12, "priya@acme.io" or "Priya Patel"');
export const departmentRef = personRef("Department id or name (case-insensitive)", 'e.g. 3 or "Billing"');
export const customerRef = personRef("Customer id or email", 'e.g. 4711 or "mike@example.com"');

export const chatStatus = z.enum(CHAT_STATUSES).describe("Chat status: new, opened, pending, onhold, no communication, closed, empty");
export const writableStatus = z
  .enum(WRITABLE_STATUSES)
  .describe("New status: new, opened, pending, onhold, no communication or closed");

export const timeSpec = (meaning: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(40)
    .describe(`${meaning}: ISO 8601 ("2026-11-25T09:00:00Z", "2026-11-25", UTC when no zone) or a duration ("30m", "2h", "3d", "1w")`);

export const limit = (max: number, fallback: number) =>
  z.number().int().min(1).max(max).default(fallback).describe(`How many to return, 1–${max} (default ${fallback})`);

export const offset = z.number().int().min(0).max(10_000).default(0).describe("Skip this many results (use next_offset from the previous page)");

export const dryRun = z
  .boolean()
  .default(false)
  .describe("true = validate, resolve names and return the exact request(s) without sending anything");
