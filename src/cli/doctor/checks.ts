/**
 * `helpcrunch-mcp doctor`: a read-only check of a real account with the user's key. It calls every
 * read endpoint the tools use, records how each answered (status, envelope, timestamp encodings,
 * rate-limit headers, latency) and what the client learned about the account's dialect. It never
 * writes: status and sort learning use searches, and write encodings are reported as "learned on
 * the first write" (they can only be learned from a refused write). The whole check has a deadline:
 * a hanging API or a long Retry-After must not keep a person waiting in silence, so each check is
 * reported as it ends and those the deadline cut off are reported as timed out.
 */

import { OPEN_STATUSES } from "../../domain/conversation.js";
import {
  type CallOptions,
  type Chat,
  type ClientOptions,
  createClient,
  type DialectReport,
  type Exchange,
  type HelpCrunchClient,
  type Organization,
} from "../../helpcrunch/index.js";
import { redact } from "../../redact.js";
import type { KnowledgeStatus } from "../../services/knowledge/index.js";
import { type LiveQueueReport, type LiveQueueSettings, liveQueueReport } from "./mirror-report.js";

export interface EndpointCheck {
  /** e.g. "GET /chats/{id}". */
  endpoint: string;
  /** What the tools use it for. */
  usedFor: string;
  ok: boolean;
  /** Needed by some tool; an optional endpoint failing is reported but does not fail the check. */
  required: boolean;
  status?: number;
  ms?: number;
  /** e.g. "{data, meta.total}", "bare array", "object". */
  envelope?: string;
  error?: string;
  /** The doctor's deadline passed before this check ended (or started). */
  timedOut?: boolean;
}

export interface DoctorReport {
  ok: boolean;
  /** With any credentials in it redacted. */
  baseUrl: string;
  /** The deadline of the whole check. */
  timeoutSeconds: number;
  endpoints: EndpointCheck[];
  /** Encodings seen in timestamp fields: "integer", "string of seconds", "string with milliseconds". */
  timestampEncodings: string[];
  /** Rate-limit related headers seen (names and last values). */
  rateLimitHeaders: Record<string, string>;
  dialect: DialectReport;
  /** Whether an agent is online and the chat widget is on (GET /organization); absent when it did not answer. */
  team?: Organization;
  /** Where the live queue's mirror lives and how far it is seeded; absent when not asked for. */
  liveQueue?: LiveQueueReport;
  /** Problems the tools would hit, one sentence each. */
  problems: string[];
  /** search_knowledge's sources, when configured (added by the CLI after the endpoint checks). */
  knowledge?: KnowledgeStatus;
}

interface Step {
  endpoint: string;
  usedFor: string;
  required?: boolean;
  run: (client: HelpCrunchClient, opts: CallOptions) => Promise<unknown>;
}

export interface DoctorRun {
  /** How long the whole check may take. */
  timeoutSeconds: number;
  /** Told about each check as soon as it ends or times out, in order. */
  onCheck?: (check: EndpointCheck) => void;
  /** The live queue's settings: the report then says where its mirror lives and how far it is seeded. */
  liveQueue?: LiveQueueSettings;
}

