/**
 * docs/tools.md, generated from the registry (names, titles, annotations, parameters from the
 * JSON Schemas the server publishes) so the reference can never drift from the code.
 */
import { z } from "zod";
import { chatSummarySchema } from "../../present/chat-summary.js";
import { messageSummarySchema } from "../../present/messages.js";
import { namesSchema } from "../../present/names.js";
import { TOOLS, type Tool } from "../../tools/index.js";

interface JsonSchemaProperty {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchemaProperty[];
  items?: JsonSchemaProperty;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

function typeOf(p: JsonSchemaProperty): string {
  if (p.enum) return p.enum.map((v) => JSON.stringify(v)).join(" \\| ");
  if (p.const !== undefined) return JSON.stringify(p.const);
  if (p.anyOf) return p.anyOf.map(typeOf).join(" \\| ");
  if (p.type === "array" && p.items) return `array of ${typeOf(p.items)}`;
  if (p.type === "integer" && p.minimum !== undefined && p.maximum !== undefined) return `integer ${p.minimum}–${p.maximum}`;
  return Array.isArray(p.type) ? p.type.join(" \\| ") : (p.type ?? "any");
}

function section(tool: Tool): string {
  const schema = z.toJSONSchema(tool.inputSchema, { io: "input" }) as {
    properties?: Record<string, JsonSchemaProperty>;
    required?: string[];
  };
  const a = tool.annotations;
  const hints = `read-only: ${a.readOnlyHint} · destructive: ${a.destructiveHint} · idempotent: ${a.idempotentHint} · open world: ${a.openWorldHint}`;
  const rows = Object.entries(schema.properties ?? {}).map(([name, p]) => {
    const required = schema.required?.includes(name) ? "yes" : "no";
    const fallback = p.default !== undefined && !p.description?.includes("default") ? ` (default ${JSON.stringify(p.default)})` : "";
    return `| \`${name}\` | ${typeOf(p)} | ${required} | ${(p.description ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ")}${fallback} |`;
  });
  const params = rows.length
    ? ["| parameter | type | required | description |", "|---|---|---|---|", ...rows].join("\n")
    : "No parameters.";
  return `## \`${tool.name}\` — ${tool.title}\n\n${tool.description}\n\n*${tool.kind} · ${hints}*\n\n${params}\n`;
}

/** One table of a structuredContent shape, from the schema's own field descriptions. */
function shape(title: string, schema: z.ZodType, intro: string): string {
  const json = z.toJSONSchema(schema, { io: "output" }) as { properties?: Record<string, JsonSchemaProperty>; required?: string[] };
  const rows = Object.entries(json.properties ?? {}).map(([name, p]) => {
    const always = json.required?.includes(name) ? "always" : "when set";
    return `| \`${name}\` | ${typeOf(p)} | ${always} | ${(p.description ?? "").replace(/\|/g, "\\|")} |`;
  });
  return [`### ${title}`, "", intro, "", "| field | type | present | meaning |", "|---|---|---|---|", ...rows, ""].join("\n");
}

function structuredContentRules(): string {
  return [
    "## Reading structuredContent",
    "",
    "Every tool answers with text for a model and `structuredContent` for programs. The structured form is lossless but lean: what can be derived is left out, by the rules below, so a client that hands it to a model pays less.",
    "",
    shape(
      "Chat summary",
      chatSummarySchema,
      "In `chats` (search_chats, triage_queue, plus `reason`) and `chat` (get_chat, create_chat, writes). Fields without a value are omitted.",
    ),
    shape("Message", messageSummarySchema, "In `messages` (get_chat, list_chat_messages) and `message` (send_message)."),
    shape("Names", namesSchema, "Once per answer beside the chats and messages that refer to agents and departments by id."),
  ].join("\n");
}

export function renderToolsDoc(): string {
  return `# Tools reference\n\nGenerated from the tool registry by \`npm run docs\`; do not edit by hand (a test fails when it is stale).\n\n${TOOLS.map(section).join("\n")}\n${structuredContentRules()}`;
}
