/** Triage, routing, tidying and bulk changes on the open queue. */
import type { Task } from "../types.js";
import {
  AGENT,
  awaitingReply,
  DAY,
  DEPT,
  last,
  openQueue,
  ourPages,
  ours,
  oursAll,
  type RawChat,
  rankRaw,
  raw,
  rawAll,
  rawPages,
  statusFilter,
  WORLD,
} from "./kit.js";

const topOurs = (result: unknown) => ours(result)[0]?.id;
const topRaw = (chats: RawChat[], now: number) => rankRaw(chats, now)[0]?.id;

/** One chat given a new status by its id: one call on either server, no lookup needed. */
function statusChange(id: string, request: string, chat: number, status: string): Task {
  return {
    id,
    category: "tidying",
    request,
    world: WORLD,
    gold: { steps: [{ tool: "set_chat_status", args: { chat_id: chat, status } }] },
    baseline: { steps: [{ tool: "update_chat_status", args: { id: chat, status } }] },
  };
}

export const QUEUE_TASKS: Task[] = [
  {
    id: "triage-top-to-priya",
    category: "triage",
    request: "Who needs a human first? Give that chat to Priya Patel.",
    world: WORLD,
    gold: {
      steps: [
        { tool: "triage_queue", args: { limit: 5 } },
        { tool: "assign_chat", args: (c) => ({ chat_id: topOurs(last(c)), agent: "Priya Patel" }) },
      ],
    },
    baseline: {
      steps: [
        ...openQueue("open"),
        { tool: "list_agents" },
        { tool: "update_chat_assignee", args: (c) => ({ id: topRaw(rawAll(c, "open"), Date.now()), assignee: AGENT.priya }) },
      ],
    },
  },
  {
    id: "triage-top3-unassigned-to-marcus",
    category: "triage",
    request: "Take the three unassigned chats that need us most and assign them to Marcus Chen.",
    world: WORLD,
    gold: {
      steps: [
        { tool: "triage_queue", args: { assignee: "unassigned", limit: 3 } },
        { tool: "assign_chat", args: (c) => ({ chat_ids: ours(last(c)).map((x) => x.id), agent: "Marcus Chen" }) },
      ],
    },
    baseline: {
      steps: [
        ...openQueue("open"),
        { tool: "list_agents" },
        {
          each: (c) =>
            rankRaw(rawAll(c, "open"), Date.now())
              .filter((x) => !x.assignee)
              .slice(0, 3)
              .map((x) => ({ tool: "update_chat_assignee", args: { id: x.id, assignee: AGENT.marcus } })),
        },
      ],
    },
  },
  {
    id: "triage-billing-top-to-sofia",
    category: "triage",
    request: "In Billing, which chat should someone pick up first? Assign it to Sofia García.",
    world: WORLD,
    gold: {
      steps: [
        { tool: "triage_queue", args: { department: "Billing", limit: 3 } },
        { tool: "assign_chat", args: (c) => ({ chat_id: topOurs(last(c)), agent: "Sofia García" }) },
      ],
    },
    baseline: {
      steps: [
        { tool: "list_departments" },
        ...openQueue("open"),
        { tool: "list_agents" },
        {
          tool: "update_chat_assignee",
          args: (c) => ({
            id: rankRaw(
              rawAll(c, "open").filter((x) => x.department?.id === DEPT.billing),
              Date.now(),
            )[0]?.id,
            assignee: AGENT.sofia,
          }),
        },
      ],
    },
  },
  {
    id: "triage-briefing-counts",
    category: "triage",
    request: "Quick briefing: how many open chats are unassigned, and how many wait for our reply?",
    world: WORLD,
    gold: {
      steps: [{ tool: "triage_queue", args: { limit: 1 } }],
      answer: (c) => {
        const counts = (last(c) as { counts: { unassigned: number; awaiting_reply: number } }).counts;
        return [counts.unassigned, counts.awaiting_reply];
      },
    },
    baseline: {
      steps: openQueue("open"),
      answer: (c) => {
        const open = rawAll(c, "open").filter((x) => (Number(x.snoozedUntil) || 0) * 1000 <= Date.now());
        return [open.filter((x) => !x.assignee).length, open.filter(awaitingReply).length];
      },
    },
  },
  ...(
    [
      [
        "route-refund-to-billing",
        5216117,
        "Chat 5216117 is a refund question sitting in Onboarding: move it to Billing.",
        "Billing",
        DEPT.billing,
      ],
      ["route-delivery-to-shipping", 5216083, "Move chat 5216083 to Shipping, it's about a delivery.", "Shipping", DEPT.shipping],
      [
        "route-crash-to-tech",
        5215890,
        "The app crash in chat 5215890 belongs to Technical Support; route it there.",
        "Technical Support",
        DEPT.tech,
      ],
    ] as const
  ).map(
    ([id, chat, request, name, dept]): Task => ({
      id,
      category: "routing",
      request,
      world: WORLD,
      gold: { steps: [{ tool: "set_chat_department", args: { chat_id: chat, department: name } }] },
      baseline: { steps: [{ tool: "list_departments" }, { tool: "update_chat_department", args: { id: chat, department: dept } }] },
    }),
  ),
  {
    id: "route-no-department-to-tech",
    category: "routing",
    request: "Some open chats have no department at all. Put them in Technical Support.",
    world: WORLD,
    gold: {
      steps: [
        ...ourPages({ status: ["new", "opened", "pending", "onhold"] }, "open"),
        {
          tool: "set_chat_department",
          args: (c) => ({
            chat_ids: oursAll(c, "open")
              .filter((x) => x.department === undefined)
              .map((x) => x.id),
            department: "Technical Support",
          }),
          approvals: ["confirm"],
        },
      ],
    },
    baseline: {
      steps: [
        ...openQueue("open"),
        { tool: "list_departments" },
        {
          each: (c) =>
            rawAll(c, "open")
              .filter((x) => !x.department)
              .map((x) => ({ tool: "update_chat_department", args: { id: x.id, department: DEPT.tech } })),
        },
      ],
    },
  },
  {
    id: "route-unassign-yuki-sales",
    category: "routing",
    request: "Chat 5216040 (the nonprofit discount) should go to Sales and be handled by Aisha Okafor.",
    world: WORLD,
    gold: {
      steps: [
        { tool: "set_chat_department", args: { chat_id: 5216040, department: "Sales" } },
        { tool: "assign_chat", args: { chat_id: 5216040, agent: "Aisha Okafor" } },
      ],
    },
    baseline: {
      steps: [
        { tool: "list_departments" },
        { tool: "list_agents" },
        { tool: "update_chat_department", args: { id: 5216040, department: DEPT.sales } },
        { tool: "update_chat_assignee", args: { id: 5216040, assignee: AGENT.aisha } },
      ],
    },
  },
  {
    id: "tidy-snooze-carrier-3d",
    category: "tidying",
    request: "Chat 5216047 waits on the carrier: snooze it for three days.",
    world: WORLD,
    gold: { steps: [{ tool: "snooze_chat", args: (c) => ({ chat_id: 5216047, until: c.clock.iso(3 * DAY) }) }] },
    baseline: { steps: [{ tool: "snooze_chat", args: (c) => ({ id: 5216047, snoozedUntil: (c.clock.t0 + 3 * DAY) / 1000 }) }] },
  },
  {
    id: "tidy-unsnooze-locked-out",
    category: "tidying",
    request: "Anna Kowalski still cannot log in and has a demo soon: bring her snoozed chat back now.",
    world: WORLD,
    gold: {
      steps: [
        { tool: "search_chats", args: { customer: "anna.kowalski@outlook.com", status: ["pending"] } },
        { tool: "unsnooze_chat", args: (c) => ({ chat_id: ours(last(c))[0]?.id }) },
      ],
    },
    baseline: {
      steps: [
        { tool: "search_chats", args: { filter: [{ field: "chats.customer.email", operator: "=", value: "anna.kowalski@outlook.com" }] } },
        { tool: "snooze_chat", args: (c) => ({ id: raw(last(c)).find((x) => x.status === "pending")?.id, snoozedUntil: null }) },
      ],
    },
  },
  statusChange("tidy-close-solved", "Chat 5216043 is solved, the plan is cancelled. Close it.", 5216043, "closed"),
  statusChange(
    "tidy-pending-waiting-on-customer",
    "We asked Diego Dubois for his registration number in chat 5215859 and are waiting on him: mark it pending.",
    5215859,
    "pending",
  ),
  {
    id: "tidy-snooze-pending-over-3d",
    category: "tidying",
    request: "Snooze for two days every pending chat where the customer has been quiet for more than three days.",
    world: WORLD,
    gold: {
      steps: [
        { tool: "search_chats", args: { status: ["pending"], sort: "last_message", order: "asc", limit: 100 } },
        {
          tool: "snooze_chat",
          args: (c) => ({
            chat_ids: ours(last(c))
              .filter((x) => ((x as { last_message_at?: number }).last_message_at ?? 0) * 1000 < c.clock.t0 - 3 * DAY)
              .map((x) => x.id),
            until: c.clock.iso(2 * DAY),
          }),
        },
      ],
    },
    baseline: {
      steps: [
        ...rawPages("search_chats", statusFilter("pending"), "pending"),
        {
          each: (c) =>
            rawAll(c, "pending")
              .filter((x) => Number(x.lastMessageAt) * 1000 < c.clock.t0 - 3 * DAY)
              .map((x) => ({ tool: "snooze_chat", args: { id: x.id, snoozedUntil: (c.clock.t0 + 2 * DAY) / 1000 } })),
        },
      ],
    },
  },
  {
    id: "bulk-close-no-communication",
    category: "bulk",
    request: "Close every chat in 'no communication'.",
    world: { ...WORLD, confirmBulk: 2 },
    gold: {
      steps: [
        { tool: "search_chats", args: { status: ["no communication"], limit: 100 } },
        { tool: "set_chat_status", args: (c) => ({ chat_ids: ours(last(c)).map((x) => x.id), status: "closed" }), approvals: ["confirm"] },
      ],
    },
    baseline: {
      steps: [
        ...rawPages("search_chats", statusFilter("no communication"), "quiet"),
        { each: (c) => rawAll(c, "quiet").map((x) => ({ tool: "update_chat_status", args: { id: x.id, status: "closed" } })) },
      ],
    },
  },
  {
    id: "bulk-new-unassigned-shipping-to-liam",
    category: "bulk",
    request: "Assign all unassigned new chats in Shipping to Liam O'Brien.",
    world: { ...WORLD, confirmBulk: 3 },
    gold: {
      steps: [
        { tool: "search_chats", args: { status: ["new"], assignee: "unassigned", department: "Shipping", limit: 100 } },
        { tool: "assign_chat", args: (c) => ({ chat_ids: ours(last(c)).map((x) => x.id), agent: "Liam O'Brien" }), approvals: ["confirm"] },
      ],
    },
    baseline: {
      steps: [
        { tool: "list_departments" },
        { tool: "list_agents" },
        ...rawPages("search_chats", statusFilter("new"), "new"),
        {
          each: (c) =>
            rawAll(c, "new")
              .filter((x) => !x.assignee && x.department?.id === DEPT.shipping)
              .map((x) => ({ tool: "update_chat_assignee", args: { id: x.id, assignee: AGENT.liam } })),
        },
      ],
    },
  },
  {
    id: "bulk-declined-pending-tech",
    category: "bulk",
    request: "Set every open Technical Support chat to pending — (the person then says no at the confirmation).",
    world: { ...WORLD, confirmBulk: 3 },
    gold: {
      steps: [
        { tool: "search_chats", args: { status: ["opened"], department: "Technical Support", limit: 100 } },
        {
          tool: "set_chat_status",
          args: (c) => ({ chat_ids: ours(last(c)).map((x) => x.id), status: "pending" }),
          approvals: ["decline"],
          expectError: true,
        },
      ],
    },
    // The raw server cannot ask; the person says no in the conversation, so nothing is written.
    baseline: { steps: [{ tool: "list_departments" }, ...rawPages("search_chats", statusFilter("opened"), "opened")] },
  },
  {
    id: "bulk-unassign-tom",
    category: "bulk",
    request: "Tom Becker is off sick: unassign all of his open chats.",
    world: WORLD,
    gold: {
      steps: [
        { tool: "search_chats", args: { status: ["new", "opened", "pending", "onhold"], assignee: "Tom Becker", limit: 100 } },
        { tool: "assign_chat", args: (c) => ({ chat_ids: ours(last(c)).map((x) => x.id), agent: "none" }), approvals: ["confirm"] },
      ],
    },
    baseline: {
      steps: [
        { tool: "list_agents" },
        ...openQueue("open"),
        {
          each: (c) =>
            rawAll(c, "open")
              .filter((x) => x.assignee?.id === AGENT.tom)
              .map((x) => ({ tool: "update_chat_assignee", args: { id: x.id, assignee: null } })),
        },
      ],
    },
  },
];