export async function runDoctor(options: ClientOptions, run: DoctorRun): Promise<DoctorReport> {
  const exchanges: Exchange[] = [];
  const client = createClient({ ...options, maxRetries: 1, observe: (e) => exchanges.push(e) });
  const endpoints: EndpointCheck[] = [];
  let sample: Chat | undefined;
  let team: Organization | undefined;
  const steps: Step[] = [
    { endpoint: "GET /agents", usedFor: "names of agents (assign_chat, send_message, list_agents)", run: (c, o) => c.listAgents(o) },
    {
      endpoint: "GET /departments",
      usedFor: "department names (set_chat_department, list_departments)",
      run: (c, o) => c.listDepartments(o),
    },
    {
      endpoint: "GET /applications",
      usedFor: "create_chat without application_id",
      required: false,
      run: (c, o) => c.listApplications(o),
    },
    {
      endpoint: "GET /chats",
      usedFor: "search_chats without filters; ground truth for the status filter",
      run: async (c, o) => {
        sample = (await c.listChats({ limit: 100, sort: "chats.lastMessageAt", order: "desc" }, o)).data.find(
          (chat) => chat.customer?.id != null,
        );
      },
    },
    {
      endpoint: "POST /chats/search",
      usedFor: "search_chats, triage_queue",
      // One page oldest-first: it also learns whether search keeps the order triage's exact top needs.
      run: (c, o) =>
        c.scanOrdered(
          { statuses: [...OPEN_STATUSES] },
          { orders: ["lastCustomerMessage"], enough: () => true, readAllUpTo: 0, maxUnordered: 100 },
          o,
        ),
    },
    {
      endpoint: "GET /chats/{id}",
      usedFor: "get_chat, every chat write",
      run: (c, o) => (sample ? c.getChat(sample.id, o) : skip("no chat to read")),
    },
    {
      endpoint: "GET /chats/{id}/messages",
      usedFor: "get_chat, list_chat_messages",
      run: (c, o) => (sample ? c.listChatMessages(sample.id, { limit: 5 }, o) : skip("no chat to read")),
    },
    {
      endpoint: "GET /customers/{id}",
      usedFor: "search_customers by id",
      run: (c, o) => (sample?.customer ? c.getCustomer(sample.customer.id, o) : skip("no customer to read")),
    },
    {
      endpoint: "POST /customers/search",
      usedFor: "search_customers, create_chat by email",
      run: (c, o) => c.findCustomers(sample?.customer?.email ?? "doctor-check@example.invalid", 1, o),
    },
    {
      endpoint: "GET /organization",
      usedFor: "team availability in triage_queue",
      required: false,
      run: async (c, o) => {
        team = await c.getOrganization(o);
      },
    },
  ];
  const timeoutMs = run.timeoutSeconds * 1000;
  const deadline = AbortSignal.timeout(timeoutMs);
  // The deadline also reaches every request: a wait for Retry-After or the rate limit that would end past it fails at once.
  const opts: CallOptions = { signal: deadline, deadline: Date.now() + timeoutMs };
  try {
    for (const step of steps) {
      const result = await check(step, client, exchanges, opts, deadline, run.timeoutSeconds);
      endpoints.push(result);
      run.onCheck?.(result);
    }
  } finally {
    await client.close();
  }
  const dialect = client.dialect();
  const liveQueue = run.liveQueue && (await liveQueueReport(run.liveQueue));
  const unfinished = endpoints.filter((e) => e.timedOut);
  const problems = [
    ...(unfinished.length ? [deadlineProblem(unfinished, run.timeoutSeconds)] : []),
    ...endpoints.filter((e) => !e.ok && e.required && !e.timedOut).map((e) => `${e.endpoint} failed: ${e.error}`),
    // Learning that the deadline cut short says nothing about the account.
    ...(unfinished.length ? [] : statusFilterProblems(dialect)),
  ];
  return {
    ok: problems.length === 0,
    baseUrl: redact(options.baseUrl),
    timeoutSeconds: run.timeoutSeconds,
    endpoints,
    timestampEncodings: timestampEncodings(exchanges),
    rateLimitHeaders: rateLimitHeaders(exchanges),
    dialect,
    ...(team ? { team } : {}),
    ...(liveQueue ? { liveQueue } : {}),
    problems,
  };
}

class Skipped extends Error {}
const skip = (why: string): Promise<never> => Promise.reject(new Skipped(why));

