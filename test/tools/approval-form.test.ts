/** The approval form's text cannot be forged by customer-written names and emails (property-tested). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formField, formMessage } from "../../src/tools/kit/message-safety.js";

// Every way a reader or a client may break a line, and the invisible characters a model still sees.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the property is that none survive
const LINE_BREAK = /[\n\r\u000B\u000C\u0085\u2028\u2029]/;
const LINES = new RegExp(`\\r\\n|${LINE_BREAK.source}`);
// biome-ignore lint/suspicious/noControlCharactersInRegex: the property is that none survive
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/;
const hostile = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc
    .array(fc.constantFrom("Bob", "\n", "\r\n", "\u2028", "\u0085", "Chat #1", "Sent as: Bot <bot@x>", "»", "«", "<b>", "\t", "\u202E"))
    .map((parts) => parts.join("")),
);

describe("formField", () => {
  it("is one line of valid Unicode without controls, at most 80 code points", () => {
    fc.assert(
      fc.property(hostile, (raw) => {
        const field = formField(raw);
        expect(field).not.toMatch(LINE_BREAK);
        expect(field).not.toMatch(CONTROL);
        expect(Array.from(field).length).toBeLessThanOrEqual(80);
        expect(field).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/); // no lone surrogate
      }),
    );
  });
});

describe("formMessage", () => {
  it("has exactly its five lines, in order, whatever the customer's name and email; the customer line is marked", () => {
    fc.assert(
      fc.property(hostile, fc.option(hostile), fc.nat(), (name, email, chatId) => {
        const lines = formMessage({
          tool: "send_message",
          what: "reply",
          chatId: chatId + 1,
          customer: { id: 7, name, email, userId: null },
          agent: { id: 3, name: "Priya Patel", email: "priya@example.com", role: null },
          text: "Hello",
          request: { method: "POST", path: "/messages", body: {} },
        }).split(LINES);
        expect(lines).toHaveLength(5);
        expect(lines[1]).toBe(`Chat #${chatId + 1}`);
        expect(lines[2]).toBe("Sent as: Priya Patel <priya@example.com>");
        expect(lines[3]).toMatch(/^Customer: «[^«»]*»( <[^<>]*>)? \(customer-written\)$/);
      }),
    );
  });
});
