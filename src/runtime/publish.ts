/**
 * What `tools/list` publishes: each tool's schemas as JSON Schema, computed once per tool set and
 * written for the reader that pays for them, a model. Every conversation carries this list, so
 * what a model cannot use is left out (measured in docs/benchmarks.md):
 * - `$schema`, `additionalProperties: false` and `propertyNames` are validation plumbing;
 * - `multipleOf: 1` on a number is `"type": "integer"`; `minLength: 1` says nothing a model needs;
 * - an `anyOf` of bare primitive types is a type list (`["number", "string"]`);
 * - an array's items and an anyOf's branches repeat their parent's description: the parent's is enough;
 * - a const string beside a branch that takes any string ("unassigned", "none") is said in the description;
 * - a write tool's output is a per-chat report whose shape is in docs/tools.md: its schema names
 *   the top-level fields only; read tools' output schemas keep their shape, and their field
 *   descriptions (the lean-form rules) are in docs/tools.md, generated from the same zod schemas.
 * - a large subschema that repeats an earlier one (chat_stats' total is shaped like each group)
 *   is a JSON pointer `$ref` to the first.
 * The server validates arguments with the full zod schemas regardless.
 */
import type { Tool as McpTool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Tool } from "./define-tool.js";

type Json = { [key: string]: unknown };
type ObjectSchema = McpTool["inputSchema"];

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** The lean form of one JSON Schema node (see the file comment for each rule). */
export function compactSchema(node: unknown, inItems = false, describe = true): unknown {
  if (Array.isArray(node)) return node.map((n) => compactSchema(n, inItems, describe));
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema" || key === "propertyNames") continue;
    if (key === "additionalProperties" && value === false) continue;
    if (key === "minLength" && value === 1) continue;
    if (key === "description" && (inItems || !describe)) continue;
    if (key === "properties" && isObject(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, compactSchema(schema, false, describe)]));
    } else if (key === "items" || key === "anyOf") out[key] = compactSchema(value, true, describe);
    else out[key] = compactSchema(value, false, describe);
  }
  if (out.type === "number" && out.multipleOf === 1) {
    out.type = "integer";
    delete out.multipleOf;
  }
  const types = Array.isArray(out.anyOf) ? typeList(out.anyOf) : undefined;
  if (types) {
    delete out.anyOf;
    out.type = types.length === 1 ? types[0] : types;
  }
  return out;
}

/** ["number", "string"] for anyOf branches that are bare types; undefined when a branch says more. */
function typeList(branches: unknown[]): string[] | undefined {
  const types = new Set<string>();
  let constString = false;
  for (const branch of branches) {
    if (!isObject(branch)) return undefined;
    const keys = Object.keys(branch).filter((k) => k !== "type" && !(branch.type === "string" && k === "maxLength"));
    if (branch.type === "string" && keys.length === 1 && keys[0] === "const") constString = true;
    else if (keys.length > 0) return undefined;
    else for (const t of [branch.type].flat()) if (typeof t === "string") types.add(t);
  }
  if (constString && !types.has("string")) return undefined;
  return [...types];
}

/** Subschemas this large (JSON characters) are worth a `$ref` when they repeat. */
const REF_WORTHY = 300;

/** Replaces each large subschema that repeats an earlier one with a `$ref` to it (JSON pointer). */
export function dedupe(root: Json): Json {
  const seen = new Map<string, string>();
  const walk = (node: unknown, pointer: string): unknown => {
    if (!isObject(node)) return node;
    const text = JSON.stringify(node);
    const first = seen.get(text);
    if (first !== undefined && text.length >= REF_WORTHY) return { $ref: first };
    if (text.length >= REF_WORTHY) seen.set(text, pointer);
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, walk(value, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`)]),
    );
  };
  return walk(root, "#") as Json;
}

/** Top-level fields with their types only: for outputs documented elsewhere. */
function shallow(schema: Json): Json {
  const properties = isObject(schema.properties) ? schema.properties : {};
  return {
    type: "object",
    properties: Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, isObject(s) && s.type ? { type: s.type } : {}])),
  };
}

function toJson(schema: z.ZodType, io: "input" | "output"): Json {
  return compactSchema(z.toJSONSchema(schema, { target: "draft-7", io, unrepresentable: "any" }), false, io === "input") as Json;
}

/**
 * Annotations without what the spec makes meaningless or default: the title is already top-level,
 * a read-only tool has no destructive or idempotent hint, and openWorldHint defaults to true.
 */
function leanAnnotations(tool: Tool): McpTool["annotations"] {
  const { title: _title, openWorldHint, destructiveHint, idempotentHint, ...rest } = tool.annotations;
  return {
    ...rest,
    ...(tool.kind === "write" ? { destructiveHint, idempotentHint } : {}),
    ...(openWorldHint === false ? { openWorldHint } : {}),
  };
}

/** The `tools/list` entry of one tool. */
export function publishTool(tool: Tool): McpTool {
  const output = toJson(tool.outputSchema, "output");
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: toJson(tool.inputSchema, "input") as ObjectSchema,
    outputSchema: (tool.kind === "write" ? shallow(output) : dedupe(output)) as ObjectSchema,
    annotations: leanAnnotations(tool),
  };
}

/**
 * Every tool's entry, computed by scripts/build.mjs with this very module and inlined in the bundle:
 * converting 15 zod schemas to JSON Schema costs ~15 ms of every start. Undefined under tsc and vitest,
 * which compute it; test/e2e/build.test.ts checks the bundle's tools/list equals the computed one.
 */
declare const HELPCRUNCH_PUBLISHED_TOOLS: Record<string, McpTool> | undefined;
const prebuilt = typeof HELPCRUNCH_PUBLISHED_TOOLS === "object" ? HELPCRUNCH_PUBLISHED_TOOLS : undefined;

const published = new WeakMap<Tool, McpTool>();

/** `tools/list` for a tool set; each tool is converted once per process (stateless HTTP builds a server per request). */
export function publishTools(tools: readonly Tool[]): McpTool[] {
  return tools.map((tool) => {
    let entry = published.get(tool) ?? prebuilt?.[tool.name];
    if (!entry) {
      entry = publishTool(tool);
      published.set(tool, entry);
    }
    return entry;
  });
}
