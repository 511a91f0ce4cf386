import { z } from "zod";
import type { Chat } from "../helpcrunch/index.js";
import { defineChatWriteTool } from "./kit/chat-write.js";
import { agentRef } from "./kit/params.js";

const UNASSIGN = new Set(["none", "unassigned", "nobody"]);

function showAssignee(chat: Chat): string {
  return chat.assignee ? (chat.assignee.name ?? `agent ${chat.assignee.id}`) : "unassigned";
}

export const assignChat = defineChatWriteTool({
  name: "assign_chat",
  title: "Assign chats",
  description: `Assign chats to an agent, or unassign them with agent "none".
Use it to hand a chat to the right person; set_chat_department routes to a team instead.
Example: {"chat_id": 5215752, "agent": "Priya Patel"}.`,
  destructive: false,
  idempotent: true,
  shape: {
    agent: z.union([agentRef, z.literal("none")]).describe('Agent id, email or name, e.g. "Priya Patel"; "none" unassigns'),
  },
  async plan(args, ctx) {
    const unassign = typeof args.agent === "string" && UNASSIGN.has(args.agent.trim().toLowerCase());
    const agent = unassign ? null : await ctx.directory.resolveAgent(args.agent, ctx.upstream);
    const agentId = agent?.id ?? null;
    return {
      field: "assignee",
      intent: agent ? `Assign to ${agent.name ?? `agent ${agent.id}`}` : "Unassign",
      prepare: (id) => ctx.client.prepare.setAssignee(id, agentId),
      show: showAssignee,
    };
  },
});
