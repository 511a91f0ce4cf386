/** POST /messages: an agent reply, an agent's private note, or — without `agent` — a customer message. */
import { asInt, invalidChatValue, notFound, objectBody, optionalInt, SAYS, Violations } from "../api-error.js";
import { messageJson } from "../serialize.js";
import { addMessage } from "../state.js";
import { findChat } from "./chats.js";
import type { Reply, Route, RouteInput } from "./route.js";

const MESSAGE_TYPES = new Set(["message", "private"]);

function createMessage({ state, body: raw, now }: RouteInput): Reply {
  const body = objectBody(raw);
  // The chat is checked first, in the older error style the create-message page documents.
  const chatId = asInt(body.chat);
  if (chatId === undefined) throw invalidChatValue("Invalid chat ID");
  const chat = findChat(state, chatId, "Chat is missing");

  const violations = new Violations();
  if (body.text === undefined || body.text === null || body.text === "") violations.add("text", SAYS.blank);
  else if (typeof body.text !== "string") violations.add("text", SAYS.string);
  // `type` is required for agent messages [doc]; a missing one is read as a regular message [guess].
  const type = body.type === undefined ? "message" : body.type;
  if (typeof type !== "string" || !MESSAGE_TYPES.has(type)) violations.add("type", SAYS.invalid);
  const agentId = optionalInt(body, "agent", violations);
  violations.check();
  if (agentId != null && !state.agents.has(agentId)) throw notFound("entity_not_found", "Agent not found");

  // HelpCrunch's documented quirk: without `agent` the message is posted as the customer.
  const message = addMessage(state, chat, {
    from: agentId == null ? "customer" : "agent",
    text: body.text as string,
    type: type as string,
    agentId: agentId ?? null,
    createdAt: now,
    read: false,
  });
  return [200, messageJson(state, message)];
}

export const MESSAGE_ROUTES: Route[] = [{ method: "POST", pattern: /^\/messages$/, handle: createMessage }];
