/**
 * The deterministic lane of the evaluation: every task's gold trajectory replayed through the built
 * server (dist/server.js) and through the raw-JSON baseline (eval/baseline-server.ts), each over stdio
 * with the SDK client against a fresh sandbox. A task passes when both reach its gold end state
 * (eval/gold.json); the lane reports the tokens a model would read and the calls per task.
 *
 *   node dist-eval/run.js             check (exit 1 when a trajectory misses its end state)
 *   node dist-eval/run.js --record    write eval/gold.json from this server's run (review its diff)
 *   node dist-eval/run.js --write     also rewrite the tables in docs/eval.md
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/client";
import { parseModelArgs, runModelLane } from "./model/lane.js";
import { renderModelReport, writeModelReport } from "./model/report.js";
import { type Report, renderReport, writeReport } from "./report.js";
import { openSession, pool, ROOT, type Side, textOf, tokensOf } from "./session.js";
import { TASKS } from "./tasks/index.js";
import type { Step, StepContext, Task, Trajectory } from "./types.js";
import { diff, hashOf, project, touchedBeyond } from "./world.js";

const GOLD_FILE = join(ROOT, "eval", "gold.json");
export type Gold = Record<string, { hash: string; changes: string[] }>;

export interface Outcome {
  task: Task;
  side: Side;
  hash: string;
  changes: string[];
  calls: number;
  tokens: number;
  /** Of `tokens`, the tool definitions. */
  definitions: number;
  problems: string[];
}

function parsed(side: Side, result: CallToolResult): unknown {
  if (side === "ours" && result.structuredContent) return result.structuredContent;
  const text = textOf(result);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function runTask(task: Task, side: Side, gold: Gold[string] | undefined): Promise<Outcome> {
  const session = await openSession(task, side);
  const { client, sandbox, clock, initial, approvals } = session;
  const before = project(initial, clock.t0, initial);
  const outcome: Outcome = { task, side, hash: "", changes: [], calls: 0, tokens: 0, definitions: 0, problems: [] };
  try {
    const { tools } = await client.listTools();
    // What a model is given once per conversation: name, description and input schema of every tool.
    outcome.definitions = tokensOf(
      JSON.stringify(tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema }))),
    );
    outcome.tokens += outcome.definitions;
    const trajectory: Trajectory = side === "ours" ? task.gold : task.baseline;
    const ctx: StepContext = { results: [], named: {}, initial, clock };
    const run = async (steps: Step[]): Promise<void> => {
      for (const step of steps) {
        if ("meanwhile" in step) step.meanwhile(sandbox);
        else if ("each" in step) await run(step.each(ctx));
        else {
          const args = typeof step.args === "function" ? step.args(ctx) : (step.args ?? {});
          approvals.splice(0, approvals.length, ...(step.approvals ?? []));
          const result = (await client.callTool({ name: step.tool, arguments: args })) as CallToolResult;
          outcome.calls += 1;
          outcome.tokens += tokensOf(textOf(result));
          if (Boolean(result.isError) !== Boolean(step.expectError))
            outcome.problems.push(
              `${step.tool} ${JSON.stringify(args)}: ${result.isError ? "failed" : "succeeded"}: ${textOf(result).slice(0, 300)}`,
            );
          if (approvals.length > 0) outcome.problems.push(`${step.tool}: ${approvals.length} approval(s) never asked for`);
          const answer = parsed(side, result);
          ctx.results.push(answer);
          if (step.as) ctx.named[step.as] = [...(ctx.named[step.as] ?? []), answer];
        }
      }
    };
    await run(trajectory.steps);
    const end = project(sandbox.state, clock.t0, initial);
    if (trajectory.answer) end.push(`answer: ${JSON.stringify(trajectory.answer(ctx))}`);
    outcome.hash = hashOf(end);
    outcome.changes = diff(before, end);
    const beyond = touchedBeyond(outcome.changes, task.mayChange);
    if (beyond.length > 0) outcome.problems.push(`changed what the person did not ask for: ${beyond.join(", ")}`);
    if (gold && gold.hash !== outcome.hash)
      outcome.problems.push(
        `end state ${outcome.hash} is not the gold ${gold.hash}:\n  got ${outcome.changes.join("\n  got ")}\n  want ${gold.changes.join("\n  want ")}`,
      );
  } catch (error) {
    outcome.problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    await session.close();
  }
  return outcome;
}

const readGold = (): Gold => (existsSync(GOLD_FILE) ? (JSON.parse(readFileSync(GOLD_FILE, "utf8")) as Gold) : {});

async function main() {
  const args = process.argv.slice(2);
  const model = parseModelArgs(args, process.env);
  if (model) {
    const report = await runModelLane({ ...model, tasks: TASKS, gold: readGold() });
    console.log(renderModelReport(report));
    if (args.includes("--write")) writeModelReport(join(ROOT, "docs", "eval.md"), report);
    process.exitCode = 0;
    return;
  }
  const record = args.includes("--record");
  const started = Date.now();
  const gold = readGold();
  const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length);
  const tasks = TASKS.filter((t) => !only || t.id.includes(only));
  // Record this server's end states first, then hold the baseline to them; a check runs both at once.
  // One task per core: more only queues spawned servers behind each other (measured on 2 cores: 2 wide 22 s, 4 wide 28 s, 8 wide 60 s).
  const width = Number(process.env.EVAL_WIDTH ?? availableParallelism());
  const run = (side: Side) => tasks.map((t) => () => runTask(t, side, side === "ours" && record ? undefined : gold[t.id]));
  let ours: Outcome[];
  let baseline: Outcome[];
  if (record) {
    ours = await pool(run("ours"), width);
    for (const o of ours) if (o.problems.length === 0) gold[o.task.id] = { hash: o.hash, changes: o.changes };
    baseline = await pool(run("baseline"), width);
  } else {
    const both = await pool([...run("ours"), ...run("baseline")], width);
    ours = both.slice(0, tasks.length);
    baseline = both.slice(tasks.length);
  }
  const seconds = (Date.now() - started) / 1000;
  const failed = [...ours, ...baseline].filter((o) => o.problems.length > 0 || !gold[o.task.id]);
  for (const o of failed) console.error(`FAIL ${o.task.id} (${o.side}):\n  ${o.problems.join("\n  ") || "no gold end state"}`);
  if (record) writeFileSync(GOLD_FILE, `${JSON.stringify(gold, null, 2)}\n`);
  const report: Report = { ours, baseline, seconds, tasks: tasks.length };
  console.log(renderReport(report));
  if (args.includes("--write")) writeReport(join(ROOT, "docs", "eval.md"), report);
  console.log(`${tasks.length} tasks, ${failed.length} failures, ${seconds.toFixed(1)} s`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

// A mistake in the command line (no model key) is one sentence, not a stack.
await main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
});
