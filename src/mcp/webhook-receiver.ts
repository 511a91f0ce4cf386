/**
 * POST /webhooks/helpcrunch (with --http): HelpCrunch's webhook deliveries keep the live queue fresh.
 *
 * The signature is the only authentication HelpCrunch can send, so this route skips the MCP bearer
 * token and the Host/Origin allowlists (they guard browsers and MCP clients, not a server-to-server
 * POST), and checks instead: body at most 1 MB, read raw; HMAC-SHA1 of exactly those bytes with
 * HELPCRUNCH_WEBHOOK_SECRET, compared in constant time; unsigned or wrong → 401 and nothing changes
 * (and one warning a minute at most, with a count: anyone can send those).
 * A verified delivery is answered 202 at once and applied afterwards (HelpCrunch should not wait on
 * us, and a slow API read for one event must not hold its retry timer).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { SIGNATURE_HEADER, verifyWebhookSignature } from "../helpcrunch/webhook-signature.js";
import { parseWebhook } from "../helpcrunch/webhooks.js";
import { RepeatedWarning } from "../log.js";
import type { ToolServices } from "../runtime/context.js";
import { readBody } from "./read-body.js";

export const WEBHOOK_PATH = "/webhooks/helpcrunch";
export const MAX_WEBHOOK_BYTES = 1_000_000;

function answer(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json", ...(status === 413 ? { connection: "close" } : {}) });
  res.end(JSON.stringify(status < 300 ? { ok: true } : { error: message }));
}

export interface WebhookReceiver {
  receive(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Writes the summary of refusals not logged yet (on shutdown). */
  close(): void;
}

/**
 * The route needs no token, so anyone who reaches it can send refused deliveries: they are warned
 * about once, then summarised (RepeatedWarning), never one line each.
 */
export function webhookReceiver(services: ToolServices): WebhookReceiver {
  const refusals = new RepeatedWarning(
    (message) => services.log.warn(message),
    "webhook refused: missing or wrong X-HelpCrunch-Signature (is HELPCRUNCH_WEBHOOK_SECRET the account's signing key?)",
  );
  return { receive: (req, res) => receiveWebhook(req, res, services, refusals), close: () => refusals.flush() };
}

async function receiveWebhook(req: IncomingMessage, res: ServerResponse, services: ToolServices, refusals: RepeatedWarning): Promise<void> {
  const secret = services.config.webhookSecret;
  const live = services.liveQueue;
  if (req.method !== "POST") {
    res.setHeader("allow", "POST");
    return answer(res, 405, "POST HelpCrunch webhook deliveries here");
  }
  if (!secret || !live) return answer(res, 404, "Webhooks are off: set HELPCRUNCH_WEBHOOK_SECRET to HelpCrunch's webhook signing key");
  const body = await readBody(req, MAX_WEBHOOK_BYTES);
  if (!body) return answer(res, 413, `Webhook body over ${MAX_WEBHOOK_BYTES} bytes`);
  const signature = req.headers[SIGNATURE_HEADER];
  if (!verifyWebhookSignature(body, Array.isArray(signature) ? signature[0] : signature, secret)) {
    refusals.note();
    return answer(res, 401, "Missing or wrong X-HelpCrunch-Signature");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return answer(res, 400, "Webhook body is not JSON");
  }
  const event = parseWebhook(parsed);
  if (!event) return answer(res, 400, "Not a HelpCrunch webhook envelope");
  answer(res, 202, "accepted");
  live
    .receive(event)
    .catch((error: unknown) =>
      services.log.warn(`webhook ${event.event} not applied: ${error instanceof Error ? error.message : String(error)}`),
    );
}
