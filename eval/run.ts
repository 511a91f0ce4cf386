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
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CallToolResult, Client, type ElicitRequest, type ElicitResult } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { encode } from "gpt-tokenizer";
import { type Report, renderReport, writeReport } from "./report.js";
import { TASKS } from "./tasks/index.js";
import type { Approval, Step, StepContext, Task, Trajectory } from "./types.js";
import { diff, hashOf, project, startWorld } from "./world.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const GOLD_FILE = join(root, "eval", "gold.json");
const SERVERS = { ours: join(root, "dist", "server.js"), baseline: join(root, "dist-eval", "baseline-server.js") };
export type Side = keyof typeof SERVERS;
type Gold = Record<string, { hash: string; changes: string[] }>;

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

const tokensOf = (text: string) => encode(text).length;
const textOf = (result: CallToolResult) => result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");

/** The person at the form: answers with the next approval the step lists. */
function answerForm(params: ElicitRequest["params"], approval: Approval | undefined): ElicitResult {
  const fields = (params as { requestedSchema?: { properties?: Record<string, { default?: unknown }> } }).requestedSchema?.properties ?? {};
  if (approval === undefined || approval === "decline") return { action: "decline" };
  if ("text" in fields)
    return { action: "accept", content: { text: typeof approval === "object" ? approval.edit : String(fields.text?.default) } };
  return { action: "accept", content: { confirm: true } };
}

async function connect(side: Side, env: Record<string, string>, approvals: Approval[]) {
  const client = new Client({ name: "eval", version: "1.0.0" }, { capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler("elicitation/create", async (request) => answerForm(request.params, approvals.shift()));
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [SERVERS[side]],
      env: { PATH: process.env.PATH ?? "", HELPCRUNCH_LOG_LEVEL: "error", ...env },
      stderr: "ignore",
    }),
  );
  return client;
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
  const { sandbox, clock, initial } = await startWorld(task.world);
  const before = project(initial, clock.t0, initial);
  const defaultAgent = [...initial.agents.values()][0];
  const approvals: Approval[] = [];
  const client = await connect(
    side,
    {
      HELPCRUNCH_BASE_URL: sandbox.url,
      HELPCRUNCH_API_KEY: sandbox.apiKey,
      HELPCRUNCH_DEFAULT_AGENT: defaultAgent?.email ?? "",
      HELPCRUNCH_CUSTOMER_MESSAGES: task.world.customerMessages ?? "confirm",
      HELPCRUNCH_CONFIRM_BULK: String(task.world.confirmBulk ?? 10),
    },
    approvals,
  );
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
    const touched = outcome.changes.map((line) => Number(/(?:chat|customer|message in) (\d+)/.exec(line)?.[1]));
    const beyond = task.mayChange ? touched.filter((id) => !task.mayChange?.includes(id)) : [];
    if (beyond.length > 0) outcome.problems.push(`changed what the person did not ask for: ${[...new Set(beyond)].join(", ")}`);
    if (gold && gold.hash !== outcome.hash)
      outcome.problems.push(
        `end state ${outcome.hash} is not the gold ${gold.hash}:\n  got ${outcome.changes.join("\n  got ")}\n  want ${gold.changes.join("\n  want ")}`,
      );
  } catch (error) {
    outcome.problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    await client.close();
    await sandbox.stop();
  }
  return outcome;
}

/** Runs `jobs` with at most `width` at a time, results in input order. */
async function pool<T>(jobs: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await (jobs[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

async function main() {
  const args = process.argv.slice(2);
  const record = args.includes("--record");
  const started = Date.now();
  const gold: Gold = existsSync(GOLD_FILE) ? (JSON.parse(readFileSync(GOLD_FILE, "utf8")) as Gold) : {};
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
  if (args.includes("--write")) writeReport(join(root, "docs", "eval.md"), report);
  console.log(`${tasks.length} tasks, ${failed.length} failures, ${seconds.toFixed(1)} s`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

await main();
