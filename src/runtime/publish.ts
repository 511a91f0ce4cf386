/**
 * What `tools/list` publishes: each tool's schemas as JSON Schema, computed once per tool set and
 * written for the reader that pays for them, a model. Every conversation carries this list, so
 * what a model cannot use is left out (measured in docs/benchmarks.md):
 * - `$schema`, `additionalProperties: false` and `propertyNames` are validation plumbing;
 * - `multipleOf: 1` on a number is `"type": "integer"`; `minLength: 1` says nothing a model needs;
 * - an `anyOf` of bare primitive types is a type list (`["number", "string"]`);
 * - an array's items and an anyOf's branches repeat their parent's description: the parent's is enough;
 * - a const string beside a branch that takes any string ("unassigned", "none") is said in the description;
 * - an output schema is the answer's frame: a write tool's names its top-level fields, a read
 *   tool's also the fields of its objects (framed()); the rest of the shape and the field
 *   descriptions (the lean-form rules) are in docs/tools.md, generated from the same zod schemas.
 * The server validates arguments with the full zod schemas regardless.
 */
import type { Tool as McpTool } from "@modelcontextprotocol/server";
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

/**
 * The schema cut at `depth` levels of properties: below it a node keeps its type alone. What a
 * client checks is the answer's frame (its fields and their kinds); the inside of a chat summary,
 * a group of stats or a per-chat report is documented in docs/tools.md, generated from the zod
 * schemas the server itself validates with.
 */
export function framed(schema: Json, depth: number): Json {
  if (depth <= 0) return schema.type !== undefined ? { type: schema.type } : {};
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties" && isObject(value))
      out.properties = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, isObject(s) ? framed(s, depth - 1) : s]));
    else if (key === "items" || key === "additionalProperties") {
      if (depth > 1 && isObject(value)) out[key] = framed(value, depth - 1);
    } else out[key] = value;
  }
  return out;
}

/** Levels of an output schema published: the answer's fields and the fields of its objects. */
const OUTPUT_DEPTH = 2;

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
    outputSchema: framed(output, tool.kind === "write" ? 1 : OUTPUT_DEPTH) as ObjectSchema,
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
