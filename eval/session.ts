/** What both lanes share: a task's world with the server under test connected to it over stdio, and the person at its forms. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CallToolResult, Client, type ElicitRequest, type ElicitResult } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { encode } from "gpt-tokenizer";
import type { SandboxHandle, SandboxState } from "../src/sandbox/index.js";
import type { Approval, Step, Task, WorldClock } from "./types.js";
import { startWorld } from "./world.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const SERVERS = { ours: join(ROOT, "dist", "server.js"), baseline: join(ROOT, "dist-eval", "baseline-server.js") };
export type Side = keyof typeof SERVERS;

export const tokensOf = (text: string) => encode(text).length;
export const textOf = (result: CallToolResult) => result.content.map((block) => (block.type === "text" ? block.text : "")).join("\n");

/** The person at the form: answers with the next approval the task lists; a form the task does not expect is declined. */
export function answerForm(params: ElicitRequest["params"], approval: Approval | undefined): ElicitResult {
  const fields = (params as { requestedSchema?: { properties?: Record<string, { default?: unknown }> } }).requestedSchema?.properties ?? {};
  if (approval === undefined || approval === "decline") return { action: "decline" };
  if ("text" in fields)
    return { action: "accept", content: { text: typeof approval === "object" ? approval.edit : String(fields.text?.default) } };
  return { action: "accept", content: { confirm: true } };
}

/** The approvals of a trajectory's calls, in order: what the person will say at each form, for a lane that does not follow the steps. */
export const approvalsOf = (steps: Step[]): Approval[] => steps.flatMap((step) => ("tool" in step ? (step.approvals ?? []) : []));

export interface Session {
  client: Client;
  sandbox: SandboxHandle;
  clock: WorldClock;
  initial: SandboxState;
  /** The answers the person will give at the next forms, in order (the caller refills it). */
  approvals: Approval[];
  /** Forms the person was shown. */
  forms: number;
  close(): Promise<void>;
}

/** A fresh world for `task`, and `side`'s server over stdio pointed at it, with the task's policy. */
export async function openSession(task: Task, side: Side): Promise<Session> {
  const { sandbox, clock, initial } = await startWorld(task.world);
  const defaultAgent = [...initial.agents.values()][0];
  const client = new Client({ name: "eval", version: "1.0.0" }, { capabilities: { elicitation: { form: {} } } });
  const session: Session = {
    client,
    sandbox,
    clock,
    initial,
    approvals: [],
    forms: 0,
    close: async () => {
      await client.close();
      await sandbox.stop();
    },
  };
  client.setRequestHandler("elicitation/create", async (request) => {
    session.forms += 1;
    return answerForm(request.params, session.approvals.shift());
  });
  try {
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [SERVERS[side]],
        env: {
          PATH: process.env.PATH ?? "",
          HELPCRUNCH_LOG_LEVEL: "error",
          HELPCRUNCH_BASE_URL: sandbox.url,
          HELPCRUNCH_API_KEY: sandbox.apiKey,
          HELPCRUNCH_DEFAULT_AGENT: defaultAgent?.email ?? "",
          HELPCRUNCH_CUSTOMER_MESSAGES: task.world.customerMessages ?? "confirm",
          HELPCRUNCH_CONFIRM_BULK: String(task.world.confirmBulk ?? 10),
        },
        stderr: "ignore",
      }),
    );
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
  return session;
}

/** Runs `jobs` with at most `width` at a time, results in input order. */
export async function pool<T>(jobs: Array<() => Promise<T>>, width: number): Promise<T[]> {
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
