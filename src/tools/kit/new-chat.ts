/**
 * Creating a chat and posting its first message, for create_chat and for the approval card's Send
 * of a create_chat draft: POST /chats once, then POST /messages once; a failure after the chat exists
 * names it, so nobody creates it twice.
 */
import type { Chat, CreateMessageInput, PlannedRequest, PreparedWrite } from "../../helpcrunch/index.js";
import type { ToolContext } from "../../runtime/context.js";
import { ToolError } from "../../tool-error.js";
import { audited, isOutcomeUnknown } from "./audited.js";
import { type Approved, postMessage } from "./message-safety.js";

const NEW_CHAT_PLACEHOLDER = "<id of the new chat>";

/** The chat id is not known before POST /chats answers: a message prepared for a stand-in id shows a placeholder. */
export const forNewChat = (request: PlannedRequest): PlannedRequest => ({
  ...request,
  body: { ...(request.body as object), chat: NEW_CHAT_PLACEHOLDER },
});

/** POST /chats, audited; an unknown outcome says how to check instead of inviting a retry. */
export async function openChat(write: PreparedWrite<Chat>, ctx: ToolContext): Promise<Chat> {
  const { result } = await audited(ctx, {
    tool: "create_chat",
    write,
    after: (c) => `chat ${c.id} created`,
    chatIdOf: (c) => c.id,
  }).catch((error: unknown) => {
    if (!isOutcomeUnknown(error)) throw error;
    throw new ToolError(
      "The chat may or may not have been created (HelpCrunch's answer was lost). Check with search_chats for this customer before trying again.",
    );
  });
  return result;
}

/** The first message; if it fails the chat exists anyway, so the error gives its id and the way on. */
export async function postFirstMessage(
  input: CreateMessageInput,
  ctx: ToolContext,
  approved?: Pick<Approved, "approval" | "via">,
): Promise<number> {
  const chatId = input.chat;
  try {
    return (await postMessage("create_chat", input, ctx, approved)).id;
  } catch (error) {
    const what = isOutcomeUnknown(error) ? "may not have been posted" : "failed";
    throw new ToolError(
      `Chat ${chatId} was created, but its first message ${what} (${(error as Error).message}). Check with get_chat ${chatId}, then use send_message with chat_id ${chatId}; do not create the chat again.`,
    );
  }
}