async function check(
  step: Step,
  client: HelpCrunchClient,
  exchanges: Exchange[],
  opts: CallOptions,
  deadline: AbortSignal,
  timeoutSeconds: number,
): Promise<EndpointCheck> {
  const required = step.required ?? true;
  const before = exchanges.length;
  const base = { endpoint: step.endpoint, usedFor: step.usedFor, required };
  const timedOut = (what: string): EndpointCheck => ({
    ...base,
    ok: false,
    timedOut: true,
    error: `timed out: ${what} ${timeoutSeconds} s deadline`,
  });
  if (deadline.aborted) return timedOut("not started before the");
  try {
    await untilAborted(step.run(client, opts), deadline);
  } catch (error) {
    if (deadline.aborted) return timedOut("no answer before the");
    if (error instanceof Skipped) return { ...base, ok: true, error: `not checked: ${error.message}` };
    const last = exchanges.at(-1);
    return { ...base, ok: false, status: last?.status, error: error instanceof Error ? error.message : String(error) };
  }
  // The step's own request is the last one to its endpoint (learning probes may come first).
  const own = exchanges.slice(before).filter((e) => `${e.method} ${templatePath(e.path)}` === step.endpoint);
  const last = own.at(-1) ?? exchanges.at(-1);
  return { ...base, ok: true, status: last?.status, ms: last ? Math.round(last.ms) : undefined, envelope: envelopeOf(last?.json) };
}

/**
 * Settles with `work`, or rejects as soon as `signal` aborts: learning probes cannot be handed the
 * signal, and a check must end at the deadline all the same.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => {}); // lost to the deadline, its failure is no one's to handle
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function deadlineProblem(unfinished: EndpointCheck[], timeoutSeconds: number): string {
  const count = unfinished.length === 1 ? "1 check" : `${unfinished.length} checks`;
  return `Stopped at the ${timeoutSeconds} s deadline: ${count} did not finish (${unfinished.map((e) => e.endpoint).join(", ")}); HelpCrunch answered too slowly or asked to wait. Run again later, or allow longer with --timeout.`;
}

/** "/chats/123/messages" → "/chats/{id}/messages". */
function templatePath(path: string): string {
  return path.replace(/\/\d+(?=\/|$)/g, "/{id}");
}

function envelopeOf(json: unknown): string {
  if (Array.isArray(json)) return "bare array";
  if (typeof json !== "object" || json === null) return "not JSON";
  const body = json as Record<string, unknown>;
  const list = "data" in body ? "data" : "messages" in body ? "messages" : undefined;
  if (!list) return "object";
  const meta = body.meta as Record<string, unknown> | undefined;
  const total = meta && "total" in meta ? "meta.total" : "total" in body ? "total" : "no total";
  return `{${list}, ${total}}`;
}

const TIMESTAMP_FIELDS = new Set([
  "createdAt",
  "lastMessageAt",
  "lastCustomerMessageAt",
  "closedAt",
  "snoozedUntil",
  "updatedAt",
  "lastSeen",
  "firstSeen",
]);

function timestampEncodings(exchanges: Exchange[]): string[] {
  const seen = new Set<string>();
  const visit = (value: unknown, key?: string): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) visit(v, k);
      return;
    }
    if (key === undefined || !TIMESTAMP_FIELDS.has(key) || value === null) return;
    if (typeof value === "number") seen.add("integer");
    else if (typeof value === "string" && /^\d+$/.test(value)) seen.add("string of seconds");
    else if (typeof value === "string" && /^\d+\.\d+$/.test(value)) seen.add("string with milliseconds");
    else seen.add(`other (${JSON.stringify(value).slice(0, 30)})`);
  };
  for (const e of exchanges) visit(e.json);
  return [...seen].sort();
}

function rateLimitHeaders(exchanges: Exchange[]): Record<string, string> {
  const found: Record<string, string> = {};
  for (const e of exchanges) {
    for (const [name, value] of Object.entries(e.headers)) {
      if (/ratelimit|rate-limit|retry-after/i.test(name) && value !== undefined) found[name.toLowerCase()] = String(value);
    }
  }
  return found;
}

function statusFilterProblems(dialect: DialectReport): string[] {
  const { encoding, evidence } = dialect.statusFilter;
  const sawChats = !evidence.some((line) => line.includes("no chats yet"));
  if (encoding !== "unknown" || !sawChats) return [];
  return [
    "Status filters: neither names nor numeric codes 0–7 found this account's chats; status searches and triage_queue may come back empty.",
  ];
}
