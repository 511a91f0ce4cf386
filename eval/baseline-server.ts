/**
 * The baseline the evaluation measures against: the same HelpCrunch operations as thin MCP tools
 * that pass arguments through and return HelpCrunch's raw JSON, pretty-printed, the way the other
 * HelpCrunch MCP servers do. No ranking, no names, no confirmation: a model reads what the API says.
 * Run over stdio with HELPCRUNCH_BASE_URL and HELPCRUNCH_API_KEY; built by `npm run eval`.
 */
import { McpServer } from "@modelcontextprotocol/server";
import { StdioServerTransport } from "@modelcontextprotocol/server/stdio";
import * as z from "zod";

const baseUrl = process.env.HELPCRUNCH_BASE_URL ?? "https://api.helpcrunch.com/v1";
const apiKey = process.env.HELPCRUNCH_API_KEY ?? "";

type Method = "GET" | "POST" | "PUT" | "DELETE";
type Args = Record<string, unknown>;

async function helpcrunch(method: Method, path: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json: unknown = text === "" ? null : JSON.parse(text);
  return {
    content: [{ type: "text" as const, text: JSON.stringify(json, null, 2) }],
    ...(response.ok ? {} : { isError: true }),
  };
}

const query = (args: Args, keys: string[]) => {
  const params = new URLSearchParams();
  for (const key of keys) if (args[key] !== undefined) params.set(key, String(args[key]));
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
};

const id = z.number().int().describe("Chat id");
const paging = {
  offset: z.number().int().optional().describe("Offset"),
  limit: z.number().int().optional().describe("Limit (max 100)"),
  sort: z.string().optional().describe("Sort field, e.g. chats.lastMessageAt"),
  order: z.enum(["asc", "desc"]).optional().describe("Order"),
};
const filter = z
  .array(z.object({ field: z.string(), operator: z.string(), value: z.unknown() }))
  .describe('HelpCrunch filters, e.g. [{"field":"chats.status","operator":"=","value":"new"}]');

interface RawTool {
  name: string;
  description: string;
  input: z.ZodRawShape;
  call(args: Args): Promise<Awaited<ReturnType<typeof helpcrunch>>>;
}

const TOOLS: RawTool[] = [
  {
    name: "list_chats",
    description: "List chats (GET /chats).",
    input: paging,
    call: (a) => helpcrunch("GET", `/chats${query(a, ["offset", "limit", "sort", "order"])}`),
  },
  {
    name: "search_chats",
    description: "Search chats with HelpCrunch filters (POST /chats/search).",
    input: { filter: filter.optional(), comparison: z.enum(["AND", "OR"]).optional().describe("How filters combine"), ...paging },
    call: ({ filter, comparison, ...rest }) => helpcrunch("POST", "/chats/search", { filter: filter ?? [], comparison, ...rest }),
  },
  { name: "get_chat", description: "Get a chat by id (GET /chats/{id}).", input: { id }, call: (a) => helpcrunch("GET", `/chats/${a.id}`) },
  {
    name: "list_chat_messages",
    description: "List a chat's messages, newest first (GET /chats/{id}/messages).",
    input: { id, offset: paging.offset, limit: paging.limit },
    call: (a) => helpcrunch("GET", `/chats/${a.id}/messages${query(a, ["offset", "limit"])}`),
  },
  { name: "list_agents", description: "List agents (GET /agents).", input: {}, call: () => helpcrunch("GET", "/agents") },
  {
    name: "list_departments",
    description: "List departments (GET /departments).",
    input: {},
    call: () => helpcrunch("GET", "/departments"),
  },
  {
    name: "search_customers",
    description: "Search customers with HelpCrunch filters (POST /customers/search).",
    input: { filter, ...paging },
    call: (a) => helpcrunch("POST", "/customers/search", a),
  },
  {
    name: "get_customer",
    description: "Get a customer by id (GET /customers/{id}).",
    input: { id: z.number().int().describe("Customer id") },
    call: (a) => helpcrunch("GET", `/customers/${a.id}`),
  },
  {
    name: "update_chat_status",
    description: "Change a chat's status (PUT /chats/status).",
    input: { id, status: z.string().describe("new, opened, pending, onhold, no communication, closed") },
    call: (a) => helpcrunch("PUT", "/chats/status", a),
  },
  {
    name: "update_chat_assignee",
    description: "Assign a chat to an agent id, or null to unassign (PUT /chats/assignee).",
    input: { id, assignee: z.number().int().nullable().describe("Agent id") },
    call: (a) => helpcrunch("PUT", "/chats/assignee", a),
  },
  {
    name: "update_chat_department",
    description: "Move a chat to a department id (PUT /chats/department).",
    input: { id, department: z.number().int().describe("Department id") },
    call: (a) => helpcrunch("PUT", "/chats/department", a),
  },
  {
    name: "snooze_chat",
    description: "Snooze a chat until a UNIX time in seconds, or null to unsnooze (PUT /chats/snooze).",
    input: { id, snoozedUntil: z.number().int().nullable().describe("UNIX seconds") },
    call: (a) => helpcrunch("PUT", "/chats/snooze", a),
  },
  {
    name: "send_message",
    description: "Post a message to a chat (POST /messages); type private = a note; without agent it is posted as the customer.",
    input: {
      chat: z.number().int().describe("Chat id"),
      text: z.string().describe("Text"),
      type: z.enum(["message", "private"]).describe("message or private"),
      agent: z.number().int().optional().describe("Agent id"),
    },
    call: (a) => helpcrunch("POST", "/messages", a),
  },
  {
    name: "add_customer_tags",
    description: "Add tags to a customer (PUT /customers/{id}/tags).",
    input: { id: z.number().int().describe("Customer id"), tags: z.array(z.object({ name: z.string() })).describe("Tags") },
    call: (a) => helpcrunch("PUT", `/customers/${a.id}/tags`, { tags: a.tags }),
  },
  {
    name: "remove_customer_tags",
    description: "Remove tags from a customer (DELETE /customers/{id}/tags).",
    input: { id: z.number().int().describe("Customer id"), tags: z.array(z.object({ name: z.string() })).describe("Tags") },
    call: (a) => helpcrunch("DELETE", `/customers/${a.id}/tags`, { tags: a.tags }),
  },
  {
    name: "create_chat",
    description: "Create a chat for a customer (POST /chats).",
    input: {
      customer: z.number().int().describe("Customer id"),
      application: z.number().int().describe("Application id"),
      assignee: z.number().int().optional().describe("Agent id"),
      department: z.number().int().optional().describe("Department id"),
    },
    call: (a) => helpcrunch("POST", "/chats", a),
  },
];

const server = new McpServer({ name: "helpcrunch-raw-baseline", version: "1.0.0" });
for (const tool of TOOLS)
  server.registerTool(tool.name, { description: tool.description, inputSchema: z.object(tool.input) }, (args: Args) => tool.call(args));
await server.connect(new StdioServerTransport());
