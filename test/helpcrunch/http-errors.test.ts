/** HelpCrunch error bodies → code, details and one sentence a model can act on. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeHttpError, helpcrunchSays, parseErrorBody, specificCode } from "../../src/helpcrunch/http-errors.js";

const body = (...errors: Array<{ code: string; message: string }>) => parseErrorBody(JSON.stringify({ errors }));
const LINE = "GET /chats/5";

describe("parseErrorBody", () => {
  it("keeps every entry and picks the specific code behind a generic invalid_request", () => {
    const parsed = body({ code: "invalid_request", message: "Invalid request" }, { code: "not_found", message: "Chat not found" });
    expect(parsed.details).toEqual([
      { code: "invalid_request", message: "Invalid request" },
      { code: "not_found", message: "Chat not found" },
    ]);
    expect(specificCode(parsed.details)).toBe("not_found");
  });

  it("falls back to the generic code when it is the only one", () => {
    expect(specificCode(body({ code: "invalid_request", message: "Invalid request" }).details)).toBe("invalid_request");
    expect(specificCode([])).toBeUndefined();
  });

  it("marks HTML and broken JSON as non-JSON, an empty body as no body", () => {
    expect(parseErrorBody("<html><body>502 Bad Gateway</body></html>")).toEqual({ details: [], nonJson: true });
    expect(parseErrorBody('{"errors":[{"co')).toEqual({ details: [], nonJson: true });
    expect(parseErrorBody("")).toEqual({ details: [], nonJson: false });
  });

  it("tolerates odd shapes: string entries, missing fields, a lone message, junk", () => {
    expect(parseErrorBody(JSON.stringify({ errors: ["Boom", null, { message: "no code" }, { code: 42 }] })).details).toEqual([
      { code: "unknown", message: "Boom" },
      { code: "unknown", message: "no code" },
      { code: "42", message: "" },
    ]);
    expect(parseErrorBody(JSON.stringify({ code: "x_y", message: "Lone" })).details).toEqual([{ code: "x_y", message: "Lone" }]);
    expect(parseErrorBody("[1,2]").details).toEqual([]);
    expect(parseErrorBody("null").details).toEqual([]);
  });

  it("never throws, whatever the body", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ errors: v })),
        ),
        (text) => {
          const parsed = parseErrorBody(text);
          for (const d of parsed.details) expect(typeof d.code === "string" && typeof d.message === "string").toBe(true);
        },
      ),
    );
  });
});

describe("helpcrunchSays", () => {
  it("names field-path codes, lets snake_case codes speak alone, drops the generic entry", () => {
    const details = body(
      { code: "invalid_request", message: "Invalid request" },
      { code: "customer", message: "This value should be of type numeric." },
      { code: "filter[0].field", message: "This value should not be blank." },
      { code: "invalid_chat_value", message: "status value is invalid" },
    ).details;
    expect(helpcrunchSays(details)).toBe(
      "customer: This value should be of type numeric; filter[0].field: This value should not be blank; status value is invalid",
    );
  });

  it("truncates to about 200 characters", () => {
    const details = Array.from({ length: 20 }, (_, i) => ({ code: `field${i}`, message: "This value is far too long to be useful here" }));
    const said = helpcrunchSays(details);
    expect(said.length).toBeLessThanOrEqual(200);
    expect(said.endsWith("…")).toBe(true);
  });
});

describe("describeHttpError", () => {
  it("401 and 403 point at the key", () => {
    expect(describeHttpError(401, body({ code: "invalid_token", message: "Invalid token" }), LINE)).toEqual({
      message: "HelpCrunch rejected the API key (401). Check HELPCRUNCH_API_KEY.",
      code: "invalid_token",
    });
    expect(describeHttpError(403, parseErrorBody(""), LINE).message).toMatch(/\(403\).*HELPCRUNCH_API_KEY/);
  });

  it("404 keeps HelpCrunch's message and the code", () => {
    const old = describeHttpError(404, body({ code: "chat_not_found", message: "Chat not found" }), LINE);
    expect(old).toEqual({ message: "Chat not found (HTTP 404, chat_not_found).", code: "chat_not_found" });
    const newer = describeHttpError(
      404,
      body({ code: "invalid_request", message: "Invalid request" }, { code: "not_found", message: "Chat not found" }),
      LINE,
    );
    expect(newer).toEqual({ message: "Chat not found (HTTP 404, not_found).", code: "not_found" });
  });

  it("an HTML 404 is a wrong base URL, not a missing chat", () => {
    expect(describeHttpError(404, parseErrorBody("<html>Not Found</html>"), LINE).message).toBe(
      "HelpCrunch returned a non-JSON answer (HTTP 404) to GET /chats/5; check HELPCRUNCH_BASE_URL.",
    );
  });

  it("400 joins the specific messages with their field codes", () => {
    const refused = describeHttpError(
      400,
      body(
        { code: "invalid_request", message: "Invalid request" },
        { code: "filter[0].value", message: "This value should be of type numeric." },
      ),
      "POST /chats/search",
    );
    expect(refused).toEqual({
      message: "HelpCrunch refused the request: filter[0].value: This value should be of type numeric.",
      code: "filter[0].value",
    });
  });

  it("429 and 5xx say what to do, whatever the body", () => {
    expect(describeHttpError(429, body({ code: "too_many_requests", message: "Too many requests" }), LINE).message).toBe(
      "HelpCrunch rate limit reached (120 requests/min); wait a minute and try again.",
    );
    expect(describeHttpError(503, parseErrorBody("<html>503</html>"), LINE).message).toBe(
      "HelpCrunch is having trouble (HTTP 503); try again shortly.",
    );
  });

  it("other statuses and non-JSON bodies give a short sentence, never the body", () => {
    expect(describeHttpError(409, body({ code: "conflict_here", message: "Busy" }), LINE).message).toBe(
      "HelpCrunch answered HTTP 409 to GET /chats/5: Busy.",
    );
    expect(describeHttpError(400, parseErrorBody("<html><script>secret</script></html>"), LINE).message).toBe(
      "HelpCrunch returned a non-JSON answer (HTTP 400) to GET /chats/5.",
    );
  });

  it("every sentence ends with one period and stays short", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 400, max: 599 }),
        fc.array(fc.record({ code: fc.string(), message: fc.string() }), { maxLength: 8 }),
        (status, errors) => {
          const { message } = describeHttpError(status, parseErrorBody(JSON.stringify({ errors })), LINE);
          expect(message).toMatch(/[^.]\.$/);
          expect(message.length).toBeLessThan(320);
        },
      ),
    );
  });
});
