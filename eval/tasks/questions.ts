/** Stats questions (the answer's numbers are the check) and the live queue (`since` across a burst of changes). */
import type { SandboxHandle } from "../../src/sandbox/index.js";
import type { Step, StepContext, Task } from "../types.js";
import { AGENT, last, openQueue, ours, type RawChat, rawAll, rawPages, WORLD } from "./kit.js";

interface Group {
  key: string;
  label: string;
  created: number;
  closed: number;
  closed_by_customer: number;
  open: number;
}
const groups = (result: unknown) => (result as { groups: Group[] }).groups;
const byLabel = <T>(rows: Array<[string, T]>) => rows.sort((a, b) => a[0].localeCompare(b[0]));

/**
 * The baseline reads every chat (485 here: five pages) and counts them itself, oldest first: the
 * default order (last message) moves while it pages, and offset pages then skip and repeat chats.
 */
const ALL_CHATS: Step[] = rawPages("list_chats", { sort: "chats.createdAt", order: "asc" }, "all");
const names = (ctx: StepContext, kind: "agents" | "departments") => {
  const list = ctx.results.find(
    (r) =>
      Array.isArray((r as { data?: unknown }).data) &&
      (r as { data: Array<{ email?: string }> }).data.length > 0 &&
      (kind === "agents") === "email" in ((r as { data: object[] }).data[0] ?? {}),
  );
  return new Map((list as { data: Array<{ id: number; name: string }> }).data.map((x) => [x.id, x.name]));
};
const allChats = (ctx: StepContext) => rawAll(ctx, "all");

function countBy<T>(chats: RawChat[], key: (c: RawChat) => string, count: (cs: RawChat[]) => T): Array<[string, T]> {
  const buckets = new Map<string, RawChat[]>();
  for (const chat of chats) buckets.set(key(chat), [...(buckets.get(key(chat)) ?? []), chat]);
  return byLabel([...buckets].map(([k, cs]) => [k, count(cs)]));
}
const assigneeName = (agents: Map<number, string>) => (x: RawChat) => (x.assignee ? (agents.get(x.assignee.id) ?? "?") : "unassigned");

/**
 * A stats question over the last 30 days: this server answers with one chat_stats call grouped by
 * agent or department; the baseline lists those names, reads every chat and counts them itself.
 */
function statsTask(
  id: string,
  request: string,
  groupBy: "agent" | "department",
  fromGroup: (g: Group) => unknown,
  baselineAnswer: (ctx: StepContext) => unknown,
): Task {
  return {
    id,
    category: "stats",
    request,
    world: WORLD,
    gold: {
      steps: [{ tool: "chat_stats", args: { from: "30d", group_by: groupBy } }],
      answer: (c) => byLabel(groups(last(c)).map((g) => [g.label, fromGroup(g)])),
    },
    baseline: {
      steps: [{ tool: groupBy === "agent" ? "list_agents" : "list_departments" }, ...ALL_CHATS],
      answer: baselineAnswer,
    },
  };
}

export const QUESTION_TASKS: Task[] = [
  statsTask(
    "stats-created-per-department",
    "How many chats did each department get this month (last 30 days)?",
    "department",
    (g) => g.created,
    (c) => {
      const depts = names(c, "departments");
      return countBy(
        allChats(c),
        (x) => (x.department ? (depts.get(x.department.id) ?? "?") : "no department"),
        (cs) => cs.length,
      );
    },
  ),
  statsTask(
    "stats-open-per-agent",
    "Who is overloaded? Open chats per agent, please.",
    "agent",
    (g) => g.open,
    (c) => {
      // HelpCrunch writes on hold both ways in chat objects ("onhold", "on hold").
      const open = (cs: RawChat[]) => cs.filter((x) => ["new", "opened", "pending", "onhold", "on hold"].includes(x.status)).length;
      return countBy(allChats(c), assigneeName(names(c, "agents")), open);
    },
  ),
  statsTask(
    "stats-closed-by-customer",
    "This month, how many chats did each agent close, and how many of those did the customer close themselves?",
    "agent",
    (g) => [g.closed, g.closed_by_customer],
    (c) =>
      countBy(allChats(c), assigneeName(names(c, "agents")), (cs) => {
        const closed = cs.filter((x) => x.status === "closed");
        return [closed.length, closed.filter((x) => x.closedBy === "customer").length];
      }),
  ),
];

