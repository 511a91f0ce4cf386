/** Privacy mode's rewriting of text (property-tested) and of a tool result. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Pseudonyms } from "../../src/present/privacy.js";

const contact = new Pseudonyms("contact", "key");
const all = new Pseudonyms("all", "key");

const email = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9._+-]{0,15}$/),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
    fc.constantFrom("com", "io", "co.uk", "example"),
  )
  .map(([user, host, tld]) => `${user}@${host}.${tld}`);
const phone = fc.oneof(
  fc.stringMatching(/^\+[1-9]\d{0,2} \d{3} \d{3} \d{4}$/),
  fc.stringMatching(/^\+[1-9]\d{7,12}$/),
  fc.stringMatching(/^\(\d{3}\) \d{3}-\d{4}$/),
  fc.stringMatching(/^0\d{3} \d{3} \d{3,4}$/),
);
/** Prose around the contact: letters and punctuation, so a contact keeps its edges. */
const prose = fc.stringMatching(/^[A-Za-z ,;!?]{0,30}$/);

describe("contacts in any text", () => {
  it("no email or phone number written in a text survives, wherever it stands", () => {
    fc.assert(
      fc.property(prose, fc.oneof(email, phone), prose, fc.oneof(email, phone), prose, (a, x, b, y, c) => {
        const text = `${a} ${x} ${b} ${y} ${c}`;
        const out = contact.contacts(text);
        expect(out).not.toContain(x);
        expect(out).not.toContain(y);
        expect(out).toMatch(/(email|phone)#[0-9a-f]{6}/);
      }),
    );
  });

  it("the same contact always reads the same, whatever its case or spacing; another reads differently", () => {
    fc.assert(
      fc.property(email, email, (a, b) => {
        expect(contact.contacts(a)).toBe(contact.contacts(a.toUpperCase()));
        if (a.toLowerCase() !== b.toLowerCase()) expect(contact.contacts(a)).not.toBe(contact.contacts(b));
      }),
    );
    expect(contact.contacts("+1 555 010 2030")).toBe(contact.contacts("+15550102030"));
    expect(new Pseudonyms("contact", "other key").contacts("a@b.io")).not.toBe(contact.contacts("a@b.io"));
  });

  it("leaves what is not a contact: dates, times, chat ids, durations, versions, and everything when off", () => {
    for (const text of [
      "[2026-11-25 09:14] customer:",
      "#5215752 opened",
      "waiting 2h 15m",
      "version 5.12.1",
      "at 10:30 today",
      "1700000000",
    ])
      expect(contact.contacts(text)).toBe(text);
    expect(new Pseudonyms("off", "key").contacts("mike@example.com +1 555 010 2030")).toBe("mike@example.com +1 555 010 2030");
  });
});

describe("a tool result under all", () => {
  it("names become customer <id> in structuredContent and in the text's fences; custom data values are pseudonyms", () => {
    const out = all.result({
      text: "Customer 42: <customer_name>Mike Ross</customer_name> · <customer_data>mike@ross.io</customer_data>\nCustom data: <customer_data>plan=pro; seats=4</customer_data>",
      structured: { customer: { id: 42, name: "Mike Ross", email: "mike@ross.io", custom_data: { plan: "pro", seats: 4 } } },
    });
    expect(out.text).not.toMatch(/Mike|Ross|mike@|=pro|=4\b/);
    expect(out.text).toContain("<customer_name>customer 42</customer_name>");
    expect(out.structured).toMatchObject({ customer: { id: 42, name: "customer 42" } });
    expect(JSON.stringify(out.structured)).not.toMatch(/Mike|mike@|"pro"/);
    // contact mode keeps names.
    expect(contact.result({ text: "<customer_name>Mike Ross</customer_name>", structured: {} }).text).toContain("Mike Ross");
  });
});
