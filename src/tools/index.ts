/** The tool registry: every tool the server can offer, reads first. Adding a tool touches this file and its own. */

import type { Tool } from "../runtime/define-tool.js";
import { assignChat } from "./assign_chat.js";
import { chatStats } from "./chat_stats.js";
import { createChat } from "./create_chat.js";
import { discardReply } from "./discard_reply.js";
import { getChat } from "./get_chat.js";
import { getCustomer } from "./get_customer.js";
import { listAgents } from "./list_agents.js";
import { listChatMessages } from "./list_chat_messages.js";
import { listDepartments } from "./list_departments.js";
import { searchChats } from "./search_chats.js";
import { searchCustomers } from "./search_customers.js";
import { searchKnowledge } from "./search_knowledge.js";
import { sendApprovedReply } from "./send_approved_reply.js";
import { sendMessage } from "./send_message.js";
import { setChatDepartment } from "./set_chat_department.js";
import { setChatStatus } from "./set_chat_status.js";
import { snoozeChat } from "./snooze_chat.js";
import { tagCustomer } from "./tag_customer.js";
import { triageQueue } from "./triage_queue.js";
import { unsnoozeChat } from "./unsnooze_chat.js";

export const TOOLS: readonly Tool[] = [
  triageQueue,
  searchChats,
  getChat,
  listChatMessages,
  listAgents,
  listDepartments,
  searchCustomers,
  getCustomer,
  searchKnowledge,
  chatStats,
  snoozeChat,
  unsnoozeChat,
  assignChat,
  setChatDepartment,
  setChatStatus,
  tagCustomer,
  sendMessage,
  createChat,
];

export const TOOL_NAMES = TOOLS.map((t) => t.name);

/** A registered tool by name, for the server's resources that render a tool's answer (helpcrunch://queue, a chat). */
export function registeredTool(name: string): Tool {
  const tool = TOOLS.find((t) => t.name === name);
  if (!tool) throw new Error(`no registered tool ${name}`);
  return tool;
}

/**
 * Tools only an MCP Apps view may call (`_meta.ui.visibility: ["app"]`): the approval card's buttons.
 * Registered with the customer-message tools under HELPCRUNCH_CUSTOMER_MESSAGES=confirm, listed only
 * to clients that show views (hosts keep them from the model), and not in TOOLS (docs, instructions).
 */
export const APP_TOOLS: readonly Tool[] = [sendApprovedReply, discardReply];

/** Tools that need a knowledge source (HELPCRUNCH_KNOWLEDGE_URL or HELPCRUNCH_SAVED_REPLIES): not offered without one. */
const NEEDS_KNOWLEDGE = new Set([searchKnowledge.name]);

/** Read-only mode drops every write tool; HELPCRUNCH_TOOLS keeps only the named ones; no knowledge source, no search_knowledge. */
export function selectTools(options: { readOnly: boolean; allow?: string[]; knowledge?: boolean }): Tool[] {
  return TOOLS.filter(
    (t) =>
      !(options.readOnly && t.kind === "write") &&
      (!options.allow || options.allow.includes(t.name)) &&
      (options.knowledge !== false || !NEEDS_KNOWLEDGE.has(t.name)),
  );
}

export type { Tool } from "../runtime/define-tool.js";
