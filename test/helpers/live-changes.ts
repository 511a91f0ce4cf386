/**
 * Random changes to a sandbox, as a busy support team and its customers make them (through the
 * API, or as a customer writing in the widget), for the live queue's property tests; and the two
 * views they compare: the mirror, and a fresh scan of the open queue.
 */
import fc from "fast-check";
import { OPEN_STATUSES } from "../../src/domain/conversation.js";
import type { Chat } from "../../src/helpcrunch/index.js";
import type { SandboxHandle } from "../../src/sandbox/index.js";
import { queueChat } from "../../src/services/live-queue.js";
import type { LiveRig } from "./live.js";

/** A request to the sandbox's API with its key; the answer is dropped (its webhook is what counts). */
export const sandboxApi =
  (sandbox: SandboxHandle) =>
  async (method: string, path: string, body: unknown): Promise<void> => {
    const response = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${sandbox.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    await response.body?.cancel();
  };

const byId = (chats: Chat[]) => [...chats].sort((a, b) => a.id - b.id);
/** The open queue as the mirror keeps it (queueChat: the fields the queue needs, text trimmed). */
export const openQueueNow = async (rig: LiveRig) =>
  byId((await rig.services.client.scanChats({ statuses: [...OPEN_STATUSES] })).chats.map(queueChat));
export const mirroredQueue = async (rig: LiveRig) => byId((await rig.services.liveQueue.snapshot()).chats);

export type Action =
  | { kind: "customer" | "agent" | "note"; pick: number; agent: number }
  | { kind: "status"; pick: number; status: string }
  | { kind: "assign"; pick: number; agent: number | null }
  | { kind: "snooze"; pick: number; minutes: number | null }
  | { kind: "create"; pick: number };

export const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constantFrom("customer" as const, "agent" as const, "note" as const), pick: fc.nat(), agent: fc.nat() }),
  fc.record({
    kind: fc.constant("status" as const),
    pick: fc.nat(),
    status: fc.constantFrom("new", "opened", "pending", "on hold", "closed"),
  }),
  fc.record({ kind: fc.constant("assign" as const), pick: fc.nat(), agent: fc.option(fc.nat(), { nil: null }) }),
  fc.record({ kind: fc.constant("snooze" as const), pick: fc.nat(), minutes: fc.option(fc.integer({ min: 5, max: 600 }), { nil: null }) }),
  fc.record({ kind: fc.constant("create" as const), pick: fc.nat() }),
);

/** Makes one change at `clock` (epoch ms, the sandbox's time). */
export async function performChange(sandbox: SandboxHandle, a: Action, clock: number): Promise<void> {
  const api = sandboxApi(sandbox);
  const { state } = sandbox;
  // Few chats, so that one chat gets several changes whose webhooks then arrive out of order: the oldest
  // seeded ones and the newest (created by earlier changes).
  const all = [...state.chats.values()];
  const chats = [...all.slice(0, 6), ...all.slice(Math.max(6, all.length - 4))];
  const chat = chats[a.pick % chats.length] as (typeof chats)[number];
  const agents = [...state.agents.keys()];
  const agent = (n: number) => agents[n % agents.length] as number;
  switch (a.kind) {
    case "customer":
      return sandbox.customerWrites(chat.id, `customer says ${a.pick}`);
    case "agent":
    case "note":
      return api("POST", "/messages", {
        chat: chat.id,
        text: `agent ${a.pick}`,
        agent: agent(a.agent),
        type: a.kind === "note" ? "private" : "message",
      });
    case "status":
      return api("PUT", "/chats/status", { id: chat.id, status: a.status });
    case "assign":
      return api("PUT", "/chats/assignee", { id: chat.id, assignee: a.agent === null ? null : agent(a.agent) });
    case "snooze":
      return api("PUT", "/chats/snooze", {
        id: chat.id,
        snoozedUntil: a.minutes === null ? null : Math.floor(clock / 1000) + a.minutes * 60,
      });
    case "create": {
      const customers = [...state.customers.keys()];
      return api("POST", "/chats", { customer: customers[a.pick % customers.length], application: [...state.applications.keys()][0] });
    }
  }
}
