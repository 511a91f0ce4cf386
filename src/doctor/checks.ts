/**
 * `helpcrunch-mcp doctor`: a read-only check of a real account with the user's key. It calls every
 * read endpoint the tools use, records how each answered (status, envelope, timestamp encodings,
 * rate-limit headers, latency) and what the client learned about the account's dialect. It never
 * writes: status and sort learning use searches, and write encodings are reported as "learned on
 * the first write" (they can only be learned from a refused write).
 */
import { type Chat, type ClientOptions, createClient, type DialectReport, type Exchange, type HelpCrunchClient } from "../client/index.js";
import { OPEN_STATUSES } from "../triage/rank.js";

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
}

export interface DoctorReport {
  ok: boolean;
  baseUrl: string;
  endpoints: EndpointCheck[];
  /** Encodings seen in timestamp fields: "integer", "string of seconds", "string with milliseconds". */
  timestampEncodings: string[];
  /** Rate-limit related headers seen (names and last values). */
  rateLimitHeaders: Record<string, string>;
  dialect: DialectReport;
  /** Problems the tools would hit, one sentence each. */
  problems: string[];
}

interface Step {
  endpoint: string;
  usedFor: string;
  required?: boolean;
  run: (client: HelpCrunchClient) => Promise<unknown>;
}

export async function runDoctor(options: ClientOptions): Promise<DoctorReport> {
  const exchanges: Exchange[] = [];
  const client = createClient({ ...options, maxRetries: 1, observe: (e) => exchanges.push(e) });
  const endpoints: EndpointCheck[] = [];
  let sample: Chat | undefined;
  const steps: Step[] = [
    { endpoint: "GET /agents", usedFor: "names of agents (assign_chat, send_message, list_agents)", run: (c) => c.listAgents() },
    { endpoint: "GET /departments", usedFor: "department names (set_chat_department, list_departments)", run: (c) => c.listDepartments() },
    { endpoint: "GET /applications", usedFor: "create_chat without application_id", required: false, run: (c) => c.listApplications() },
    {
      endpoint: "GET /chats",
      usedFor: "search_chats without filters; ground truth for the status filter",
      run: async (c) => {
        sample = (await c.listChats({ limit: 100, sort: "chats.lastMessageAt", order: "desc" })).data.find(
          (chat) => chat.customer?.id != null,
        );
      },
    },
    { endpoint: "POST /chats/search", usedFor: "search_chats, triage_queue", run: (c) => c.scanChats({ statuses: [...OPEN_STATUSES] }) },
    {
      endpoint: "GET /chats/{id}",
      usedFor: "get_chat, every chat write",
      run: (c) => (sample ? c.getChat(sample.id) : skip("no chat to read")),
    },
    {
      endpoint: "GET /chats/{id}/messages",
      usedFor: "get_chat, list_chat_messages",
      run: (c) => (sample ? c.listChatMessages(sample.id, { limit: 5 }) : skip("no chat to read")),
    },
    {
      endpoint: "GET /customers/{id}",
      usedFor: "search_customers by id",
      run: (c) => (sample?.customer ? c.getCustomer(sample.customer.id) : skip("no customer to read")),
    },
    {
      endpoint: "POST /customers/search",
      usedFor: "search_customers, create_chat by email",
      run: (c) => c.findCustomers(sample?.customer?.email ?? "doctor-check@example.invalid", 1),
    },
  ];
  try {
    for (const step of steps) endpoints.push(await check(step, client, exchanges));
  } finally {
    await client.close();
  }
  const dialect = client.dialect();
  const problems = [
    ...endpoints.filter((e) => !e.ok && e.required).map((e) => `${e.endpoint} failed: ${e.error}`),
    ...statusFilterProblems(dialect),
  ];
  return {
    ok: problems.length === 0,
    baseUrl: options.baseUrl,
    endpoints,
    timestampEncodings: timestampEncodings(exchanges),
    rateLimitHeaders: rateLimitHeaders(exchanges),
    dialect,
    problems,
  };
}

class Skipped extends Error {}
const skip = (why: string): Promise<never> => Promise.reject(new Skipped(why));

async function check(step: Step, client: HelpCrunchClient, exchanges: Exchange[]): Promise<EndpointCheck> {
  const required = step.required ?? true;
  const before = exchanges.length;
  const base = { endpoint: step.endpoint, usedFor: step.usedFor, required };
  try {
    await step.run(client);
  } catch (error) {
    if (error instanceof Skipped) return { ...base, ok: true, error: `not checked: ${error.message}` };
    const last = exchanges.at(-1);
    return { ...base, ok: false, status: last?.status, error: error instanceof Error ? error.message : String(error) };
  }
  // The step's own request is the last one to its endpoint (learning probes may come first).
  const own = exchanges.slice(before).filter((e) => `${e.method} ${templatePath(e.path)}` === step.endpoint);
  const last = own.at(-1) ?? exchanges.at(-1);
  return { ...base, ok: true, status: last?.status, ms: last ? Math.round(last.ms) : undefined, envelope: envelopeOf(last?.json) };
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
