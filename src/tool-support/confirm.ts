/**
 * Asking the person at the MCP client before a write (MCP elicitation): one form, and nothing is
 * sent before the answer. A client that declared no elicitation capability, or a transport that
 * cannot carry a request back to the client (stateless HTTP), cannot be asked: `unavailable`.
 *
 * A person may take minutes: the wait sends progress notices (so a client that resets its timeout
 * on progress keeps waiting) and does not count against the call's deadline, which is pushed back
 * by the time spent in the form.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { ElicitRequestFormParams } from "@modelcontextprotocol/sdk/types.js";
import { MESSAGE_MAX } from "./params.js";
import type { CallProgress } from "./progress.js";

/** How long a form may stay open before it counts as dismissed. */
export const CONFIRM_TIMEOUT_MS = 15 * 60_000;
/** A "still waiting for the person" progress notice every this often. */
const NOTICE_EVERY_MS = 10_000;

export interface ConfirmRequest {
  /** What the person is asked, with everything they need to decide (shown as the form's message). */
  message: string;
  /** An editable text prefilled with the draft; without it the form is a yes/no. */
  draft?: { title: string; text: string };
}

export type Confirmation = { answer: "accept"; text?: string } | { answer: "decline" } | { answer: "cancel" } | { answer: "unavailable" };

export type Confirm = (request: ConfirmRequest) => Promise<Confirmation>;

/** Whether this client can be asked at all, before building any form. */
export function canElicit(server: Server, transportCanAsk: boolean): boolean {
  return transportCanAsk && server.getClientCapabilities()?.elicitation !== undefined;
}

function formFor(request: ConfirmRequest): ElicitRequestFormParams {
  const requestedSchema: ElicitRequestFormParams["requestedSchema"] = request.draft
    ? {
        type: "object",
        properties: {
          text: {
            type: "string",
            title: request.draft.title,
            description: "Edit it before sending if needed",
            default: request.draft.text,
            minLength: 1,
            maxLength: MESSAGE_MAX,
          },
        },
        required: ["text"],
      }
    : { type: "object", properties: { confirm: { type: "boolean", title: "Go ahead", default: true } }, required: ["confirm"] };
  return { mode: "form", message: request.message, requestedSchema };
}

export function makeConfirm(
  server: Server,
  transportCanAsk: boolean,
  signal: AbortSignal,
  progress: CallProgress,
  upstream: { deadline: number },
): Confirm {
  return async (request) => {
    if (!canElicit(server, transportCanAsk)) return { answer: "unavailable" };
    const started = Date.now();
    const notices = setInterval(() => progress.notice("waiting for a person to answer the confirmation form"), NOTICE_EVERY_MS);
    try {
      const result = await server.elicitInput(formFor(request), { signal, timeout: CONFIRM_TIMEOUT_MS });
      if (result.action !== "accept") return { answer: result.action };
      const content = result.content ?? {};
      if (request.draft) {
        const text = typeof content.text === "string" ? content.text.trim() : "";
        return text ? { answer: "accept", text } : { answer: "cancel" };
      }
      return content.confirm === false ? { answer: "decline" } : { answer: "accept" };
    } catch (error) {
      // The call itself was cancelled while the form was open: nothing may be sent.
      if (signal.aborted) throw error;
      // The form timed out or the client failed to answer: treated as dismissed.
      return { answer: "cancel" };
    } finally {
      clearInterval(notices);
      upstream.deadline += Date.now() - started;
    }
  };
}
