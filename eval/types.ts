/** What an evaluation task is: a person's request, the world it starts from, and two gold trajectories. */
import type { SandboxHandle, SandboxState } from "../src/sandbox/index.js";

export const CATEGORIES = [
  "triage",
  "routing",
  "tidying",
  "bulk",
  "replies",
  "notes",
  "customers",
  "stats",
  "live",
  "adversarial",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** The sandbox and the server's policy a task starts from. Times in the seed are relative to the world's clock (a whole minute). */
export interface World {
  seed: number;
  /** Open chats in the seeded queue (the sandbox's `openChats`), with a closed history in proportion. */
  openChats: number;
  /** HELPCRUNCH_CUSTOMER_MESSAGES (default confirm). */
  customerMessages?: "confirm" | "on" | "off";
  /** HELPCRUNCH_CONFIRM_BULK (default 10). */
  confirmBulk?: number;
  /** Changes made to the seeded world before the task starts (customer-written text, crafted queues). */
  setup?: (sandbox: SandboxHandle, at: WorldClock) => void;
}

/** The world's clock: its start in epoch ms, and ISO times relative to it. */
export interface WorldClock {
  t0: number;
  /** The ISO time `ms` after the start (negative: before). */
  iso(ms: number): string;
}

/** How the person answers a form: send as drafted, send an edited text, say no; "confirm" answers a bulk yes/no form. */
export type Approval = "send" | { edit: string } | "decline" | "confirm";

/** What earlier calls returned, in call order: structuredContent (this server) or the parsed JSON text (baseline). */
export interface StepContext {
  results: unknown[];
  /** The results of calls that carry `as`, by that name, in call order (the pages of one list). */
  named: Record<string, unknown[]>;
  /** The world as it started (read-only use), for steps that stand for what a person already knows. */
  initial: SandboxState;
  clock: WorldClock;
}

export type Args = Record<string, unknown>;

export type Step =
  | {
      tool: string;
      args?: Args | ((ctx: StepContext) => Args);
      /** The person's answers to forms this call opens, in order. */
      approvals?: Approval[];
      /** The call is expected to end in an error result (a declined reply, a refused duplicate). */
      expectError?: boolean;
      /** Also file the result under this name in `named` (every page of one list under one name). */
      as?: string;
    }
  /** Something that happens in the world between calls (customers write, a colleague closes chats); not a tool call. */
  | { meanwhile: (sandbox: SandboxHandle) => void }
  /** Several calls whose count depends on earlier answers (one per chat found, a page loop). */
  | { each: (ctx: StepContext) => Step[] };

export interface Trajectory {
  steps: Step[];
  /** The answer the person gets, for questions (stats, who-is-who): part of the end state that is hashed. */
  answer?: (ctx: StepContext) => unknown;
}

export interface Task {
  id: string;
  category: Category;
  /** The request in the person's words. */
  request: string;
  world: World;
  /** Through this server's tools. */
  gold: Trajectory;
  /**
   * The only chats and customers (ids) whose end state may differ from the start, checked on every
   * run apart from the hash: for adversarial tasks, "nothing changed that the person did not ask for".
   */
  mayChange?: number[];
  /** Through the raw-JSON baseline's tools. */
  baseline: Trajectory;
}
