/**
 * defineTool: one declaration per tool (name, description, schemas, annotations, handler).
 * Handlers return `{text, structured}`; this wrapper builds the CallToolResult so content and
 * structuredContent always come from the same formatter, and maps every failure to one sentence.
 */
import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/server";
import { z } from "zod";
import type { Config } from "../config.js";
import { RequestBudget } from "../helpcrunch/index.js";
import { Pseudonyms } from "../present/privacy.js";
import { wellFormed, wellFormedDeep } from "../present/unicode.js";
import { InputNeeded } from "./approval-rounds.js";
import type { ToolContext, ToolServices } from "./context.js";
import { errorResult, toErrorResult } from "./error-results.js";

export interface ToolOutput<S> {
  text: string;
  structured: S;
  /** Set when the work only partly succeeded (e.g. a bulk change where some chats failed). */
  isError?: boolean;
  /** The result's `_meta`: data for an MCP Apps view that the host keeps out of the model's context. */
  meta?: Record<string, unknown>;
}

type ObjectSchema = z.ZodObject<z.ZodRawShape>;

/**
 * Where a tool sits in the server's instructions (the workflow a model is taught: find → read → act)
 * and the phrase that introduces it there; generated from the registry, so every registered tool is
 * mentioned and no other.
 */
export interface ToolGuide {
  step: "find" | "read" | "lookup" | "act";
  /** Defaults to the tool's name. */
  phrase?: string;
}

/** MCP Apps metadata (`_meta.ui` of the tool), published only to clients that show views. */
export interface ToolUi {
  /** The ui:// view that renders this tool's results. */
  resourceUri?: string;
  /** ["app"]: only a view may call it; hosts keep it out of the model's tool list. */
  visibility?: Array<"model" | "app">;
}

export interface ToolSpec<I extends ObjectSchema, O extends ObjectSchema> {
  name: string;
  title: string;
  description: string;
  guide: ToolGuide;
  /** read tools are registered in read-only mode; write tools are not. */
  kind: "read" | "write";
  /** Writes only: may the change lose information a person cannot get back? */
  destructive?: boolean;
  /** Writes only: does repeating the call with the same arguments change nothing more? */
  idempotent?: boolean;
  inputSchema: I;
  outputSchema: O;
  ui?: ToolUi;
  handler: (args: z.output<I>, ctx: ToolContext) => Promise<ToolOutput<z.input<O>>>;
  /**
   * Reads whose answer is kept for a while (triage_queue from the live queue): a tag for the answer
   * `args` would get right now, or undefined when it would be made anew. Equal tags mean equal
   * results, so a transport may send again what it sent for the tag (src/mcp/http-server.ts).
   */
  answerTag?: (args: z.output<I>, services: ToolServices) => Promise<string | undefined>;
}

export interface Tool {
  name: string;
  title: string;
  description: string;
  guide: ToolGuide;
  kind: "read" | "write";
  annotations: ToolAnnotations;
  inputSchema: ObjectSchema;
  outputSchema: ObjectSchema;
  ui?: ToolUi;
  run(args: unknown, ctx: ToolContext): Promise<CallToolResult>;
  /** See ToolSpec.answerTag; undefined for arguments the schema refuses. */
  answerTag?(args: unknown, services: ToolServices): Promise<string | undefined>;
}

/**
 * Every read spends at most `readBudget` HelpCrunch requests: the key's limit is per minute and shared
 * by every call, so a read that would page through thousands of chats answers with what it fetched
 * within its budget instead of leaving the next call a rate-limit error. Its text then starts with
 * the reason, and a tool whose answer can be cut short (a chat scan) declares this field, filled here.
 */
export const partialOutput = {
  partial: z
    .string()
    .optional()
    .describe("Present when the call stopped at its request budget: why, and that the answer covers only what was fetched by then"),
};

function partialReason(limit: number): string {
  return `Partial result: this call stopped at its budget of ${limit} HelpCrunch requests (HELPCRUNCH_READ_BUDGET), which leaves the rest of the per-minute limit to other calls, so the answer covers only what was fetched by then. Narrow the request (a shorter window, one department or assignee) for a complete answer.`;
}

/** A tool that keeps its schemas' types, so a test can parse an answer with the tool's own output schema. */
export interface TypedTool<I extends ObjectSchema, O extends ObjectSchema> extends Tool {
  inputSchema: I;
  outputSchema: O;
}

