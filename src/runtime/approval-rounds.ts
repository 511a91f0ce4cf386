/**
 * Confirmation forms on protocol revision 2026-07-28, where the server cannot send the client a
 * request: the tool call answers "input required" with the form and a sealed state, and the client
 * calls again with the person's answer. The call starts over from the top (lookups, duplicate
 * checks), and the answer is taken only with a state this process sealed, unexpired, for the same
 * tool and subject (a reply's chat, agent and customer; a bulk write's change and chats), and (with
 * OAuth) the same person.
 */
import {
  acceptedContent,
  createRequestStateCodec,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  type RequestStateCodec,
  type ServerContext,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import { type ApprovalBinding, type Confirm, type Confirmation, type ConfirmRequest, formFor, readAccepted } from "./confirm.js";

/** How long a form may stay open before its state is refused, as CONFIRM_TIMEOUT_MS for a form on stdio. */
const STATE_TTL_SECONDS = 15 * 60;
/** The key of the one input request a tool call makes. */
const APPROVAL_KEY = "approval";

export type ApprovalCodec = RequestStateCodec<ApprovalBinding>;

/**
 * The sealing for this process: MCP_STATE_SECRET when set (every replica behind a load balancer
 * must share it, since the answer may reach another one), else a random key, which only holds
 * while one process serves both requests.
 */
export function createApprovalCodec(secret: string | undefined): ApprovalCodec {
  return createRequestStateCodec<ApprovalBinding>({
    // Web Crypto, not node:crypto: an import of that would load it at every start (test/e2e/build.test.ts).
    key: secret ?? crypto.getRandomValues(new Uint8Array(32)),
    ttlSeconds: STATE_TTL_SECONDS,
    // The state is for the person who was asked: another token's call cannot use their approval.
    bind: (ctx: ServerContext) => `${ctx.mcpReq.method}\0${ctx.http?.authInfo?.clientId ?? ""}`,
  });
}

/** Thrown from inside a tool call to answer it with "input required"; the server returns `result`. */
export class InputNeeded extends Error {
  constructor(readonly result: InputRequiredResult) {
    super("input required");
    this.name = "InputNeeded";
  }
}

/** What one request of a round trip carries: the state it echoed (already verified) and the answers. */
export interface Round {
  state: ApprovalBinding | undefined;
  inputResponses: Record<string, unknown> | undefined;
  /** Did this client say it can show a form (elicitation, form mode)? */
  canShowForm: boolean;
  mint(binding: ApprovalBinding): Promise<string>;
}

const sameBinding = (a: ApprovalBinding, b: ApprovalBinding) => a.tool === b.tool && a.subject === b.subject;

/** The form's answer, checked against the form (the client's answer is not checked by the SDK here). */
function answerSchema(request: ConfirmRequest) {
  return request.draft ? z.object({ text: z.string().min(1).max(request.draft.maxLength) }) : z.object({ confirm: z.boolean() });
}

function readAnswer(request: ConfirmRequest, round: Round): Confirmation | undefined {
  const view = inputResponse(round.inputResponses, APPROVAL_KEY);
  if (view.kind === "missing") return undefined;
  if (view.kind !== "elicit") return { answer: "failed", reason: "the client's answer was not a valid answer to a form" };
  if (view.action !== "accept") return { answer: view.action };
  const content = acceptedContent(round.inputResponses, APPROVAL_KEY, answerSchema(request));
  if (!content)
    return {
      answer: "failed",
      reason: `the answer did not fit the form${request.draft ? ` (the text must be a string of 1 to ${request.draft.maxLength} characters)` : ""}`,
    };
  return readAccepted(request, content);
}

export function makeRoundTripConfirm(round: Round): Confirm {
  return async (request) => {
    if (!request.binding || !round.canShowForm) return { answer: "unavailable" };
    // An answer counts only under the state sealed for this very approval; anything else asks afresh.
    const answer = round.state && sameBinding(round.state, request.binding) ? readAnswer(request, round) : undefined;
    if (answer) return answer;
    throw new InputNeeded(
      inputRequired({
        inputRequests: { [APPROVAL_KEY]: inputRequired.elicit(formFor(request)) },
        requestState: await round.mint(request.binding),
      }),
    );
  };
}