/** A colleague closes a chat in the HelpCrunch app: the sandbox changes and announces it as a webhook would. */
function colleagueCloses(sandbox: SandboxHandle, chatId: number) {
  const chat = sandbox.state.chats.get(chatId);
  if (!chat) throw new Error(`no chat ${chatId}`);
  const at = Date.now();
  Object.assign(chat, { status: "closed", closedAt: at, closedBy: "agent", updatedAt: at });
  sandbox.announce(chatId, "closed");
}

const BURST = (sandbox: SandboxHandle) => {
  sandbox.customerWrites(5215999, "Still no data in Chrome as well.");
  sandbox.customerWrites(5216148, "Row 14 again, any idea?");
  sandbox.customerWrites(5216101, "Hello?? We are a registered charity, number 88412.");
  colleagueCloses(sandbox, 5216096);
  colleagueCloses(sandbox, 5216140);
};
const WROTE = [5215999, 5216148, 5216101];

/** What changed between two raw reads of the open queue: chats whose last message moved, and chats that left. */
function rawChanges(before: RawChat[], after: RawChat[]) {
  const was = new Map(before.map((c) => [c.id, c]));
  const now = new Set(after.map((c) => c.id));
  return {
    changed: after
      .filter((c) => String(was.get(c.id)?.lastMessageAt) !== String(c.lastMessageAt))
      .map((c) => c.id)
      .sort(),
    left: before
      .filter((c) => !now.has(c.id))
      .map((c) => c.id)
      .sort(),
  };
}
const ourChanges = (result: unknown) => ({
  changed: ours(result)
    .map((c) => c.id)
    .sort(),
  left: ((result as { left?: Array<{ id: number }> }).left ?? []).map((c) => c.id).sort(),
});
const cursorOf = (result: unknown) => (result as { cursor: string }).cursor;

/** The person looks at the queue, the burst happens, they look again with the first look's cursor. */
const LOOK_BURST_LOOK_AGAIN: Step[] = [
  { tool: "triage_queue", args: { limit: 5 } },
  { meanwhile: BURST },
  { tool: "triage_queue", args: (c) => ({ since: cursorOf(c.results[0]) }) },
];
/** The baseline reads the whole open queue before and after the burst, and compares. */
const RAW_BEFORE_BURST_AFTER: Step[] = [...openQueue("before"), { meanwhile: BURST }, ...openQueue("after")];
const rawChangesAcrossBurst = (c: StepContext) => rawChanges(rawAll(c, "before"), rawAll(c, "after"));

export const LIVE_TASKS: Task[] = [
  {
    id: "live-what-changed",
    category: "live",
    request: "I was away for ten minutes. What changed in the queue since I last looked?",
    world: WORLD,
    gold: {
      steps: LOOK_BURST_LOOK_AGAIN,
      answer: (c) => ourChanges(last(c)),
    },
    baseline: {
      steps: RAW_BEFORE_BURST_AFTER,
      answer: rawChangesAcrossBurst,
    },
  },
  {
    id: "live-assign-who-wrote",
    category: "live",
    request: "Whoever wrote in since my last look: give those chats to Yuki Tanaka.",
    world: WORLD,
    gold: {
      steps: [
        ...LOOK_BURST_LOOK_AGAIN,
        { tool: "assign_chat", args: (c) => ({ chat_ids: ourChanges(last(c)).changed, agent: "Yuki Tanaka" }) },
      ],
    },
    baseline: {
      steps: [
        ...RAW_BEFORE_BURST_AFTER,
        { tool: "list_agents" },
        {
          each: (c) =>
            rawChangesAcrossBurst(c).changed.map((id) => ({
              tool: "update_chat_assignee",
              args: { id, assignee: AGENT.yuki },
            })),
        },
      ],
    },
  },
  {
    id: "live-twice-quiet-then-burst",
    category: "live",
    request: "Keep an eye on the queue: check now, again in a minute, and tell me who wrote in.",
    world: WORLD,
    gold: {
      steps: [
        { tool: "triage_queue", args: { limit: 5 } },
        { tool: "triage_queue", args: (c) => ({ since: cursorOf(c.results[0]) }) },
        { meanwhile: BURST },
        { tool: "triage_queue", args: (c) => ({ since: cursorOf(c.results[1]) }) },
      ],
      answer: (c) => ourChanges(last(c)).changed.filter((id) => WROTE.includes(id)),
    },
    baseline: {
      steps: [...openQueue("first"), ...RAW_BEFORE_BURST_AFTER],
      answer: (c) => rawChangesAcrossBurst(c).changed.filter((id) => WROTE.includes(id)),
    },
  },
];