export function defineTool<I extends ObjectSchema, O extends ObjectSchema>(spec: ToolSpec<I, O>): TypedTool<I, O> {
  const annotations: ToolAnnotations = {
    title: spec.title,
    readOnlyHint: spec.kind === "read",
    destructiveHint: spec.kind === "write" ? (spec.destructive ?? false) : false,
    idempotentHint: spec.kind === "read" ? true : (spec.idempotent ?? false),
    openWorldHint: true,
  };
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    guide: spec.guide,
    kind: spec.kind,
    annotations,
    inputSchema: spec.inputSchema,
    outputSchema: spec.outputSchema,
    ...(spec.ui ? { ui: spec.ui } : {}),
    ...(spec.answerTag ? { answerTag: answerTagOf(spec.inputSchema, spec.answerTag) } : {}),
    async run(args, ctx) {
      // tools/call arrives validated by the SDK; internal callers (resources) do not, so every call
      // is parsed here once more: defaults apply and a wrong argument is an error, never a silent default.
      const parsed = spec.inputSchema.safeParse(args ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return errorResult(`Invalid arguments for ${spec.name}: ${issue?.path.join(".") || "arguments"}: ${issue?.message ?? "invalid"}.`);
      }
      // Hosts keep app-only tools from the model; a caller that never declared MCP Apps has no view
      // that could have pressed the button, so its call is refused whatever it carries (the MCP Apps
      // spec's visibility ["app"] allows this check, as defence in depth behind the card's token).
      if (spec.ui?.visibility && !spec.ui.visibility.includes("model") && !ctx.showsApps)
        return errorResult(
          `Nothing was done: ${spec.name} is a button of an MCP Apps view, and this client has not declared the MCP Apps extension that shows one.`,
        );
      const privacy = pseudonymsFor(ctx.config);
      const budget = spec.kind === "read" ? new RequestBudget(ctx.config.readBudget) : undefined;
      const call = budget ? { ...ctx, upstream: { ...ctx.upstream, budget } } : ctx;
      try {
        const out = privacy.result(await spec.handler(parsed.data as z.output<I>, call));
        const partial = budget?.exhausted ? partialReason(budget.limit) : undefined;
        const declared = partial !== undefined && "partial" in spec.outputSchema.shape;
        const structured = { ...(out.structured as Record<string, unknown>), ...(declared ? { partial } : {}) };
        // The one place every tool result passes: valid Unicode only, whatever HelpCrunch sent.
        return {
          content: [{ type: "text", text: wellFormed(partial ? `${partial}\n${out.text}` : out.text) }],
          structuredContent: wellFormedDeep(structured),
          ...(out.isError ? { isError: true } : {}),
          ...(out.meta ? { _meta: out.meta } : {}),
        };
      } catch (error) {
        // Not a failure: the call asks the client for a person's answer and will be made again with it.
        if (error instanceof InputNeeded) throw error;
        // A call the client cancelled is an expected end, whatever was interrupted (a form, a request).
        if (ctx.signal.aborted) {
          ctx.log.info(`${spec.name} was cancelled by the client; nothing more is sent for it`);
          return errorResult(`${spec.name} was cancelled.`);
        }
        const failed = toErrorResult(error, spec.name, ctx.log);
        return { ...failed, content: failed.content.map((c) => (c.type === "text" ? { ...c, text: privacy.contacts(c.text) } : c)) };
      }
    },
  };
}

function answerTagOf<I extends ObjectSchema>(
  inputSchema: I,
  tag: (args: z.output<I>, services: ToolServices) => Promise<string | undefined>,
): (args: unknown, services: ToolServices) => Promise<string | undefined> {
  return async (args, services) => {
    const parsed = inputSchema.safeParse(args ?? {});
    return parsed.success ? tag(parsed.data as z.output<I>, services) : undefined;
  };
}

const pseudonyms = new WeakMap<Config, Pseudonyms>();

/** One Pseudonyms per configuration (its key is the API key: every process of the account agrees). */
export function pseudonymsFor(config: Config): Pseudonyms {
  let found = pseudonyms.get(config);
  if (!found) pseudonyms.set(config, (found = new Pseudonyms(config.redact ?? "off", config.apiKey)));
  return found;
}
