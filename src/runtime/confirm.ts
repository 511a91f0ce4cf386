/**
 * Asking the person at the MCP client before a write (MCP elicitation): one form, and nothing is
 * sent before the answer. A client that declared no elicitation capability, or a transport that
 * cannot carry a request back to the client (stateless HTTP), cannot be asked: `unavailable`.
 *
 * A person may take minutes: the wait sends progress notices (so a client that resets its timeout
 * on progress keeps waiting) and does not count against the call's deadline, which is pushed back
 * by the time spent in the form.
 */
import {
  type ClientCapabilities,
  type ElicitRequestFormParams,
  ProtocolError,
  ProtocolErrorCode,
  SdkError,
  SdkErrorCode,
  type Server,
} from "@modelcontextprotocol/server";
import type { CallProgress } from "./progress.js";

/** How long a form may stay open before it counts as dismissed. */
export const CONFIRM_TIMEOUT_MS = 15 * 60_000;
/** A "still waiting for the person" progress notice every this often. */
const NOTICE_EVERY_MS = 10_000;

export interface ConfirmRequest {
  /** What the person is asked, with everything they need to decide (shown as the form's message). */
  message: string;
  /** An editable text prefilled with the draft; without it the form is a yes/no. */
  draft?: { title: string; text: string; maxLength: number };
  /**
   * What the approval is for, when the form is answered in a later request (2026-07-28): the answer
   * counts only for the same tool and subject. Without it such a client cannot be asked.
   */
  binding?: ApprovalBinding;
}

export interface ApprovalBinding {
  tool: string;
  /** Everything the person approves but the text they may edit: the chat, agent and customer of a reply; the change and the chats of a bulk write. */
  subject: string;
}

/**
 * What came of asking. `decline` and `cancel` are the person's choice; `failed` is a form that ended
 * without a usable answer (the client erred, answered something the form cannot hold, too much, or
 * too late), said and audited as such, never passed off as the person's choice.
 */
export type Confirmation =
  | { answer: "accept"; text?: string }
  | { answer: "decline" }
  | { answer: "cancel" }
  | { answer: "unavailable" }
  | { answer: "failed"; reason: string };

export type Confirm = (request: ConfirmRequest) => Promise<Confirmation>;

/**
 * Whether this client can be asked at all, before building any form. Only form-mode elicitation can
 * confirm: a client that declares URL mode alone cannot show a form (an empty `elicitation: {}` means
 * form mode, and the SDK reads it so).
 */
export function canElicit(server: Server, transportCanAsk: boolean): boolean {
  return transportCanAsk && canShowForm(server.getClientCapabilities());
}

/** Form-mode elicitation in a client's capabilities; an empty `elicitation: {}` is form mode (the spec's default). */
export function canShowForm(capabilities: ClientCapabilities | undefined): boolean {
  const elicitation = capabilities?.elicitation;
  return elicitation !== undefined && (elicitation.form !== undefined || elicitation.url === undefined);
}

export function formFor(request: ConfirmRequest): ElicitRequestFormParams {
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
            maxLength: request.draft.maxLength,
          },
        },
        required: ["text"],
      }
    : { type: "object", properties: { confirm: { type: "boolean", title: "Go ahead", default: true } }, required: ["confirm"] };
  return { mode: "form", message: request.message, requestedSchema };
}

/** The person's answer read from an accepted form, or why it cannot be used. */
export function readAccepted(request: ConfirmRequest, content: Record<string, unknown> | undefined): Confirmation {
  if (!request.draft) {
    if (content?.confirm === false) return { answer: "decline" };
    return content?.confirm === true ? { answer: "accept" } : { answer: "failed", reason: "the client accepted without a yes or no" };
  }
  if (content?.text === undefined) return { answer: "failed", reason: "the client accepted without the text" };
  const text = typeof content.text === "string" ? content.text.trim() : "";
  return text ? { answer: "accept", text } : { answer: "failed", reason: "the text in the form was empty" };
}

/**
 * Marks the error response a transport hands the server in place of a client's answer too long to
 * read (the value is the limit in bytes), so the request waiting for that answer ends now and says why.
 */
export const OVERSIZED_ANSWER = "helpcrunchOversizedAnswer";

/** The byte limit an oversized answer broke, when `error` stands for one. */
function oversizedLimit(error: unknown): number | undefined {
  const data = (error as { data?: unknown } | null)?.data;
  const limit = typeof data === "object" && data !== null ? (data as Record<string, unknown>)[OVERSIZED_ANSWER] : undefined;
  return typeof limit === "number" ? limit : undefined;
}

/** Why a form request failed, in words for the model and the audit line. */
function failureReason(error: unknown, request: ConfirmRequest): string {
  const limit = oversizedLimit(error);
  if (limit !== undefined) return `the client's answer was over ${limit / 1_000_000} MB and was dropped`;
  if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout)
    return `no answer within ${CONFIRM_TIMEOUT_MS / 60_000} minutes`;
  if (error instanceof ProtocolError) {
    // The SDK checks an accepted answer against the form's schema (type, length) before we see it.
    if (error.code === ProtocolErrorCode.InvalidParams && /requested schema/.test(error.message))
      return `the answer did not fit the form${request.draft ? ` (the text must be a string of 1 to ${request.draft.maxLength} characters)` : ""}`;
    return `the client could not show the form (it answered with error ${error.code})`;
  }
  // The SDK's parse of the result failed: an unknown action or a malformed result.
  return "the client's answer was not a valid answer to a form";
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
      return result.action === "accept" ? readAccepted(request, result.content) : { answer: result.action };
    } catch (error) {
      // The call itself was cancelled while the form was open: nothing may be sent.
      if (signal.aborted) throw error;
      return { answer: "failed", reason: failureReason(error, request) };
    } finally {
      clearInterval(notices);
      upstream.deadline += Date.now() - started;
    }
  };
}
