/** Plain-fetch helpers for the sandbox tests: no client code in between, so the wire format is what is tested. */
import type { SandboxHandle } from "../../src/sandbox/index.js";

export type Json = Record<string, unknown> & {
  data?: Array<Record<string, unknown>>;
  meta?: { total: number };
  total?: number;
  errors?: Array<{ code: string; message: string }>;
};

export interface Answer {
  status: number;
  headers: Headers;
  json: Json;
}

/** One request with the sandbox's key (or `key`; null sends none); the body is sent as JSON. */
export async function call(
  sb: SandboxHandle,
  method: string,
  path: string,
  body?: unknown,
  key: string | null = sb.apiKey,
): Promise<Answer> {
  const headers: Record<string, string> = { accept: "application/json", "content-type": "application/json" };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${sb.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Json };
}

export const searchChats = (sb: SandboxHandle, filter: unknown, extra: Record<string, unknown> = {}) =>
  call(sb, "POST", "/chats/search", { filter, limit: 100, ...extra });

/** Error codes of an answer, in order. */
export const codes = (a: Answer) => a.json.errors?.map((e) => e.code);

/** Any of HelpCrunch's timestamp encodings → whole seconds. */
export const seconds = (v: unknown) => (v === null || v === undefined ? null : Math.floor(Number(v)));

export const sec = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

export const OPEN = ["new", "opened", "pending", "onhold"];
