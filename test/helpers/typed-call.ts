/**
 * Calls a tool through the MCP client and parses its answer with the tool's own output schema, so a
 * test reads typed fields, and a schema that drifts from what the tool returns fails the test that
 * reads it (no casts of structuredContent). `golden` fixes an answer's text and structuredContent
 * in test/tools/__goldens__/<tool>.json, refreshed with `vitest -u` and reviewed in diffs like code.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, expect } from "vitest";
import type { z } from "zod";
import type { TypedTool } from "../../src/runtime/define-tool.js";
import { type Harness, startHarness } from "./harness.js";

type HarnessOptions = NonNullable<Parameters<typeof startHarness>[0]>;

type ObjectSchema = z.ZodObject<z.ZodRawShape>;

export interface TypedAnswer<O extends ObjectSchema> {
  result: CallToolResult;
  text: string;
  /** Undefined only for an error answer, which carries no structuredContent. */
  structured: z.output<O> | undefined;
}

export async function callTyped<I extends ObjectSchema, O extends ObjectSchema>(
  h: Pick<Harness, "mcp" | "text">,
  tool: TypedTool<I, O>,
  args: z.input<I> | Record<string, unknown> = {},
): Promise<TypedAnswer<O>> {
  const result = (await h.mcp.callTool({ name: tool.name, arguments: args as Record<string, unknown> })) as CallToolResult;
  const text = h.text(result);
  if (result.isError) return { result, text, structured: undefined };
  return { result, text, structured: parsed(tool, result) };
}

/** As callTyped, for an answer that must not be an error. */
export async function callOk<I extends ObjectSchema, O extends ObjectSchema>(
  h: Pick<Harness, "mcp" | "text">,
  tool: TypedTool<I, O>,
  args: z.input<I> | Record<string, unknown> = {},
): Promise<TypedAnswer<O> & { structured: z.output<O> }> {
  const answer = await callTyped(h, tool, args);
  if (answer.structured === undefined) throw new Error(`${tool.name} answered with an error: ${answer.text}`);
  return answer as TypedAnswer<O> & { structured: z.output<O> };
}

/**
 * A write tool's dry run, as its golden records it: the answer must say dry_run and nothing may have
 * reached HelpCrunch, or the golden would fix a write that happened.
 */
export async function dryRunOk<I extends ObjectSchema, O extends ObjectSchema>(
  world: { readonly h: Harness },
  tool: TypedTool<I, O>,
  args: z.input<I> | Record<string, unknown>,
): Promise<TypedAnswer<O> & { structured: z.output<O> }> {
  const answer = await callOk(world.h, tool, { ...args, dry_run: true });
  expect(answer.structured).toMatchObject({ dry_run: true });
  expect(world.h.writes()).toEqual([]);
  return answer;
}

/**
 * The structuredContent of a result a test already holds (a call with progress options, through a
 * second client or an Apps host), parsed with the tool's own output schema. An error answer is parsed
 * too when it carries structuredContent (a bulk write where every target failed); one without throws
 * with its text, and so does an answer that does not fit the schema, naming the tool and the fields.
 */
export function parsed<O extends ObjectSchema>(
  tool: Pick<TypedTool<ObjectSchema, O>, "name" | "outputSchema">,
  result: CallToolResult,
): z.output<O> {
  if (result.isError && result.structuredContent === undefined) {
    const first = result.content[0];
    throw new Error(`${tool.name} answered with an error: ${first?.type === "text" ? first.text : JSON.stringify(result.content)}`);
  }
  const answer = tool.outputSchema.safeParse(result.structuredContent);
  if (!answer.success) throw new Error(`${tool.name} answered outside its output schema: ${answer.error.message}`);
  return answer.data as z.output<O>;
}

/** What changes from run to run and says nothing about the answer: cursors carry a random epoch. */
function stable(text: string): string {
  return text.replace(/\bq1\.[a-z0-9]+\.[a-z0-9]+\.[a-z0-9]+\b/g, "<cursor>");
}

/** The answer's text and structuredContent, compared with the tool's golden file. */
export async function golden(toolName: string, answer: { result: CallToolResult }): Promise<void> {
  const { content, structuredContent, isError } = answer.result;
  const body = stable(JSON.stringify({ isError: isError ?? false, content, structuredContent }, null, 2));
  await expect(`${body}\n`).toMatchFileSnapshot(`../tools/__goldens__/${toolName}.json`);
}

/** The golden world: the default sandbox (seed 42) on a pinned clock, so answers are the same every run. */
export const GOLDEN_NOW = Date.parse("2026-11-25T12:00:00Z");

/** The lowest-numbered open chat whose snooze is not running: a stable target for a tool's golden. */
export function firstOpenChat(h: Pick<Harness, "sandbox">): number {
  const open = [...h.sandbox.state.chats.values()].filter(
    (c) => ["new", "opened", "pending", "onhold"].includes(c.status) && (c.snoozedUntil === null || c.snoozedUntil <= GOLDEN_NOW),
  );
  return Math.min(...open.map((c) => c.id));
}

/** Starts the golden world before a file's tests and closes it after: `world.h`, and `world.chat` to act on. */
export function goldenWorld(options: Pick<HarnessOptions, "config" | "capabilities"> = {}): { readonly h: Harness; readonly chat: number } {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness({ ...options, sandbox: { seed: 42, now: () => GOLDEN_NOW }, now: () => GOLDEN_NOW });
  });
  afterAll(() => harness?.close());
  const started = (): Harness => {
    if (!harness) throw new Error("the golden world is used before beforeAll started it");
    return harness;
  };
  return {
    get h() {
      return started();
    },
    get chat() {
      return firstOpenChat(started());
    },
  };
}
