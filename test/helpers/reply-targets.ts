/** What the customer-message tests act on, read through the client, and the create_chat call they make on it. */
import type { Agent, Chat } from "../../src/helpcrunch/index.js";
import type { Harness } from "./harness.js";

/** The team's first agent and the first opened chat; the request log is cleared after the look-up, so a test sees only its own writes. */
export async function replyTargets(h: Harness): Promise<{ agent: Agent; chat: Chat }> {
  const agent = (await h.api.listAgents())[0] as Agent;
  const chat = (await h.api.searchChats({ statuses: ["opened"], limit: 1 })).data[0] as Chat;
  h.sandbox.clearRequests();
  return { agent, chat };
}

/** create_chat's arguments for a new chat with `chat`'s customer, in its application, opening with `message` from `agent`. */
export const newChatWithMessage = (chat: Chat, agent: Agent, message: string) => ({
  customer: chat.customer?.id,
  application_id: chat.applicationId,
  message,
  agent: agent.id,
});
