/**
 * HelpCrunch error answers → one short sentence a model can act on.
 *
 * Bodies look like `{"errors":[{code,message},…]}`, and newer answers put a generic
 * `invalid_request` first with the specific entry after it (`not_found`, or a field path such as
 * `filter[0].value`), so every entry is scanned. HTML pages from a proxy and broken JSON never
 * reach the message: only their status does.
 */

export interface ErrorDetail {
  code: string;
  message: string;
}

export interface ErrorBody {
  details: ErrorDetail[];
  /** A body was there but was not JSON (an HTML error page, a truncated answer). */
  nonJson: boolean;
}

/** Codes that say nothing beyond the status. */
const GENERIC_CODES = new Set(["invalid_request"]);
/** snake_case codes (`chat_not_found`) read well alone; field paths (`customer`, `filter[0].field`) need naming. */
const NAMED_CODE = /^[a-z]+(_[a-z]+)+$/;
const MAX_SAYS = 200;

export function parseErrorBody(text: string): ErrorBody {
  if (text.trim() === "") return { details: [], nonJson: false };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { details: [], nonJson: true };
  }
  return { details: errorEntries(body), nonJson: false };
}

function errorEntries(body: unknown): ErrorDetail[] {
  if (typeof body !== "object" || body === null) return [];
  const { errors, code, message } = body as { errors?: unknown; code?: unknown; message?: unknown };
  if (Array.isArray(errors)) return errors.flatMap((e) => toDetail(e));
  // Not HelpCrunch's documented shape, but a lone {code?, message} is still worth reading.
  return typeof message === "string" ? toDetail({ code, message }) : [];
}

function toDetail(entry: unknown): ErrorDetail[] {
  if (typeof entry === "string") return [{ code: "unknown", message: clean(entry) }];
  if (typeof entry !== "object" || entry === null) return [];
  const { code, message } = entry as { code?: unknown; message?: unknown };
  return [{ code: code == null ? "unknown" : clean(String(code)), message: message == null ? "" : clean(String(message)) }];
}

function clean(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, MAX_SAYS);
}

/** The most specific code: the first entry that is not a generic one, else the first. */
export function specificCode(details: ErrorDetail[]): string | undefined {
  return (details.find((d) => !GENERIC_CODES.has(d.code)) ?? details[0])?.code;
}

/** The specific entries joined, field codes named: "customer: This value should be of type numeric". */
export function helpcrunchSays(details: ErrorDetail[]): string {
  const said = details
    .filter((d) => !GENERIC_CODES.has(d.code) && (d.message !== "" || d.code !== "unknown"))
    .map((d) => {
      const message = d.message.replace(/[.\s]+$/, "");
      if (message === "") return d.code.replace(/[.\s]+$/, "");
      return NAMED_CODE.test(d.code) || d.code === "unknown" ? message : `${d.code}: ${message}`;
    })
    .filter((said) => said !== "")
    .join("; ");
  return said.length > MAX_SAYS ? `${said.slice(0, MAX_SAYS - 1).trimEnd()}…` : said;
}

/** The sentence for an error status, plus the code to expose. Every sentence ends with a period. */
export function describeHttpError(status: number, body: ErrorBody, line: string): { message: string; code?: string } {
  const code = specificCode(body.details);
  const says = helpcrunchSays(body.details);
  const nonJson = `HelpCrunch returned a non-JSON answer (HTTP ${status}) to ${line}`;
  let message: string;
  if (status === 401) message = "HelpCrunch rejected the API key (401). Check HELPCRUNCH_API_KEY.";
  else if (status === 403) message = "HelpCrunch refused access with this API key (403). Check HELPCRUNCH_API_KEY and its permissions.";
  else if (status === 429) message = "HelpCrunch rate limit reached (120 requests/min); wait a minute and try again.";
  else if (status >= 500) message = `HelpCrunch is having trouble (HTTP ${status}); try again shortly.`;
  // An HTML 404 is a web server's page, not HelpCrunch's API: the base URL is the likely culprit.
  else if (body.nonJson) message = status === 404 ? `${nonJson}; check HELPCRUNCH_BASE_URL.` : `${nonJson}.`;
  else if (status === 404) message = `${says || "Not found"} (HTTP 404${code ? `, ${code}` : ""}).`;
  else if (status === 400 || status === 422) message = `HelpCrunch refused the request: ${says || "invalid request"}.`;
  else message = `HelpCrunch answered HTTP ${status} to ${line}${says ? `: ${says}` : ""}.`;
  return { message, code };
}

const ENTITIES = ["chat", "agent", "customer", "department", "application", "message"] as const;

/**
 * The entity a JSON 404 is about. `chat_not_found` names the chat; `entity_not_found` says which in
 * its message ("Agent not found"); otherwise the request path's resource (GET /customers/7).
 */
export function notFoundEntity(details: ErrorDetail[], path: string): (typeof ENTITIES)[number] | "resource" {
  if (details.some((d) => d.code === "chat_not_found")) return "chat";
  const entityMessage = details.find((d) => d.code === "entity_not_found")?.message.toLowerCase() ?? "";
  const named = ENTITIES.find((e) => entityMessage.startsWith(e));
  if (named) return named;
  const resource = path.split("/")[1]?.replace(/s$/, "");
  return ENTITIES.find((e) => e === resource) ?? "resource";
}
